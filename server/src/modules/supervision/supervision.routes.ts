import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { FundYear, IDEMPOTENCY_NOTE, IsoDateString, RequestId, RowId } from '../../common/schemas.js';
import { actorOf } from '../auth/auth.hooks.js';

const IdParam = Type.Object({ id: RowId() });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Text = (max: number, min = 1) => Type.String({ minLength: min, maxLength: max });
const CommunityCode = Type.String({ pattern: '^\\d{12}$' });
const Workdays = Type.Integer({ minimum: 1, maximum: 120, description: '整改期限（工作日） rectification deadline in working days' });
const Finding = { description: Text(2000), demand: Text(2000), workdays: Workdays, planProjectId: Type.Optional(Nullable(RowId())) };

export const supervisionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const svc = app.services.supervision;
  const cases = app.services.modelCases;
  const tags = ['supervision'];

  app.get('/spot-checks', {
    schema: { tags, summary: '市级抽查 Spot checks [N 4.3]', querystring: Type.Object({ fundYear: Type.Optional(FundYear) }) },
    config: { access: 'supervision:read' },
  }, async (request) => svc.listSpotChecks(actorOf(request), request.query.fundYear));

  app.post('/spot-checks', {
    schema: {
      tags, summary: '按公开种子随机抽取样本 Draw a sample from a published seed [N 4.3]',
      description: 'Units ranked by SHA-256("<seed>:<key>"); size or share; optional stratification by district and star level (largest-remainder allocation). Anyone can redraw at GET /api/public/spot-checks/{id}.' + IDEMPOTENCY_NOTE,
      body: Type.Object(
        {
          fundYear: FundYear, title: Text(200), unit: Type.Union([Type.Literal('community'), Type.Literal('project')]), seed: Text(100),
          size: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 10_000 }))), sharePercent: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 100 }))),
          stratifyByDistrict: Type.Optional(Type.Boolean()), stratifyByStars: Type.Optional(Type.Boolean()), requestId: RequestId,
        },
        { additionalProperties: false },
      ),
    },
    config: { access: 'spotchecks:write' },
  }, async (request, reply) => reply.status(201).send(await svc.createSpotCheck(actorOf(request), request.body)));

  app.get('/spot-checks/:id', {
    schema: { tags, summary: '抽查详情（样本、分层、问题） A spot check with its sample, strata and findings', params: IdParam },
    config: { access: 'supervision:read' },
  }, async (request) => svc.getSpotCheck(actorOf(request), request.params.id));

  app.post('/spot-checks/:id/findings', {
    schema: {
      tags, summary: '登记抽查问题并下达整改要求 Record a finding with a rectification demand', params: IdParam, description: IDEMPOTENCY_NOTE.trim(),
      body: Type.Object({ communityCode: CommunityCode, ...Finding, requestId: RequestId }, { additionalProperties: false }),
    },
    config: { access: 'spotchecks:write' },
  }, async (request, reply) => reply.status(201).send(await svc.addSpotCheckFinding(actorOf(request), request.params.id, request.body)));

  app.get('/public/spot-checks/:id', {
    schema: {
      tags, summary: '公开：抽查的种子、总体与样本，并按种子重新抽取 Public: seed, population and sample, redrawn now', params: IdParam,
      querystring: Type.Object({ seed: Type.Optional(Text(100)) }),
      description: 'Without `seed` the published seed is used and `redraw.matchesPublished` must be true; with `seed`, the same population is drawn with that seed.',
    },
    config: { access: 'public' },
  }, async (request) => svc.publicSpotCheck(request.params.id, request.query.seed));

  app.get('/findings', {
    schema: { tags, summary: '督导问题与整改 Findings and rectifications in scope', querystring: Type.Object({ status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('responded'), Type.Literal('closed')])) }) },
    config: { access: 'supervision:read' },
  }, async (request) => svc.listFindings(actorOf(request), request.query));

  app.post('/findings/:id/response', {
    schema: { tags, summary: '社区反馈整改情况 The community responds', params: IdParam, body: Type.Object({ response: Text(5000) }, { additionalProperties: false }) },
    config: { access: 'findings:respond' },
  }, async (request) => svc.respond(actorOf(request), request.params.id, request.body));

  app.post('/findings/:id/close', {
    schema: { tags, summary: '核查销号 Close after checking the rectification', params: IdParam, body: Type.Object({ note: Text(2000) }, { additionalProperties: false }) },
    config: { access: 'findings:close' },
  }, async (request) => svc.close(actorOf(request), request.params.id, request.body));

  app.get('/street-visits', {
    schema: { tags, summary: '街道督导记录 Street supervision visits' },
    config: { access: 'supervision:read' },
  }, async (request) => svc.listVisits(actorOf(request)));

  app.post('/street-visits', {
    schema: {
      tags, summary: '登记街道督导（范围、程序、公开） Record a street supervision visit [N 4.3]', description: 'The findings are recorded with the visit, in one transaction.' + IDEMPOTENCY_NOTE,
      body: Type.Object(
        {
          communityCode: CommunityCode, visitedOn: IsoDateString,
          aspects: Type.Array(Type.Union([Type.Literal('scope'), Type.Literal('procedure'), Type.Literal('disclosure')]), { minItems: 1, maxItems: 3, description: 'scope 使用范围 · procedure 程序 · disclosure 公开' }),
          summary: Text(5000), findings: Type.Optional(Type.Array(Type.Object(Finding, { additionalProperties: false }), { maxItems: 20 })), requestId: RequestId,
        },
        { additionalProperties: false },
      ),
    },
    config: { access: 'visits:write' },
  }, async (request, reply) => reply.status(201).send(await svc.createVisit(actorOf(request), request.body)));

  // ---- model cases [N 4.4] ----

  app.get('/model-cases', {
    schema: { tags, summary: '典型案例 Model cases in scope [N 4.4]', querystring: Type.Object({ fundYear: Type.Optional(FundYear), published: Type.Optional(Type.Boolean()) }) },
    config: { access: 'cases:read' },
  }, async (request) => cases.list(actorOf(request), request.query));

  app.post('/model-cases', {
    schema: {
      tags, summary: '撰写典型案例 Write up a model case', description: IDEMPOTENCY_NOTE.trim(), body: Type.Object(
        {
          planProjectId: RowId(), title: Text(200), body: Text(20_000), results: Type.Optional(Type.String({ maxLength: 5000 })),
          photos: Type.Optional(Type.Array(Type.Object({ name: Text(200), caption: Type.String({ maxLength: 200 }), ref: Type.Optional(Nullable(Type.String({ maxLength: 300 }))) }, { additionalProperties: false }), { maxItems: 30 })),
          requestId: RequestId,
        },
        { additionalProperties: false },
      ),
    },
    config: { access: 'cases:write' },
  }, async (request, reply) => reply.status(201).send(await cases.create(actorOf(request), request.body)));

  app.get('/model-cases/:id', {
    schema: { tags, summary: '典型案例详情 A model case', params: IdParam },
    config: { access: 'cases:read' },
  }, async (request) => cases.get(actorOf(request), request.params.id));

  app.post('/model-cases/:id/publish', {
    schema: { tags, summary: '发布或撤回 Publish (or withdraw) a model case', params: IdParam, body: Type.Object({ published: Type.Boolean() }, { additionalProperties: false }) },
    config: { access: 'cases:write' },
  }, async (request) => cases.setPublished(actorOf(request), request.params.id, request.body.published));

  app.get('/public/model-cases', {
    schema: { tags, summary: '公开：已发布的典型案例 Public: published model cases', querystring: Type.Object({ fundYear: Type.Optional(FundYear), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })), offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000 })) }) },
    config: { access: 'public' },
  }, async (request) => ({
    // Names only on this public list: the portal (disclosure module) links communities through its own pages.
    items: (await cases.published(app.database.db, request.query)).map(({ communityCode: _code, ...c }) => c),
  }));
};
