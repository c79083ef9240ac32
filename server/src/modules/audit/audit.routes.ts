import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { CommonErrors } from '../../common/schemas.js';
import { actorOf } from '../auth/auth.hooks.js';
import { AuditEventListView, AuditEventQuery, ChainVerifyView } from './audit.schemas.js';

export const auditRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/audit/events',
    {
      schema: {
        tags: ['audit'],
        summary: '审计日志 Audit events in my scope, newest first',
        querystring: AuditEventQuery,
        response: { 200: AuditEventListView, ...CommonErrors },
      },
      config: { access: 'audit:read' },
    },
    async (request) => ({ items: await app.services.audit.list(actorOf(request), request.query) }),
  );

  app.get(
    '/audit/verify',
    {
      schema: {
        tags: ['audit'],
        summary: '校验审计链 Verify the hash chain',
        response: { 200: ChainVerifyView, ...CommonErrors },
      },
      config: { access: 'audit:read' },
    },
    async () => app.services.audit.verifyReport(),
  );
};
