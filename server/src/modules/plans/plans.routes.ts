import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { CommonErrors, IdParam } from '../../common/schemas.js';
import { actorOf } from '../auth/auth.hooks.js';
import {
  ComplianceView,
  CreatePlanBody,
  FilingBody,
  MarkReadBody,
  MessagesView,
  PlanListQuery,
  PlanListView,
  PlanProjectView,
  PlanResponse,
  ReviewBody,
  SubmitPlanBody,
  TodoView,
  UpdatePlanBody,
} from './plans.schemas.js';

export const plansRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const plans = app.services.plans;
  const todo = app.services.todo;

  app.get(
    '/plans',
    {
      schema: {
        tags: ['plans'],
        summary: '辖区内的使用方案 Usage plans in scope',
        querystring: PlanListQuery,
        response: { 200: PlanListView, ...CommonErrors },
      },
      config: { access: 'plans:read' },
    },
    async (request) => plans.list(actorOf(request), request.query),
  );

  app.post(
    '/plans',
    {
      schema: {
        tags: ['plans'],
        summary:
          "编制使用方案（社区方案，或街道片区方案） Create a plan: a community's, or a street's area plan; starts from the decided list",
        body: CreatePlanBody,
        response: { 200: PlanResponse, ...CommonErrors },
      },
      config: { access: 'plans:write' },
    },
    async (request) => ({ plan: await plans.create(actorOf(request), request.body) }),
  );

  app.get(
    '/plans/:id',
    {
      schema: {
        tags: ['plans'],
        summary: '使用方案及合规检查 A plan with its live compliance panel',
        params: IdParam,
        response: { 200: PlanResponse, ...CommonErrors },
      },
      config: { access: 'plans:read' },
    },
    async (request) => ({ plan: await plans.get(actorOf(request), request.params.id) }),
  );

  app.put(
    '/plans/:id',
    {
      schema: {
        tags: ['plans'],
        summary: '修改方案（编制中或已退回） Edit a draft or returned plan; the answer carries the compliance panel',
        params: IdParam,
        body: UpdatePlanBody,
        response: { 200: PlanResponse, ...CommonErrors },
      },
      config: { access: 'plans:write' },
    },
    async (request) => ({ plan: await plans.update(actorOf(request), request.params.id, request.body) }),
  );

  app.get(
    '/plans/:id/compliance',
    {
      schema: {
        tags: ['plans'],
        summary: '合规检查（逐条规则与条款） Live compliance check: every rule with pass/fail, clause and how to fix',
        params: IdParam,
        response: { 200: ComplianceView, ...CommonErrors },
      },
      config: { access: 'plans:read' },
    },
    async (request) => plans.compliance(actorOf(request), request.params.id),
  );

  app.post(
    '/plans/:id/submit',
    {
      schema: {
        tags: ['plans'],
        summary: '提交街道初审（重新检查全部规则） Submit for the street review; every rule is re-checked (422 lists those failing)',
        params: IdParam,
        body: SubmitPlanBody,
        response: { 200: PlanResponse, ...CommonErrors },
      },
      config: { access: 'plans:write' },
    },
    async (request) => ({ plan: await plans.submit(actorOf(request), request.params.id) }),
  );

  app.get(
    '/plan-projects/:id',
    {
      schema: {
        tags: ['plans'],
        summary: '方案中的服务项目 A project of a plan',
        params: IdParam,
        response: { 200: PlanProjectView, ...CommonErrors },
      },
      config: { access: 'plans:read' },
    },
    async (request) => plans.project(actorOf(request), request.params.id),
  );

  // ---- review and filing ----

  app.post(
    '/plans/:id/review',
    {
      schema: {
        tags: ['review'],
        summary:
          '街道初审：通过，或附理由退回 Street preliminary review: approve, or return with reasons and the step to redo [N 3.1.2(2)]',
        params: IdParam,
        body: ReviewBody,
        response: { 200: PlanResponse, ...CommonErrors },
      },
      config: { access: 'plans:review' },
    },
    async (request) => ({ plan: await plans.review(actorOf(request), request.params.id, request.body) }),
  );

  app.post(
    '/plans/:id/filing',
    {
      schema: {
        tags: ['review'],
        summary: '备案：区民政局（含五星社区的由市民政局）确认备案或退回 Filing with the district, or the city for a 5★ community [N 2.3]',
        params: IdParam,
        body: FilingBody,
        response: { 200: PlanResponse, ...CommonErrors },
      },
      config: { access: 'plans:file' },
    },
    async (request) => ({ plan: await plans.file(actorOf(request), request.params.id, request.body) }),
  );

  // ---- to-do centre and messages ----

  app.get(
    '/todo',
    {
      schema: {
        tags: ['todo'],
        summary: '待办：等待我处理的事项、期限与剩余工作日 What awaits me, due when, working days left',
        response: { 200: TodoView, ...CommonErrors },
      },
      config: { access: 'authenticated' },
    },
    async (request) => todo.todo(actorOf(request)),
  );

  app.get(
    '/messages',
    {
      schema: {
        tags: ['todo'],
        summary: '站内消息：方案退回、异议达到比例、初审逾期 In-app messages',
        response: { 200: MessagesView, ...CommonErrors },
      },
      config: { access: 'authenticated' },
    },
    async (request) => todo.messages(actorOf(request)),
  );

  app.post(
    '/messages/read',
    {
      schema: {
        tags: ['todo'],
        summary: '标记消息已读（不指定则全部） Mark messages read (all when no keys)',
        body: MarkReadBody,
        response: { 200: MessagesView, ...CommonErrors },
      },
      config: { access: 'authenticated' },
    },
    async (request) => todo.markRead(actorOf(request), request.body.keys),
  );
};
