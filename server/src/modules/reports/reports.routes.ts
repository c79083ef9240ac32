import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { CommonErrors, IdParam } from '../../common/schemas.js';
import { attachment, XLSX_TYPE } from '../../common/xlsx.js';
import { actorOf } from '../auth/auth.hooks.js';
import {
  AcknowledgeReportBody,
  CreateReportBody,
  DashboardQuery,
  DashboardView,
  ReportListView,
  ReportsQuery,
  ReportView,
  UpdateReportBody,
} from './reports.schemas.js';

export const reportsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const svc = app.services.reports;
  const tags = ['reports'];

  app.get(
    '/district-reports',
    {
      schema: {
        tags,
        summary: '区级评估报告 District evaluation reports [N 3.2]',
        querystring: ReportsQuery,
        response: { 200: ReportListView, ...CommonErrors },
      },
      config: { access: 'reports:read', readsFromReplica: true },
    },
    async (request) => request.reads.reports.list(actorOf(request), request.query),
  );

  app.post(
    '/district-reports',
    {
      schema: {
        tags,
        summary: '编写中期或终期报告 Start a district report',
        body: CreateReportBody,
        response: { 201: ReportView, ...CommonErrors },
      },
      config: { access: 'reports:write' },
    },
    async (request, reply) => reply.status(201).send(await svc.create(actorOf(request), request.body)),
  );

  app.get(
    '/district-reports/:id',
    {
      schema: {
        tags,
        summary: '报告（由评估结果汇总的数字与正文） A report: figures compiled from evaluations, and the narrative',
        params: IdParam,
        response: { 200: ReportView, ...CommonErrors },
      },
      config: { access: 'reports:read', readsFromReplica: true },
    },
    async (request) => request.reads.reports.get(actorOf(request), request.params.id),
  );

  app.patch(
    '/district-reports/:id',
    {
      schema: {
        tags,
        summary: '修改报告正文 Edit the narrative',
        params: IdParam,
        body: UpdateReportBody,
        response: { 200: ReportView, ...CommonErrors },
      },
      config: { access: 'reports:write' },
    },
    async (request) => svc.update(actorOf(request), request.params.id, request.body),
  );

  app.post(
    '/district-reports/:id/file',
    {
      schema: {
        tags,
        summary: '报送市民政局 File with the city bureau (figures are frozen)',
        params: IdParam,
        response: { 200: ReportView, ...CommonErrors },
      },
      config: { access: 'reports:write' },
    },
    async (request) => svc.file(actorOf(request), request.params.id),
  );

  app.post(
    '/district-reports/:id/acknowledge',
    {
      schema: {
        tags,
        summary: '市民政局确认收到 The city bureau acknowledges',
        params: IdParam,
        body: AcknowledgeReportBody,
        response: { 200: ReportView, ...CommonErrors },
      },
      config: { access: 'reports:acknowledge' },
    },
    async (request) => svc.acknowledge(actorOf(request), request.params.id, request.body),
  );

  app.get(
    '/district-reports/:id/export',
    {
      schema: {
        tags,
        summary: '导出 Excel Export as .xlsx',
        params: IdParam,
        response: { 200: Type.Unknown({ description: 'the workbook (.xlsx), sent as bytes' }), ...CommonErrors },
      },
      config: { access: 'reports:read', readsFromReplica: true },
    },
    async (request, reply) => {
      const { filename, buffer } = await request.reads.reports.export(actorOf(request), request.params.id);
      return reply.header('content-type', XLSX_TYPE).header('content-disposition', attachment(filename)).send(buffer);
    },
  );

  // Sent as the JSON text kept with the result: a national dashboard runs to megabytes.
  app.get(
    '/dashboard',
    {
      schema: {
        tags,
        summary: '全市工作台：流程漏斗、资金、逾期、评估等次 Dashboard: funnel, money, overdue items, grades',
        querystring: DashboardQuery,
        // Documents the answer: the route sends JSON text, which Fastify does not serialise again.
        response: { 200: DashboardView, ...CommonErrors },
      },
      config: { access: 'dashboard:read', readsFromReplica: true },
    },
    async (request, reply) => {
      // JSON text with a JSON content type is sent as it is (already serialised): typed as the view it encodes.
      const text = (await request.reads.reports.dashboardText(actorOf(request), request.query)) as unknown as DashboardView;
      return reply.type('application/json; charset=utf-8').send(text);
    },
  );
};
