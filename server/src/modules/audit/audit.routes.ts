import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { actorOf } from '../auth/auth.hooks.js';

const EventView = Type.Object({
  seq: Type.Integer(), at: Type.String(), actorName: Type.String(), action: Type.String(), entityType: Type.String(), entityId: Type.String(),
  regionPath: Type.Union([Type.String(), Type.Null()]), before: Type.Unknown(), after: Type.Unknown(), hash: Type.String(),
});

export const auditRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/audit/events', {
    schema: {
      tags: ['audit'], summary: '审计日志 Audit events in my scope, newest first',
      querystring: Type.Object({
        entityType: Type.Optional(Type.String({ maxLength: 50 })),
        entityId: Type.Optional(Type.String({ maxLength: 100 })),
        beforeSeq: Type.Optional(Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER })),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
      }),
      response: { 200: Type.Object({ items: Type.Array(EventView) }) },
    },
    config: { access: 'audit:read' },
  }, async (request) => ({ items: await app.services.audit.list(actorOf(request), request.query) }));

  app.get('/audit/verify', {
    schema: {
      tags: ['audit'], summary: '校验审计链 Verify the hash chain',
      response: { 200: Type.Object({ ok: Type.Boolean(), count: Type.Integer(), headHash: Type.Optional(Type.String()), brokenSeq: Type.Optional(Type.Integer()), reason: Type.Optional(Type.String()) }) },
    },
    config: { access: 'audit:read' },
  }, async () => {
    const r = await app.services.audit.verify();
    return r.ok ? { ok: r.headMatches, count: r.count, headHash: r.headHash, ...(r.headMatches ? {} : { reason: 'stored head does not match the chain' }) } : { ok: false, count: r.count, brokenSeq: r.brokenSeq, reason: r.reason };
  });
};
