import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { CommonErrors, IDEMPOTENCY_NOTE, IdParam } from '../../common/schemas.js';
import { actorOf } from '../auth/auth.hooks.js';
import {
  AssignBody,
  AssignmentDetailView,
  AssignmentListView,
  AssignmentsQuery,
  ConcludeBody,
  ConclusionView,
  EvaluatorOrgListView,
  EvidenceBody,
  FeeBody,
  FeeView,
  OpenRoundBody,
  RoundDetailView,
  RoundListView,
  RoundsQuery,
  RoundView,
} from './evaluation.schemas.js';

export const evaluationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const svc = app.services.evaluation;
  const tags = ['evaluation'];

  app.get(
    '/evaluator-orgs',
    {
      schema: { tags, summary: '第三方评估机构 Evaluator organisations', response: { 200: EvaluatorOrgListView, ...CommonErrors } },
      config: { access: 'evaluations:read' },
    },
    async (request) => ({ items: await svc.orgs(actorOf(request)) }),
  );

  app.get(
    '/evaluation-rounds',
    {
      schema: {
        tags,
        summary: '评估轮次（含倒计时、逾期） Evaluation rounds with countdown and overdue flags [N 3.2]',
        querystring: RoundsQuery,
        response: { 200: RoundListView, ...CommonErrors },
      },
      config: { access: 'evaluations:read' },
    },
    async (request) => svc.listRounds(actorOf(request), request.query),
  );

  app.post(
    '/evaluation-rounds',
    {
      schema: {
        tags,
        summary: '开启中期或终期评估 Open a mid-term or final round for a district [N 3.2]',
        description: "The due date comes from the fund year's policy (midEvaluationDue / finalEvaluationDue).",
        body: OpenRoundBody,
        response: { 201: RoundView, ...CommonErrors },
      },
      config: { access: 'evaluations:write' },
    },
    async (request, reply) => reply.status(201).send(await svc.openRound(actorOf(request), request.body)),
  );

  app.get(
    '/evaluation-rounds/:id',
    {
      schema: {
        tags,
        summary: '评估轮次详情（任务、未安排项目、评估费） A round with its assignments, unassigned projects and fees',
        params: IdParam,
        response: { 200: RoundDetailView, ...CommonErrors },
      },
      config: { access: 'evaluations:read' },
    },
    async (request) => svc.getRound(actorOf(request), request.params.id),
  );

  app.post(
    '/evaluation-rounds/:id/assignments',
    {
      schema: {
        tags,
        summary: '安排项目评估（第三方或评审会） Assign a project to an evaluator or a review meeting [N 3.2]',
        params: IdParam,
        body: AssignBody,
        response: { 201: AssignmentDetailView, ...CommonErrors },
      },
      config: { access: 'evaluations:write' },
    },
    async (request, reply) => reply.status(201).send(await svc.assign(actorOf(request), request.params.id, request.body)),
  );

  app.post(
    '/evaluation-rounds/:id/fees',
    {
      schema: {
        tags,
        summary: '登记评估费（非专项资金） Record an evaluation fee on the non-fund account [N 3.12]',
        params: IdParam,
        description:
          'chargeTo=community_fund is refused by the ledger (422 EVALUATION_FEE_ON_FUND): evaluation fees never come from the fund.' +
          IDEMPOTENCY_NOTE,
        body: FeeBody,
        response: { 201: FeeView, ...CommonErrors },
      },
      config: { access: 'evaluations:write' },
    },
    async (request, reply) => reply.status(201).send(await svc.recordFee(actorOf(request), request.params.id, request.body)),
  );

  app.get(
    '/evaluation-assignments',
    {
      schema: {
        tags,
        summary: '评估任务（评估机构只见本机构） Assignments; an evaluator sees its own',
        querystring: AssignmentsQuery,
        response: { 200: AssignmentListView, ...CommonErrors },
      },
      config: { access: 'evaluations:read' },
    },
    async (request) => svc.listAssignments(actorOf(request), request.query),
  );

  app.get(
    '/evaluation-assignments/:id',
    {
      schema: {
        tags,
        summary: '评估任务详情（指标、得分、证据、参会人员） An assignment with rubric, scores, evidence and participants',
        params: IdParam,
        response: { 200: AssignmentDetailView, ...CommonErrors },
      },
      config: { access: 'evaluations:read' },
    },
    async (request) => svc.getAssignment(actorOf(request), request.params.id),
  );

  app.post(
    '/evaluation-assignments/:id/evidence',
    {
      schema: {
        tags,
        summary: '附评估证据 Attach evidence metadata',
        params: IdParam,
        body: EvidenceBody,
        response: { 201: AssignmentDetailView, ...CommonErrors },
      },
      config: { access: 'evaluations:score' },
    },
    async (request, reply) => reply.status(201).send(await svc.addEvidence(actorOf(request), request.params.id, request.body)),
  );

  app.post(
    '/evaluation-assignments/:id/conclude',
    {
      schema: {
        tags,
        summary: '评分并出具等次 Score the weighted rubric and conclude a grade [N 3.2]',
        params: IdParam,
        description:
          "Every rubric item of the fund year scored 0–100 (integers); weighted score = Σ weight × score / 100; grade by the policy thresholds. A 不合格 final grade makes the project's providers ineligible next year.",
        body: ConcludeBody,
        response: { 200: ConclusionView, ...CommonErrors },
      },
      config: { access: 'evaluations:score' },
    },
    async (request) => svc.conclude(actorOf(request), request.params.id, request.body),
  );
};
