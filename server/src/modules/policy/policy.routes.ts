import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ErrorResponse, FundYear } from '../../common/schemas.js';
import { actorOf } from '../auth/auth.hooks.js';
import { PolicyDocument } from './policy.schema.js';

const PolicyView = Type.Object({ year: Type.Integer(), updatedAt: Type.String(), document: PolicyDocument });
const YearParam = Type.Object({ year: FundYear });

export const policyRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const policy = app.services.policy;

  app.get('/policy/years', {
    schema: { tags: ['policy'], summary: '已制定政策的年度 Fund years with a policy', response: { 200: Type.Object({ items: Type.Array(Type.Object({ year: Type.Integer(), updatedAt: Type.String() })) }) } },
    config: { access: 'policy:read' },
  }, async () => ({ items: await policy.listYears() }));

  app.get('/policy/:year', {
    schema: { tags: ['policy'], summary: '年度政策 A fund year\'s policy', params: YearParam, response: { 200: PolicyView, 404: ErrorResponse } },
    config: { access: 'policy:read' },
  }, async (request) => policy.get(request.params.year));

  app.put('/policy/:year', {
    schema: {
      tags: ['policy'], summary: '修改年度政策 Edit a fund year\'s policy', params: YearParam,
      body: Type.Object({ document: PolicyDocument }, { additionalProperties: false }),
      response: { 200: PolicyView, 400: ErrorResponse, 404: ErrorResponse },
    },
    config: { access: 'policy:write' },
  }, async (request) => policy.update(actorOf(request), request.params.year, request.body.document));

  app.post('/policy/:year/copy', {
    schema: {
      tags: ['policy'], summary: '复制为新年度政策 Copy to another fund year', params: YearParam,
      body: Type.Object({ toYear: FundYear }, { additionalProperties: false }),
      response: { 200: PolicyView, 404: ErrorResponse, 409: ErrorResponse },
    },
    config: { access: 'policy:write' },
  }, async (request) => policy.copy(actorOf(request), request.params.year, request.body.toYear));
};
