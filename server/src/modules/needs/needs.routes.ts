import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ErrorResponse, FundYear, IDEMPOTENCY_NOTE, IsoDateString, RequestId, RowId } from '../../common/schemas.js';
import { actorOf } from '../auth/auth.hooks.js';
import { CHANNEL_CODES } from './needs.rules.js';

/** Serial ids are int4: a larger number cannot name a row (400, not a database error). */
const SerialId = RowId();
const IdParam = Type.Object({ id: SerialId });
const Channel = Type.Union(CHANNEL_CODES.map((c) => Type.Literal(c)), { description: '一户一票 household_vote · 院落会议 courtyard_meeting · 问卷 questionnaire · 网络投票 online_vote · 实地走访 field_visit' });
const Questionnaire = Type.Object(
  {
    itemCodes: Type.Array(Type.String({ minLength: 1, maxLength: 20 }), { maxItems: 50, description: '提升类项目目录编码 enhancement catalogue codes' }),
    freeText: Type.Boolean(),
    prompt: Type.Optional(Type.Union([Type.String({ maxLength: 200 }), Type.Null()])),
  },
  { additionalProperties: false },
);
const CoverageView = Type.Object({
  reached: Type.Integer(),
  residentHouseholds: Type.Integer(),
  basisPoints: Type.Integer({ description: '万分比 hundredths of a percent' }),
  threshold: Type.Object({ numerator: Type.Integer(), denominator: Type.Integer() }),
  required: Type.Integer(),
  meets: Type.Boolean(),
});
const CampaignView = Type.Object({
  id: Type.Integer(),
  communityCode: Type.String(),
  communityName: Type.String(),
  fundYear: Type.Integer(),
  title: Type.String(),
  opensOn: Type.String(),
  closesOn: Type.String(),
  channels: Type.Array(Type.String()),
  questionnaire: Type.Object({ itemCodes: Type.Array(Type.String()), freeText: Type.Boolean(), prompt: Type.Union([Type.String(), Type.Null()]), items: Type.Array(Type.Object({ code: Type.String(), name: Type.String() })) }),
  allowChanges: Type.Boolean(),
  status: Type.String(),
  acceptingOnline: Type.Boolean(),
  concludedAt: Type.Union([Type.String(), Type.Null()]),
  readyAt: Type.Union([Type.String(), Type.Null()]),
  coverage: CoverageView,
  byChannel: Type.Array(Type.Object({ channel: Type.String(), label: Type.String(), households: Type.Integer() })),
  tally: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), households: Type.Integer() })),
});
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const ProposalView = Type.Object({
  id: Type.Integer(),
  campaignId: Type.Integer(),
  title: Type.String(),
  description: Nullable(Type.String()),
  catalogueCode: Nullable(Type.String()),
  catalogueName: Nullable(Type.String()),
  estimatedBudgetFen: Nullable(Type.Integer()),
  source: Type.String(),
  status: Type.String(),
  rank: Nullable(Type.Integer()),
  mergedIntoId: Nullable(Type.Integer()),
  screenReason: Nullable(Type.String()),
  householdCount: Type.Integer({ description: '提案背后的不同住户数 distinct households behind it' }),
  opinionIds: Type.Array(Type.Integer()),
});
const DraftListView = Type.Object({
  campaignId: Type.Integer(),
  communityCode: Type.String(),
  fundYear: Type.Integer(),
  status: Type.String(),
  ready: Type.Boolean(),
  readyAt: Nullable(Type.String()),
  totalBudgetFen: Type.Integer(),
  items: Type.Array(ProposalView),
});
const ImportBody = Type.Object(
  { format: Type.Union([Type.Literal('csv'), Type.Literal('xlsx')]), content: Type.String({ minLength: 1, maxLength: 8_000_000, description: 'CSV 文本 (UTF-8)，或 .xlsx 文件的 base64' }) },
  { additionalProperties: false },
);
const Budget = Type.Integer({ minimum: 0, maximum: 100_000_000_000, description: '预算（分） fen' });
const SubmitResult = Type.Object({ opinionId: Type.Integer(), householdNo: Type.String(), replaced: Type.Boolean(), revision: Type.Integer() });

export const needsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const needs = app.services.needs;
  const submitLimit = app.config.publicRateLimits.needsSubmitPerMinute;

  // ---- public: the resident page ----

  app.get('/public/needs/campaigns/:id', {
    schema: {
      tags: ['needs'], summary: '居民端：需求征集问卷（无需登录） The questionnaire, public', params: IdParam,
      response: {
        200: Type.Object({
          id: Type.Integer(), title: Type.String(), fundYear: Type.Integer(), communityName: Type.String(), districtName: Type.String(), streetName: Type.String(),
          opensOn: Type.String(), closesOn: Type.String(), channels: Type.Array(Type.Object({ code: Type.String(), label: Type.String() })),
          allowChanges: Type.Boolean(), status: Type.String(), acceptingOnline: Type.Boolean(),
          questionnaire: Type.Object({ items: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), examples: Type.Array(Type.String()) })), freeText: Type.Boolean(), prompt: Nullable(Type.String()) }),
          coverage: Type.Object({ reached: Type.Integer(), residentHouseholds: Type.Integer(), basisPoints: Type.Integer(), threshold: Type.Object({ numerator: Type.Integer(), denominator: Type.Integer() }) }),
        }),
        404: ErrorResponse,
        429: ErrorResponse,
      },
    },
    config: { access: 'public', rateLimit: { max: submitLimit * 4, timeWindow: '1 minute' } },
  }, async (request) => needs.publicCampaign(request.params.id));

  app.post('/public/needs/campaigns/:id/submissions', {
    schema: {
      tags: ['needs'], summary: '居民端：提交意见（每户一次） Submit a household\'s answer, public',
      description: 'Identify by householdNo + headName + phoneLast4, or by a one-time code. One household counts once per campaign: a second answer is refused (409) unless the campaign allows changes, in which case it replaces the first.',
      params: IdParam,
      body: Type.Object(
        {
          householdNo: Type.Optional(Type.String({ minLength: 1, maxLength: 30 })),
          headName: Type.Optional(Type.String({ minLength: 1, maxLength: 30 })),
          phoneLast4: Type.Optional(Type.String({ pattern: '^\\d{4}$' })),
          code: Type.Optional(Type.String({ minLength: 4, maxLength: 20 })),
          choices: Type.Array(Type.String({ minLength: 1, maxLength: 20 }), { maxItems: 50 }),
          freeText: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
        },
        { additionalProperties: false },
      ),
      response: { 200: SubmitResult, 400: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, 422: ErrorResponse, 429: ErrorResponse },
    },
    config: { access: 'public', rateLimit: { max: submitLimit, timeWindow: '1 minute' } },
  }, async (request) => {
    const { choices, freeText, ...identity } = request.body;
    return needs.submitPublic(request.params.id, identity, { choices, freeText });
  });

  // ---- campaigns ----

  app.get('/needs/campaigns', {
    schema: {
      tags: ['needs'], summary: '辖区内需求征集 Campaigns in scope',
      querystring: Type.Object({ communityCode: Type.Optional(Type.String({ pattern: '^\\d{12}$' })), fundYear: Type.Optional(FundYear), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })), offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000_000 })) }),
      response: {
        200: Type.Object({
          total: Type.Integer(),
          items: Type.Array(Type.Object({ id: Type.Integer(), communityCode: Type.String(), communityName: Type.String(), fundYear: Type.Integer(), title: Type.String(), opensOn: Type.String(), closesOn: Type.String(), status: Type.String(), coverage: CoverageView })),
        }),
      },
    },
    config: { access: 'needs:read' },
  }, async (request) => needs.listCampaigns(actorOf(request), request.query));

  app.post('/needs/campaigns', {
    schema: {
      tags: ['needs'], summary: '发起需求征集 Open a needs campaign',
      body: Type.Object(
        {
          communityCode: Type.String({ pattern: '^\\d{12}$' }),
          fundYear: FundYear,
          title: Type.String({ minLength: 1, maxLength: 100 }),
          opensOn: IsoDateString,
          closesOn: IsoDateString,
          channels: Type.Array(Channel, { minItems: 1, maxItems: 5 }),
          questionnaire: Questionnaire,
          allowChanges: Type.Optional(Type.Boolean()),
        },
        { additionalProperties: false },
      ),
      response: { 200: Type.Object({ campaign: CampaignView }), 400: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse },
    },
    config: { access: 'needs:write' },
  }, async (request) => ({ campaign: await needs.createCampaign(actorOf(request), { ...request.body, allowChanges: request.body.allowChanges ?? false }) }));

  app.get('/needs/campaigns/:id', {
    schema: { tags: ['needs'], summary: '需求征集与入户覆盖率 A campaign with its live coverage', params: IdParam, response: { 200: Type.Object({ campaign: CampaignView }), 404: ErrorResponse } },
    config: { access: 'needs:read' },
  }, async (request) => ({ campaign: await needs.getCampaign(actorOf(request), request.params.id) }));

  app.patch('/needs/campaigns/:id', {
    schema: {
      tags: ['needs'], summary: '修改需求征集 Edit an open campaign', params: IdParam,
      body: Type.Object(
        { title: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })), opensOn: Type.Optional(IsoDateString), closesOn: Type.Optional(IsoDateString), channels: Type.Optional(Type.Array(Channel, { minItems: 1, maxItems: 5 })), questionnaire: Type.Optional(Questionnaire), allowChanges: Type.Optional(Type.Boolean()) },
        { additionalProperties: false, minProperties: 1 },
      ),
      response: { 200: Type.Object({ campaign: CampaignView }), 400: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse },
    },
    config: { access: 'needs:write' },
  }, async (request) => ({ campaign: await needs.updateCampaign(actorOf(request), request.params.id, request.body) }));

  app.post('/needs/campaigns/:id/conclude', {
    schema: { tags: ['needs'], summary: '完结征集（覆盖率须达标） Conclude: coverage must reach the policy share', params: IdParam, response: { 200: Type.Object({ campaign: CampaignView }), 404: ErrorResponse, 409: ErrorResponse, 422: ErrorResponse } },
    config: { access: 'needs:write' },
  }, async (request) => ({ campaign: await needs.conclude(actorOf(request), request.params.id) }));

  // ---- opinions ----

  app.get('/needs/campaigns/:id/opinions', {
    schema: {
      tags: ['needs'], summary: '已收集的意见 Opinions collected', params: IdParam,
      querystring: Type.Object({ channel: Type.Optional(Channel), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })), offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000_000 })) }),
      response: {
        200: Type.Object({
          total: Type.Integer(),
          masked: Type.Boolean(),
          items: Type.Array(Type.Object({
            id: Type.Integer(), householdId: Type.Integer(), householdNo: Type.String(), address: Type.String(), headName: Type.String(), channel: Type.String(), choices: Type.Array(Type.String()),
            freeText: Nullable(Type.String()), enteredBy: Type.String(), revision: Type.Integer(), createdAt: Type.String(), updatedAt: Type.String(),
          })),
        }),
        404: ErrorResponse,
      },
    },
    config: { access: 'needs:read' },
  }, async (request) => needs.listOpinions(actorOf(request), request.params.id, request.query));

  app.post('/needs/campaigns/:id/opinions', {
    schema: {
      tags: ['needs'], summary: '录入纸质问卷或院落会议结果 Enter a paper form or meeting result', params: IdParam,
      body: Type.Object(
        { householdNo: Type.String({ minLength: 1, maxLength: 30 }), channel: Channel, choices: Type.Array(Type.String({ minLength: 1, maxLength: 20 }), { maxItems: 50 }), freeText: Type.Optional(Nullable(Type.String({ maxLength: 500 }))) },
        { additionalProperties: false },
      ),
      response: { 200: SubmitResult, 400: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, 422: ErrorResponse },
    },
    config: { access: 'needs:write' },
  }, async (request) => needs.enterOpinion(actorOf(request), request.params.id, request.body));

  app.post('/needs/campaigns/:id/opinions/import', {
    bodyLimit: 12 * 1024 * 1024,
    schema: {
      tags: ['needs'], summary: '批量导入纸质问卷（全部成功或全部不导入） Import paper forms, all or nothing', params: IdParam,
      description: '列 Columns: 户号, 渠道 (一户一票/院落会议/问卷/网络投票/实地走访), 选择 (目录名称或编码，以、分隔), 意见.' + IDEMPOTENCY_NOTE,
      body: Type.Object({ ...ImportBody.properties, requestId: RequestId }, { additionalProperties: false }),
      response: { 200: Type.Object({ format: Type.String(), rows: Type.Integer(), created: Type.Integer(), replaced: Type.Integer() }), 400: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse },
    },
    config: { access: 'needs:write' },
  }, async (request) => needs.importOpinions(actorOf(request), request.params.id, request.body.format, request.body.content, request.body.requestId));

  app.post('/needs/campaigns/:id/codes', {
    schema: {
      tags: ['needs'], summary: '发放一次性验证码（仅本次返回明文） Issue one-time codes', params: IdParam,
      body: Type.Object({ householdNos: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 30 }), { maxItems: 10000 })) }, { additionalProperties: false }),
      response: { 200: Type.Object({ items: Type.Array(Type.Object({ householdNo: Type.String(), address: Type.String(), headName: Type.String(), code: Type.String() })) }), 404: ErrorResponse, 409: ErrorResponse, 422: ErrorResponse },
    },
    config: { access: 'needs:write' },
  }, async (request) => needs.issueCodes(actorOf(request), request.params.id, request.body.householdNos));

  // ---- proposals and the draft list ----

  app.get('/needs/campaigns/:id/proposals', {
    schema: { tags: ['needs'], summary: '提案 Proposals', params: IdParam, response: { 200: Type.Object({ items: Type.Array(ProposalView) }), 404: ErrorResponse } },
    config: { access: 'needs:read' },
  }, async (request) => needs.listProposals(actorOf(request), request.params.id));

  app.post('/needs/campaigns/:id/proposals', {
    schema: {
      tags: ['needs'], summary: '新增提案（"两委"直接提出，或由居民意见形成） Add a proposal', params: IdParam,
      body: Type.Object(
        {
          title: Type.String({ minLength: 1, maxLength: 100 }),
          description: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
          catalogueCode: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 20 }))),
          estimatedBudgetFen: Type.Optional(Nullable(Budget)),
          opinionIds: Type.Optional(Type.Array(SerialId, { maxItems: 10000 })),
        },
        { additionalProperties: false },
      ),
      response: { 200: Type.Object({ proposal: ProposalView }), 400: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse },
    },
    config: { access: 'needs:write' },
  }, async (request) => ({ proposal: await needs.createProposal(actorOf(request), request.params.id, request.body) }));

  app.patch('/needs/proposals/:id', {
    schema: {
      tags: ['needs'], summary: '修改提案 Edit a proposal', params: IdParam,
      body: Type.Object(
        {
          title: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
          description: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
          catalogueCode: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 20 }))),
          estimatedBudgetFen: Type.Optional(Nullable(Budget)),
          opinionIds: Type.Optional(Type.Array(SerialId, { maxItems: 10000, description: '追加关联的意见 opinions to link' })),
        },
        { additionalProperties: false, minProperties: 1 },
      ),
      response: { 200: Type.Object({ proposal: ProposalView }), 400: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse },
    },
    config: { access: 'needs:write' },
  }, async (request) => ({ proposal: await needs.updateProposal(actorOf(request), request.params.id, request.body) }));

  app.post('/needs/campaigns/:id/proposals/merge', {
    schema: {
      tags: ['needs'], summary: '合并提案 Merge proposals', params: IdParam,
      body: Type.Object({ targetId: SerialId, sourceIds: Type.Array(SerialId, { minItems: 1, maxItems: 100 }) }, { additionalProperties: false }),
      response: { 200: Type.Object({ proposal: ProposalView }), 400: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse },
    },
    config: { access: 'needs:write' },
  }, async (request) => ({ proposal: await needs.merge(actorOf(request), request.params.id, request.body.targetId, request.body.sourceIds) }));

  app.post('/needs/proposals/:id/screen', {
    schema: {
      tags: ['needs'], summary: '筛选提案（筛除须说明理由） Screen a proposal out, or restore it', params: IdParam,
      body: Type.Object({ decision: Type.Union([Type.Literal('reject'), Type.Literal('restore')]), reason: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false }),
      response: { 200: Type.Object({ proposal: ProposalView }), 400: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse },
    },
    config: { access: 'needs:write' },
  }, async (request) => ({ proposal: await needs.screen(actorOf(request), request.params.id, request.body.decision, request.body.reason) }));

  app.get('/needs/campaigns/:id/draft-list', {
    schema: { tags: ['needs'], summary: '项目清单（草案） The draft project list', params: IdParam, response: { 200: DraftListView, 404: ErrorResponse } },
    config: { access: 'needs:read' },
  }, async (request) => needs.draftListFor(actorOf(request), request.params.id));

  app.put('/needs/campaigns/:id/draft-list', {
    schema: {
      tags: ['needs'], summary: '排序形成项目清单 Rank proposals into the draft list', params: IdParam,
      body: Type.Object(
        { items: Type.Array(Type.Object({ proposalId: SerialId, catalogueCode: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 20 }))), estimatedBudgetFen: Type.Optional(Nullable(Budget)) }, { additionalProperties: false }), { maxItems: 100 }) },
        { additionalProperties: false },
      ),
      response: { 200: DraftListView, 400: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, 422: ErrorResponse },
    },
    config: { access: 'needs:write' },
  }, async (request) => needs.setDraftList(actorOf(request), request.params.id, request.body.items));

  app.post('/needs/campaigns/:id/ready', {
    schema: { tags: ['needs'], summary: '提交居民议事会 Hand the draft list to the council', params: IdParam, response: { 200: DraftListView, 404: ErrorResponse, 409: ErrorResponse, 422: ErrorResponse } },
    config: { access: 'needs:write' },
  }, async (request) => needs.markReady(actorOf(request), request.params.id));
};
