import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { sql } from 'drizzle-orm';

export const systemRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/health', {
    schema: {
      tags: ['system'], summary: '健康检查 Liveness and database',
      response: { 200: Type.Object({ status: Type.Literal('ok'), db: Type.Union([Type.Literal('pglite'), Type.Literal('postgres')]) }) },
    },
    config: { access: 'public' },
  }, async () => {
    await app.database.db.execute(sql`select 1`);
    return { status: 'ok' as const, db: app.database.kind };
  });
};
