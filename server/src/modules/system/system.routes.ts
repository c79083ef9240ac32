import cluster from 'node:cluster';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { CommonErrors } from '../../common/schemas.js';
import { ClockView, HealthView } from './system.schemas.js';

export const systemRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // In a cluster (WORKERS>1, main.ts) the answer names its process, so an operator or a test sees the spread.
  const slot = app.config.workerSlot;
  const worker = cluster.isWorker && slot !== null ? { slot, pid: process.pid } : undefined;

  app.get(
    '/health',
    {
      schema: {
        tags: ['system'],
        summary: '健康检查 Liveness and database',
        response: { 200: HealthView, ...CommonErrors },
      },
      config: { access: 'public' },
    },
    async () => app.services.system.health(app.database.kind, worker),
  );

  app.get(
    '/clock',
    {
      schema: {
        tags: ['system'],
        summary: '今日与当前资金年度 Today (China) and the fund year the console opens on',
        description:
          '日期来自应用的统一时钟（可由 STARFUND_NOW 设定）。 Read from the application clock (STARFUND_NOW sets it for demonstrations).',
        response: { 200: ClockView, ...CommonErrors },
      },
      config: { access: 'public' },
    },
    async () => app.services.system.today(),
  );
};
