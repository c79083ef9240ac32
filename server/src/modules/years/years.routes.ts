import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { CommonErrors } from '../../common/schemas.js';
import { actorOf } from '../auth/auth.hooks.js';
import { CarryForwardView, OpeningYearParam, YearOpeningView } from './years.schemas.js';

export const yearsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const years = app.services.years;

  app.get(
    '/years/:year/opening',
    {
      schema: {
        tags: ['years'],
        summary: '开启新年度：检查清单 The checklist of opening a fund year (ADR 0015)',
        params: OpeningYearParam,
        response: { 200: YearOpeningView, ...CommonErrors },
      },
      config: { access: 'policy:read' },
    },
    async (request) => years.opening(actorOf(request), request.params.year),
  );

  app.post(
    '/years/:year/policy/copy',
    {
      schema: {
        tags: ['years'],
        summary: "复制上年度政策为本年度政策 Copy the previous year's policy to this year [N 1]",
        params: OpeningYearParam,
        response: { 200: YearOpeningView, ...CommonErrors },
      },
      config: { access: 'policy:write' },
    },
    async (request) => years.copyPolicy(actorOf(request), request.params.year),
  );

  app.post(
    '/years/:year/ineligibilities/carry-forward',
    {
      schema: {
        tags: ['years'],
        summary: '登记上年度终期评估不合格的承接主体本年度不得承接 Carry forward ineligibility [N 3.2]',
        params: OpeningYearParam,
        response: { 200: CarryForwardView, ...CommonErrors },
      },
      config: { access: 'providers:write' },
    },
    async (request) => years.carryForwardIneligibilities(actorOf(request), request.params.year),
  );
};
