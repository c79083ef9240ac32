import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { EVALUATION_KINDS, PARTICIPANT_CATEGORIES } from '../../db/schema/evaluation.js';
import { FenAmount, FundYear, IDEMPOTENCY_NOTE, IsoDateString, RequestId, RowId } from '../../common/schemas.js';
import { actorOf } from '../auth/auth.hooks.js';

const IdParam = Type.Object({ id: RowId() });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Text = (max: number, min = 1) => Type.String({ minLength: min, maxLength: max });
const Kind = Type.Union(EVALUATION_KINDS.map((k) => Type.Literal(k)), { description: 'midterm 中期评估 · final 终期评估' });
const Category = Type.Union(PARTICIPANT_CATEGORIES.map((c) => Type.Literal(c)), {
  description: 'district_staff 区民政局 · street_staff 街道 · community_committee 社区"两委" · council 居民议事会 · representative 居民代表 · npc_deputy 人大代表 · cppcc_member 政协委员 · expert 专家',
});

export const evaluationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const svc = app.services.evaluation;
  const tags = ['evaluation'];

  app.get('/evaluator-orgs', {
    schema: { tags, summary: '第三方评估机构 Evaluator organisations' },
    config: { access: 'evaluations:read' },
  }, async (request) => ({ items: await svc.orgs(actorOf(request)) }));

  app.get('/evaluation-rounds', {
    schema: { tags, summary: '评估轮次（含倒计时、逾期） Evaluation rounds with countdown and overdue flags [N 3.2]', querystring: Type.Object({ fundYear: Type.Optional(FundYear), kind: Type.Optional(Kind) }) },
    config: { access: 'evaluations:read' },
  }, async (request) => svc.listRounds(actorOf(request), request.query));

  app.post('/evaluation-rounds', {
    schema: {
      tags, summary: '开启中期或终期评估 Open a mid-term or final round for a district [N 3.2]', description: 'The due date comes from the fund year\'s policy (midEvaluationDue / finalEvaluationDue).',
      body: Type.Object({ fundYear: FundYear, kind: Kind, districtCode: Type.String({ pattern: '^\\d{6}$' }) }, { additionalProperties: false }),
    },
    config: { access: 'evaluations:write' },
  }, async (request, reply) => reply.status(201).send(await svc.openRound(actorOf(request), request.body)));

  app.get('/evaluation-rounds/:id', {
    schema: { tags, summary: '评估轮次详情（任务、未安排项目、评估费） A round with its assignments, unassigned projects and fees', params: IdParam },
    config: { access: 'evaluations:read' },
  }, async (request) => svc.getRound(actorOf(request), request.params.id));

  app.post('/evaluation-rounds/:id/assignments', {
    schema: {
      tags, summary: '安排项目评估（第三方或评审会） Assign a project to an evaluator or a review meeting [N 3.2]', params: IdParam,
      body: Type.Object(
        {
          planProjectId: RowId(), method: Type.Union([Type.Literal('third_party'), Type.Literal('review_meeting')]), evaluatorOrgId: Type.Optional(Nullable(RowId())),
          meetingOn: Type.Optional(Nullable(IsoDateString)),
          participants: Type.Optional(Type.Array(Type.Object({ category: Category, name: Text(50), affiliation: Type.Optional(Type.String({ maxLength: 100 })) }, { additionalProperties: false }), { maxItems: 60 })),
        },
        { additionalProperties: false },
      ),
    },
    config: { access: 'evaluations:write' },
  }, async (request, reply) => reply.status(201).send(await svc.assign(actorOf(request), request.params.id, request.body)));

  app.post('/evaluation-rounds/:id/fees', {
    schema: {
      tags, summary: '登记评估费（非专项资金） Record an evaluation fee on the non-fund account [N 3.12]', params: IdParam,
      description: 'chargeTo=community_fund is refused by the ledger (422 EVALUATION_FEE_ON_FUND): evaluation fees never come from the fund.' + IDEMPOTENCY_NOTE,
      body: Type.Object(
        {
          amountFen: FenAmount({ minimum: 1 }), paidOn: IsoDateString, evaluatorOrgId: Type.Optional(Nullable(RowId())), note: Type.Optional(Type.String({ maxLength: 500 })),
          chargeTo: Type.Optional(Type.Union([Type.Literal('evaluation_fee'), Type.Literal('community_fund')])), communityCode: Type.Optional(Type.String({ pattern: '^\\d{12}$' })),
          requestId: RequestId,
        },
        { additionalProperties: false },
      ),
    },
    config: { access: 'evaluations:write' },
  }, async (request, reply) => reply.status(201).send(await svc.recordFee(actorOf(request), request.params.id, request.body)));

  app.get('/evaluation-assignments', {
    schema: { tags, summary: '评估任务（评估机构只见本机构） Assignments; an evaluator sees its own', querystring: Type.Object({ roundId: Type.Optional(RowId()), fundYear: Type.Optional(FundYear), status: Type.Optional(Type.Union([Type.Literal('assigned'), Type.Literal('concluded')])) }) },
    config: { access: 'evaluations:read' },
  }, async (request) => svc.listAssignments(actorOf(request), request.query));

  app.get('/evaluation-assignments/:id', {
    schema: { tags, summary: '评估任务详情（指标、得分、证据、参会人员） An assignment with rubric, scores, evidence and participants', params: IdParam },
    config: { access: 'evaluations:read' },
  }, async (request) => svc.getAssignment(actorOf(request), request.params.id));

  app.post('/evaluation-assignments/:id/evidence', {
    schema: {
      tags, summary: '附评估证据 Attach evidence metadata', params: IdParam,
      body: Type.Object({ name: Text(200), kind: Text(40), ref: Type.Optional(Nullable(Type.String({ maxLength: 300 }))) }, { additionalProperties: false }),
    },
    config: { access: 'evaluations:score' },
  }, async (request, reply) => reply.status(201).send(await svc.addEvidence(actorOf(request), request.params.id, request.body)));

  app.post('/evaluation-assignments/:id/conclude', {
    schema: {
      tags, summary: '评分并出具等次 Score the weighted rubric and conclude a grade [N 3.2]', params: IdParam,
      description: 'Every rubric item of the fund year scored 0–100 (integers); weighted score = Σ weight × score / 100; grade by the policy thresholds. A 不合格 final grade makes the project\'s providers ineligible next year.',
      body: Type.Object(
        {
          scores: Type.Array(Type.Object({ code: Text(20), score: Type.Integer({ minimum: 0, maximum: 100 }), note: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false }), { minItems: 1, maxItems: 20 }),
          peopleCovered: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 10_000_000 }))), conclusion: Text(5000), problems: Type.Optional(Type.String({ maxLength: 5000 })),
        },
        { additionalProperties: false },
      ),
    },
    config: { access: 'evaluations:score' },
  }, async (request) => svc.conclude(actorOf(request), request.params.id, request.body));
};
