import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { CommonErrors } from '../../common/schemas.js';
import { actorOf } from '../auth/auth.hooks.js';
import { CopyPolicyBody, PolicyView, PolicyYearListView, UpdatePolicyBody, YearParam } from './policy.schemas.js';

export const policyRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const policy = app.services.policy;

  app.get(
    '/policy/years',
    {
      schema: {
        tags: ['policy'],
        summary: '已制定政策的年度 Fund years with a policy',
        response: { 200: PolicyYearListView, ...CommonErrors },
      },
      config: { access: 'policy:read' },
    },
    async () => ({ items: await policy.listYears() }),
  );

  app.get(
    '/policy/:year',
    {
      schema: {
        tags: ['policy'],
        summary: "年度政策 A fund year's policy",
        params: YearParam,
        response: { 200: PolicyView, ...CommonErrors },
      },
      config: { access: 'policy:read' },
    },
    async (request) => policy.get(request.params.year),
  );

  app.put(
    '/policy/:year',
    {
      schema: {
        tags: ['policy'],
        summary: "修改年度政策 Edit a fund year's policy",
        params: YearParam,
        body: UpdatePolicyBody,
        response: { 200: PolicyView, ...CommonErrors },
      },
      config: { access: 'policy:write' },
    },
    async (request) => policy.update(actorOf(request), request.params.year, request.body.document),
  );

  app.post(
    '/policy/:year/copy',
    {
      schema: {
        tags: ['policy'],
        summary: '复制为新年度政策 Copy to another fund year',
        params: YearParam,
        body: CopyPolicyBody,
        response: { 200: PolicyView, ...CommonErrors },
      },
      config: { access: 'policy:write' },
    },
    async (request) => policy.copy(actorOf(request), request.params.year, request.body.toYear),
  );
};
