import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { EVALUATION_KINDS } from '../../db/schema/evaluation.js';
import { FundYear, RowId } from '../../common/schemas.js';
import { attachment, XLSX_TYPE } from '../../common/xlsx.js';
import { actorOf } from '../auth/auth.hooks.js';

const IdParam = Type.Object({ id: RowId() });
const Kind = Type.Union(EVALUATION_KINDS.map((k) => Type.Literal(k)), { description: 'midterm 中期 · final 终期' });

export const reportsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const svc = app.services.reports;
  const tags = ['reports'];

  app.get('/district-reports', {
    schema: { tags, summary: '区级评估报告 District evaluation reports [N 3.2]', querystring: Type.Object({ fundYear: Type.Optional(FundYear), kind: Type.Optional(Kind) }) },
    config: { access: 'reports:read' },
  }, async (request) => svc.list(actorOf(request), request.query));

  app.post('/district-reports', {
    schema: {
      tags, summary: '编写中期或终期报告 Start a district report', body: Type.Object({ fundYear: FundYear, kind: Kind, districtCode: Type.String({ pattern: '^\\d{6}$' }) }, { additionalProperties: false }),
    },
    config: { access: 'reports:write' },
  }, async (request, reply) => reply.status(201).send(await svc.create(actorOf(request), request.body)));

  app.get('/district-reports/:id', {
    schema: { tags, summary: '报告（由评估结果汇总的数字与正文） A report: figures compiled from evaluations, and the narrative', params: IdParam },
    config: { access: 'reports:read' },
  }, async (request) => svc.get(actorOf(request), request.params.id));

  app.patch('/district-reports/:id', {
    schema: { tags, summary: '修改报告正文 Edit the narrative', params: IdParam, body: Type.Object({ narrative: Type.String({ maxLength: 50_000 }) }, { additionalProperties: false }) },
    config: { access: 'reports:write' },
  }, async (request) => svc.update(actorOf(request), request.params.id, request.body));

  app.post('/district-reports/:id/file', {
    schema: { tags, summary: '报送市民政局 File with the city bureau (figures are frozen)', params: IdParam },
    config: { access: 'reports:write' },
  }, async (request) => svc.file(actorOf(request), request.params.id));

  app.post('/district-reports/:id/acknowledge', {
    schema: { tags, summary: '市民政局确认收到 The city bureau acknowledges', params: IdParam, body: Type.Object({ note: Type.Optional(Type.String({ maxLength: 2000 })) }, { additionalProperties: false }) },
    config: { access: 'reports:acknowledge' },
  }, async (request) => svc.acknowledge(actorOf(request), request.params.id, request.body));

  app.get('/district-reports/:id/export', {
    schema: { tags, summary: '导出 Excel Export as .xlsx', params: IdParam },
    config: { access: 'reports:read' },
  }, async (request, reply) => {
    const { filename, buffer } = await svc.export(actorOf(request), request.params.id);
    return reply.header('content-type', XLSX_TYPE).header('content-disposition', attachment(filename)).send(buffer);
  });

  // Sent as the JSON text kept with the result: a national dashboard runs to megabytes.
  app.get('/dashboard', {
    schema: {
      tags, summary: '全市工作台：流程漏斗、资金、逾期、评估等次 Dashboard: funnel, money, overdue items, grades',
      querystring: Type.Object({ fundYear: FundYear, code: Type.Optional(Type.String({ pattern: '^\\d{4,12}$', description: '下钻区域 drill-down region' })) }),
    },
    config: { access: 'dashboard:read' },
  }, async (request, reply) => reply.type('application/json; charset=utf-8').send(await svc.dashboardText(actorOf(request), request.query)));
};
