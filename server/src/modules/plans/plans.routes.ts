import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { PLAN_STATUSES } from '../../db/schema/plans.js';
import { ErrorResponse, FenAmount, FundYear, RowId } from '../../common/schemas.js';
import { actorOf } from '../auth/auth.hooks.js';
import { RULE_IDS } from './plans.rules.js';
import { PROCEDURE_TYPES, PROVIDER_KINDS } from './plans.service.js';

const IdParam = Type.Object({ id: RowId() });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const CommunityCode = Type.String({ pattern: '^\\d{12}$' });
const Text = (max: number, min = 0) => Type.String({ minLength: min, maxLength: max });
const Bilingual = Type.Object({ zh: Type.String(), en: Type.String() });
const RuleResult = Type.Object({ rule: Type.String(), label: Type.String(), clause: Type.String(), passed: Type.Boolean(), message: Bilingual, fix: Bilingual });
const Compliance = Type.Object({ passed: Type.Boolean(), rules: Type.Array(RuleResult) });
const Reason = Type.Object({ rule: Type.String(), clause: Type.String(), note: Type.String() });
const ReturnStep = Type.Union([Type.Literal('plan'), Type.Literal('decision'), Type.Literal('needs')], { description: '退回后重做的步骤：plan 修改方案 · decision 重新决策 · needs 补充需求征集' });

const Summary = {
  id: Type.Integer(), fundYear: Type.Integer(), kind: Type.String({ description: 'community 社区方案 · area 片区方案' }), title: Type.String(),
  communityCode: Nullable(Type.String()), streetCode: Type.String(), streetName: Type.String(), districtCode: Type.String(), districtName: Type.String(),
  communityNames: Type.Array(Type.String()),
  status: Type.String({ description: 'draft 编制中 · submitted 待初审 · returned 已退回 · approved 待备案 · filed 已备案' }), statusLabel: Type.String(),
  filingLevel: Nullable(Type.String({ description: 'district 区民政局 · city 市民政局' })), round: Type.Integer(),
  submittedOn: Nullable(Type.String()), reviewDueOn: Nullable(Type.String()),
  reviewDueProvisional: Type.Boolean({ description: '初审期限按暂定工作日历推算 Provisional review due date (holiday notice not entered)' }),
  approvedOn: Nullable(Type.String()), filedOn: Nullable(Type.String()), returnedOn: Nullable(Type.String()),
  returnStep: Nullable(Type.String()), returnStepLabel: Nullable(Type.String()), returnReasons: Type.Array(Reason),
  workdaysLeft: Nullable(Type.Integer({ description: '初审剩余工作日（负数为逾期） working days left for the street review' })), overdue: Type.Boolean(),
  budgetFen: Type.Integer(),
};
const OtherFundingOut = Type.Object({ source: Type.String(), amountFen: Type.Integer(), government: Type.Boolean() });
const PlanView = Type.Object({
  ...Summary,
  allocationFen: Type.Integer(),
  communities: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), stars: Nullable(Type.Integer()), allocationFen: Type.Integer(), decisionStatus: Nullable(Type.String()), coverageMeets: Type.Boolean() })),
  projects: Type.Array(Type.Object({
    id: Type.Integer(), decisionProjectId: Nullable(Type.Integer()), title: Type.String(), content: Type.String(), catalogueCode: Type.String(), catalogueName: Type.String(),
    category: Type.String(), budgetFen: Type.Integer(), communityCodes: Type.Array(Type.String()), providerKind: Type.String(), otherFunding: Type.Array(OtherFundingOut), procedureType: Type.String(),
  })),
  compliance: Compliance,
  decidedProjects: Type.Array(Type.Object({ decisionProjectId: Type.Integer(), communityCode: Type.String(), title: Type.String(), catalogueCode: Type.String(), category: Type.String(), estimatedBudgetFen: Type.Integer() })),
  reviews: Type.Array(Type.Object({ id: Type.Integer(), round: Type.Integer(), stage: Type.String(), outcome: Type.String(), decidedOn: Type.String(), returnStep: Nullable(Type.String()), reasons: Type.Array(Reason), comment: Type.String() })),
});
const PlanResponse = Type.Object({ plan: PlanView });

const ProjectBody = Type.Object(
  {
    decisionProjectId: Type.Optional(Nullable(RowId('决策通过的项目 the decided project it comes from'))),
    title: Text(200, 1),
    content: Type.Optional(Text(5000)),
    catalogueCode: Type.String({ minLength: 1, maxLength: 20, description: '目录项目代码 catalogue code (B1…, E1…)' }),
    budgetFen: FenAmount({ description: '预算（分） budget in fen' }),
    communityCodes: Type.Optional(Type.Array(CommunityCode, { maxItems: 100, description: '服务的社区 communities served' })),
    providerKind: Type.Union(PROVIDER_KINDS.map((k) => Type.Literal(k)), { description: '拟承接主体 social_work_station 社工站 · social_organisation 社会组织 · university 高校科研院所' }),
    otherFunding: Type.Optional(Type.Array(Type.Object({ source: Text(200, 1), amountFen: FenAmount(), government: Type.Boolean({ description: '是否财政资金 government money' }) }, { additionalProperties: false }), { maxItems: 20, description: '其他资金来源 other funding declared' })),
    procedureType: Type.Union(PROCEDURE_TYPES.map((k) => Type.Literal(k)), { description: '采购方式 procurement method' }),
  },
  { additionalProperties: false },
);
const ReasonsBody = Type.Array(
  Type.Object({ rule: Type.Union([...RULE_IDS, 'other'].map((r) => Type.Literal(r))), note: Text(2000, 1) }, { additionalProperties: false }),
  { maxItems: 20, description: '退回理由（对应合规规则） reasons tied to rules' },
);

export const plansRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const plans = app.services.plans;

  app.get('/plans', {
    schema: {
      tags: ['plans'], summary: '辖区内的使用方案 Usage plans in scope',
      querystring: Type.Object({
        fundYear: Type.Optional(FundYear),
        status: Type.Optional(Type.Union(PLAN_STATUSES.map((s) => Type.Literal(s)))),
        stage: Type.Optional(Type.Union([Type.Literal('review'), Type.Literal('filing')], { description: 'review 待初审 · filing 待备案与已备案' })),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })), offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000_000 })),
      }),
      response: { 200: Type.Object({ total: Type.Integer(), items: Type.Array(Type.Object(Summary)) }) },
    },
    config: { access: 'plans:read' },
  }, async (request) => plans.list(actorOf(request), request.query));

  app.post('/plans', {
    schema: {
      tags: ['plans'], summary: '编制使用方案（社区方案，或街道片区方案） Create a plan: a community\'s, or a street\'s area plan; starts from the decided list',
      body: Type.Object(
        { fundYear: FundYear, communityCodes: Type.Array(CommunityCode, { minItems: 1, maxItems: 100 }), title: Type.Optional(Text(200)) },
        { additionalProperties: false },
      ),
      response: { 200: PlanResponse, 400: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, 422: ErrorResponse },
    },
    config: { access: 'plans:write' },
  }, async (request) => ({ plan: await plans.create(actorOf(request), request.body) }));

  app.get('/plans/:id', {
    schema: { tags: ['plans'], summary: '使用方案及合规检查 A plan with its live compliance panel', params: IdParam, response: { 200: PlanResponse, 404: ErrorResponse } },
    config: { access: 'plans:read' },
  }, async (request) => ({ plan: await plans.get(actorOf(request), request.params.id) }));

  app.put('/plans/:id', {
    schema: {
      tags: ['plans'], summary: '修改方案（编制中或已退回） Edit a draft or returned plan; the answer carries the compliance panel', params: IdParam,
      body: Type.Object({ title: Type.Optional(Text(200)), projects: Type.Optional(Type.Array(ProjectBody, { maxItems: 200 })) }, { additionalProperties: false }),
      response: { 200: PlanResponse, 400: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, 422: ErrorResponse },
    },
    config: { access: 'plans:write' },
  }, async (request) => ({ plan: await plans.update(actorOf(request), request.params.id, request.body) }));

  app.get('/plans/:id/compliance', {
    schema: {
      tags: ['plans'], summary: '合规检查（逐条规则与条款） Live compliance check: every rule with pass/fail, clause and how to fix', params: IdParam,
      response: { 200: Type.Object({ planId: Type.Integer(), passed: Type.Boolean(), rules: Type.Array(RuleResult) }), 404: ErrorResponse },
    },
    config: { access: 'plans:read' },
  }, async (request) => plans.compliance(actorOf(request), request.params.id));

  app.post('/plans/:id/submit', {
    schema: {
      tags: ['plans'], summary: '提交街道初审（重新检查全部规则） Submit for the street review; every rule is re-checked (422 lists those failing)', params: IdParam,
      body: Type.Optional(Type.Object({}, { additionalProperties: false })),
      response: { 200: PlanResponse, 400: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, 422: ErrorResponse },
    },
    config: { access: 'plans:write' },
  }, async (request) => ({ plan: await plans.submit(actorOf(request), request.params.id) }));

  app.get('/plan-projects/:id', {
    schema: {
      tags: ['plans'], summary: '方案中的服务项目 A project of a plan', params: IdParam,
      response: {
        200: Type.Object({
          projectId: Type.Integer(), planId: Type.Integer(), fundYear: Type.Integer(), communityCodes: Type.Array(Type.String()), catalogueCode: Type.String(), category: Type.String(),
          title: Type.String(), budgetFen: Type.Integer(), providerKind: Type.String(), procedureType: Type.String(), status: Type.String(), regionPath: Type.String(),
        }),
        404: ErrorResponse,
      },
    },
    config: { access: 'plans:read' },
  }, async (request) => plans.project(actorOf(request), request.params.id));

  // ---- review and filing ----

  app.post('/plans/:id/review', {
    schema: {
      tags: ['review'], summary: '街道初审：通过，或附理由退回 Street preliminary review: approve, or return with reasons and the step to redo [N 3.1.2(2)]', params: IdParam,
      body: Type.Object(
        { outcome: Type.Union([Type.Literal('approve'), Type.Literal('return')]), reasons: Type.Optional(ReasonsBody), returnStep: Type.Optional(ReturnStep), comment: Type.Optional(Text(2000)) },
        { additionalProperties: false },
      ),
      response: { 200: PlanResponse, 400: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, 422: ErrorResponse },
    },
    config: { access: 'plans:review' },
  }, async (request) => ({ plan: await plans.review(actorOf(request), request.params.id, request.body) }));

  app.post('/plans/:id/filing', {
    schema: {
      tags: ['review'], summary: '备案：区民政局（含五星社区的由市民政局）确认备案或退回 Filing with the district, or the city for a 5★ community [N 2.3]', params: IdParam,
      body: Type.Object(
        { outcome: Type.Union([Type.Literal('file'), Type.Literal('return')]), reasons: Type.Optional(ReasonsBody), returnStep: Type.Optional(ReturnStep), comment: Type.Optional(Text(2000)) },
        { additionalProperties: false },
      ),
      response: { 200: PlanResponse, 400: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, 422: ErrorResponse },
    },
    config: { access: 'plans:file' },
  }, async (request) => ({ plan: await plans.file(actorOf(request), request.params.id, request.body) }));

  // ---- to-do centre and messages ----

  const TodoItem = Type.Object({
    key: Type.String(), kind: Type.String(), title: Type.String(), detail: Type.String(), regionName: Type.String(), dueOn: Nullable(Type.String()),
    workdaysLeft: Nullable(Type.Integer()), overdue: Type.Boolean(), link: Type.String(),
    provisional: Type.Optional(Type.Boolean({ description: '期限或剩余工作日按暂定工作日历推算 Due date or countdown is provisional' })),
  });
  app.get('/todo', {
    schema: { tags: ['todo'], summary: '待办：等待我处理的事项、期限与剩余工作日 What awaits me, due when, working days left', response: { 200: Type.Object({ today: Type.String(), items: Type.Array(TodoItem) }) } },
    config: { access: 'authenticated' },
  }, async (request) => plans.todo(actorOf(request)));

  const Messages = Type.Object({
    unread: Type.Integer(),
    items: Type.Array(Type.Object({ key: Type.String(), kind: Type.String(), title: Type.String(), body: Type.String(), on: Type.String(), link: Type.String(), read: Type.Boolean() })),
  });
  app.get('/messages', {
    schema: { tags: ['todo'], summary: '站内消息：方案退回、异议达到比例、初审逾期 In-app messages', response: { 200: Messages } },
    config: { access: 'authenticated' },
  }, async (request) => plans.messages(actorOf(request)));

  app.post('/messages/read', {
    schema: {
      tags: ['todo'], summary: '标记消息已读（不指定则全部） Mark messages read (all when no keys)',
      body: Type.Object({ keys: Type.Optional(Type.Array(Text(200, 1), { maxItems: 200 })) }, { additionalProperties: false }),
      response: { 200: Messages, 400: ErrorResponse },
    },
    config: { access: 'authenticated' },
  }, async (request) => plans.markRead(actorOf(request), request.body.keys));
};
