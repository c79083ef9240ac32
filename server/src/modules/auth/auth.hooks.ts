import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../../common/errors.js';
import { requirePermission, type Permission } from '../../common/access.js';
import { SESSION_COOKIE } from './auth.service.js';

/** `public`: anyone; `authenticated`: any signed-in account; otherwise a permission. */
export type RouteAccess = 'public' | 'authenticated' | Permission;

export async function authenticate(request: FastifyRequest): Promise<void> {
  const token = request.cookies[SESSION_COOKIE];
  if (!token || !request.url.startsWith('/api/')) return;
  const found = await request.server.services.auth.actorForToken(token);
  request.actor = found?.actor ?? null;
}

/** What an account signed in with a one-time password may still call (ADR 0012). */
const ALLOWED_BEFORE_PASSWORD_CHANGE = new Set(['GET /api/auth/me', 'POST /api/auth/password', 'POST /api/auth/logout']);

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** True when an unsafe request visibly comes from another site (Origin or Sec-Fetch-Site). */
export function isCrossSite(request: FastifyRequest): boolean {
  if (request.headers['sec-fetch-site'] === 'cross-site') return true;
  const origin = request.headers.origin;
  if (origin === undefined) return false;
  // `Origin: null` (sandboxed frames, file:// pages) or anything unparsable is not our own site.
  try {
    return new URL(origin).host !== request.headers.host;
  } catch {
    return true;
  }
}

export async function enforceRouteAccess(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
  const access = request.routeOptions.config?.access;
  if (!access) return;
  // Cookie sessions plus a cross-site form or fetch: refuse writes from another site, public
  // ones included (a forged sign-in would plant the attacker's session in the victim's browser).
  if (UNSAFE.has(request.method) && isCrossSite(request)) {
    throw new DomainError('CSRF', { zh: '跨站请求被拒绝', en: 'Cross-site request refused' }, { kind: 'forbidden' });
  }
  if (access === 'public') return;
  if (!request.actor) {
    throw new DomainError('UNAUTHENTICATED', { zh: '请先登录', en: 'Sign in first' }, { kind: 'unauthenticated' });
  }
  if (request.actor.mustChangePassword && !ALLOWED_BEFORE_PASSWORD_CHANGE.has(`${request.method} ${request.routeOptions.url}`)) {
    throw new DomainError(
      'PASSWORD_CHANGE_REQUIRED',
      { zh: '请先修改一次性密码后再继续操作', en: 'Change your one-time password first' },
      { kind: 'forbidden' },
    );
  }
  if (access !== 'authenticated') requirePermission(request.actor, access);
}

/** For handlers behind a non-public access rule: the actor is certainly present. */
export function actorOf(request: FastifyRequest) {
  if (!request.actor) throw new DomainError('UNAUTHENTICATED', { zh: '请先登录', en: 'Sign in first' }, { kind: 'unauthenticated' });
  return request.actor;
}
