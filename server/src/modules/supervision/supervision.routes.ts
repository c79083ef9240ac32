import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { CommonErrors, IDEMPOTENCY_NOTE, IdParam } from '../../common/schemas.js';
import { actorOf } from '../auth/auth.hooks.js';
import {
  CloseFindingBody,
  CreateFindingBody,
  CreateModelCaseBody,
  CreateSpotCheckBody,
  CreateVisitBody,
  FindingListView,
  FindingsQuery,
  FindingView,
  ModelCaseListView,
  ModelCasesQuery,
  ModelCaseView,
  PublicModelCaseListView,
  PublicModelCasesQuery,
  PublicSpotCheckQuery,
  PublicSpotCheckView,
  PublishModelCaseBody,
  RespondBody,
  SpotCheckListView,
  SpotChecksQuery,
  SpotCheckView,
  VisitListView,
  VisitView,
} from './supervision.schemas.js';

export const supervisionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const svc = app.services.supervision;
  const cases = app.services.modelCases;
  const tags = ['supervision'];

  app.get(
    '/spot-checks',
    {
      schema: {
        tags,
        summary: '市级抽查 Spot checks [N 4.3]',
        querystring: SpotChecksQuery,
        response: { 200: SpotCheckListView, ...CommonErrors },
      },
      config: { access: 'supervision:read' },
    },
    async (request) => svc.listSpotChecks(actorOf(request), request.query.fundYear),
  );

  app.post(
    '/spot-checks',
    {
      schema: {
        tags,
        summary: '按公开种子随机抽取样本 Draw a sample from a published seed [N 4.3]',
        description:
          'Units ranked by SHA-256("<seed>:<key>"); size or share; optional stratification by district and star level (largest-remainder allocation). Anyone can redraw at GET /api/public/spot-checks/{id}.' +
          IDEMPOTENCY_NOTE,
        body: CreateSpotCheckBody,
        response: { 201: SpotCheckView, ...CommonErrors },
      },
      config: { access: 'spotchecks:write' },
    },
    async (request, reply) => reply.status(201).send(await svc.createSpotCheck(actorOf(request), request.body)),
  );

  app.get(
    '/spot-checks/:id',
    {
      schema: {
        tags,
        summary: '抽查详情（样本、分层、问题） A spot check with its sample, strata and findings',
        params: IdParam,
        response: { 200: SpotCheckView, ...CommonErrors },
      },
      config: { access: 'supervision:read' },
    },
    async (request) => svc.getSpotCheck(actorOf(request), request.params.id),
  );

  app.post(
    '/spot-checks/:id/findings',
    {
      schema: {
        tags,
        summary: '登记抽查问题并下达整改要求 Record a finding with a rectification demand',
        params: IdParam,
        description: IDEMPOTENCY_NOTE.trim(),
        body: CreateFindingBody,
        response: { 201: FindingView, ...CommonErrors },
      },
      config: { access: 'spotchecks:write' },
    },
    async (request, reply) => reply.status(201).send(await svc.addSpotCheckFinding(actorOf(request), request.params.id, request.body)),
  );

  app.get(
    '/public/spot-checks/:id',
    {
      schema: {
        tags,
        summary: '公开：抽查的种子、总体与样本，并按种子重新抽取 Public: seed, population and sample, redrawn now',
        params: IdParam,
        querystring: PublicSpotCheckQuery,
        response: { 200: PublicSpotCheckView, ...CommonErrors },
        description:
          'Without `seed` the published seed is used and `redraw.matchesPublished` must be true; with `seed`, the same population is drawn with that seed.',
      },
      config: { access: 'public', httpCache: { version: () => svc.publicVersion() } },
    },
    async (request) => svc.publicSpotCheck(request.params.id, request.query.seed),
  );

  app.get(
    '/findings',
    {
      schema: {
        tags,
        summary: '督导问题与整改 Findings and rectifications in scope',
        querystring: FindingsQuery,
        response: { 200: FindingListView, ...CommonErrors },
      },
      config: { access: 'supervision:read' },
    },
    async (request) => svc.listFindings(actorOf(request), request.query),
  );

  app.post(
    '/findings/:id/response',
    {
      schema: {
        tags,
        summary: '社区反馈整改情况 The community responds',
        params: IdParam,
        body: RespondBody,
        response: { 200: FindingView, ...CommonErrors },
      },
      config: { access: 'findings:respond' },
    },
    async (request) => svc.respond(actorOf(request), request.params.id, request.body),
  );

  app.post(
    '/findings/:id/close',
    {
      schema: {
        tags,
        summary: '核查销号 Close after checking the rectification',
        params: IdParam,
        body: CloseFindingBody,
        response: { 200: FindingView, ...CommonErrors },
      },
      config: { access: 'findings:close' },
    },
    async (request) => svc.close(actorOf(request), request.params.id, request.body),
  );

  app.get(
    '/street-visits',
    {
      schema: { tags, summary: '街道督导记录 Street supervision visits', response: { 200: VisitListView, ...CommonErrors } },
      config: { access: 'supervision:read' },
    },
    async (request) => svc.listVisits(actorOf(request)),
  );

  app.post(
    '/street-visits',
    {
      schema: {
        tags,
        summary: '登记街道督导（范围、程序、公开） Record a street supervision visit [N 4.3]',
        description: 'The findings are recorded with the visit, in one transaction.' + IDEMPOTENCY_NOTE,
        body: CreateVisitBody,
        response: { 201: VisitView, ...CommonErrors },
      },
      config: { access: 'visits:write' },
    },
    async (request, reply) => reply.status(201).send(await svc.createVisit(actorOf(request), request.body)),
  );

  // ---- model cases [N 4.4] ----

  app.get(
    '/model-cases',
    {
      schema: {
        tags,
        summary: '典型案例 Model cases in scope [N 4.4]',
        querystring: ModelCasesQuery,
        response: { 200: ModelCaseListView, ...CommonErrors },
      },
      config: { access: 'cases:read' },
    },
    async (request) => cases.list(actorOf(request), request.query),
  );

  app.post(
    '/model-cases',
    {
      schema: {
        tags,
        summary: '撰写典型案例 Write up a model case',
        description: IDEMPOTENCY_NOTE.trim(),
        body: CreateModelCaseBody,
        response: { 201: ModelCaseView, ...CommonErrors },
      },
      config: { access: 'cases:write' },
    },
    async (request, reply) => reply.status(201).send(await cases.create(actorOf(request), request.body)),
  );

  app.get(
    '/model-cases/:id',
    {
      schema: { tags, summary: '典型案例详情 A model case', params: IdParam, response: { 200: ModelCaseView, ...CommonErrors } },
      config: { access: 'cases:read' },
    },
    async (request) => cases.get(actorOf(request), request.params.id),
  );

  app.post(
    '/model-cases/:id/publish',
    {
      schema: {
        tags,
        summary: '发布或撤回 Publish (or withdraw) a model case',
        params: IdParam,
        body: PublishModelCaseBody,
        response: { 200: ModelCaseView, ...CommonErrors },
      },
      config: { access: 'cases:write' },
    },
    async (request) => cases.setPublished(actorOf(request), request.params.id, request.body.published),
  );

  app.get(
    '/public/model-cases',
    {
      schema: {
        tags,
        summary: '公开：已发布的典型案例 Public: published model cases',
        querystring: PublicModelCasesQuery,
        response: { 200: PublicModelCaseListView, ...CommonErrors },
      },
      config: { access: 'public', httpCache: { version: () => cases.publicVersion() } },
    },
    async (request) => cases.publicList(request.query),
  );
};
