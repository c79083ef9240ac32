import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../../shared/errors.js';
import { requirePermission, type Permission } from '../../shared/access.js';
import { SESSION_COOKIE } from './auth.service.js';

/** `public`: anyone; `authenticated`: any signed-in account; otherwise a permission. */
export type RouteAccess = 'public' | 'authenticated' | Permission;

export async function authenticate(request: FastifyRequest): Promise<void> {
  const token = request.cookies[SESSION_COOKIE];
  if (!token || !request.url.startsWith('/api/')) return;
  const found = await request.server.services.auth.actorForToken(token);
  request.actor = found?.actor ?? null;
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export async function enforceRouteAccess(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
  const access = request.routeOptions.config?.access;
  if (!access || access === 'public') return;
  // Cookie sessions plus a cross-site form or fetch: refuse writes whose Origin is another site.
  if (UNSAFE.has(request.method)) {
    const origin = request.headers.origin;
    if (origin && new URL(origin).host !== request.headers.host) {
      throw new DomainError('CSRF', { zh: '跨站请求被拒绝', en: 'Cross-site request refused' }, { kind: 'forbidden' });
    }
  }
  if (!request.actor) {
    throw new DomainError('UNAUTHENTICATED', { zh: '请先登录', en: 'Sign in first' }, { kind: 'unauthenticated' });
  }
  if (access !== 'authenticated') requirePermission(request.actor, access);
}

/** For handlers behind a non-public access rule: the actor is certainly present. */
export function actorOf(request: FastifyRequest) {
  if (!request.actor) throw new DomainError('UNAUTHENTICATED', { zh: '请先登录', en: 'Sign in first' }, { kind: 'unauthenticated' });
  return request.actor;
}
