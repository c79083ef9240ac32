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

  app.get('/clock', {
    schema: {
      tags: ['system'],
      summary: '今日与当前资金年度 Today (China) and the fund year the console opens on',
      description: '日期来自应用的统一时钟（可由 STARFUND_NOW 设定）。 Read from the application clock (STARFUND_NOW sets it for demonstrations).',
      response: { 200: Type.Object({ today: Type.String(), fundYear: Type.Union([Type.Integer(), Type.Null()]) }) },
    },
    config: { access: 'public' },
  }, async () => {
    const today = app.clock.today();
    return { today, fundYear: await app.services.policy.currentFundYear(today) };
  });
};
