import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { CommonErrors, IDEMPOTENCY_NOTE, IdParam } from '../../common/schemas.js';
import { actorOf } from '../auth/auth.hooks.js';
import {
  CampaignListQuery,
  CampaignListView,
  CampaignResponse,
  CreateCampaignBody,
  CreateProposalBody,
  DraftListBody,
  DraftListView,
  EnterOpinionBody,
  ImportOpinionsBody,
  ImportResult,
  IssueCodesBody,
  IssuedCodesView,
  MergeProposalsBody,
  OpinionListQuery,
  OpinionListView,
  ProposalListView,
  ProposalResponse,
  PublicCampaignView,
  PublicSubmissionBody,
  ScreenProposalBody,
  SubmitResult,
  UpdateCampaignBody,
  UpdateProposalBody,
} from './needs.schemas.js';

export const needsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const needs = app.services.needs;
  const submitLimit = app.config.publicRateLimits.needsSubmitPerMinute;

  // ---- public: the resident page ----

  app.get(
    '/public/needs/campaigns/:id',
    {
      schema: {
        tags: ['needs'],
        summary: '居民端：需求征集问卷（无需登录） The questionnaire, public',
        params: IdParam,
        response: { 200: PublicCampaignView, ...CommonErrors },
      },
      config: {
        access: 'public',
        rateLimit: { max: submitLimit * 4, timeWindow: '1 minute' },
        // Whether it is open decides whether a resident may answer: never served stale.
        httpCache: { version: () => needs.publicVersion(), fresh: true },
      },
    },
    async (request) => needs.publicCampaign(request.params.id),
  );

  app.post(
    '/public/needs/campaigns/:id/submissions',
    {
      schema: {
        tags: ['needs'],
        summary: "居民端：提交意见（每户一次） Submit a household's answer, public",
        description:
          'Identify by householdNo + headName + phoneLast4, or by a one-time code. One household counts once per campaign: a second answer is refused (409) unless the campaign allows changes, in which case it replaces the first.',
        params: IdParam,
        body: PublicSubmissionBody,
        response: { 200: SubmitResult, ...CommonErrors },
      },
      config: { access: 'public', rateLimit: { max: submitLimit, timeWindow: '1 minute' }, httpCache: 'no-store' },
    },
    async (request) => {
      const { choices, freeText, ...identity } = request.body;
      return needs.submitPublic(request.params.id, identity, { choices, freeText });
    },
  );

  // ---- campaigns ----

  app.get(
    '/needs/campaigns',
    {
      schema: {
        tags: ['needs'],
        summary: '辖区内需求征集 Campaigns in scope',
        querystring: CampaignListQuery,
        response: { 200: CampaignListView, ...CommonErrors },
      },
      config: { access: 'needs:read' },
    },
    async (request) => needs.listCampaigns(actorOf(request), request.query),
  );

  app.post(
    '/needs/campaigns',
    {
      schema: {
        tags: ['needs'],
        summary: '发起需求征集 Open a needs campaign',
        body: CreateCampaignBody,
        response: { 200: CampaignResponse, ...CommonErrors },
      },
      config: { access: 'needs:write' },
    },
    async (request) => ({
      campaign: await needs.createCampaign(actorOf(request), { ...request.body, allowChanges: request.body.allowChanges ?? false }),
    }),
  );

  app.get(
    '/needs/campaigns/:id',
    {
      schema: {
        tags: ['needs'],
        summary: '需求征集与入户覆盖率 A campaign with its live coverage',
        params: IdParam,
        response: { 200: CampaignResponse, ...CommonErrors },
      },
      config: { access: 'needs:read' },
    },
    async (request) => ({ campaign: await needs.getCampaign(actorOf(request), request.params.id) }),
  );

  app.patch(
    '/needs/campaigns/:id',
    {
      schema: {
        tags: ['needs'],
        summary: '修改需求征集 Edit an open campaign',
        params: IdParam,
        body: UpdateCampaignBody,
        response: { 200: CampaignResponse, ...CommonErrors },
      },
      config: { access: 'needs:write' },
    },
    async (request) => ({ campaign: await needs.updateCampaign(actorOf(request), request.params.id, request.body) }),
  );

  app.post(
    '/needs/campaigns/:id/conclude',
    {
      schema: {
        tags: ['needs'],
        summary: '完结征集（覆盖率须达标） Conclude: coverage must reach the policy share',
        params: IdParam,
        response: { 200: CampaignResponse, ...CommonErrors },
      },
      config: { access: 'needs:write' },
    },
    async (request) => ({ campaign: await needs.conclude(actorOf(request), request.params.id) }),
  );

  // ---- opinions ----

  app.get(
    '/needs/campaigns/:id/opinions',
    {
      schema: {
        tags: ['needs'],
        summary: '已收集的意见 Opinions collected',
        params: IdParam,
        querystring: OpinionListQuery,
        response: { 200: OpinionListView, ...CommonErrors },
      },
      config: { access: 'needs:read' },
    },
    async (request) => needs.listOpinions(actorOf(request), request.params.id, request.query),
  );

  app.post(
    '/needs/campaigns/:id/opinions',
    {
      schema: {
        tags: ['needs'],
        summary: '录入纸质问卷或院落会议结果 Enter a paper form or meeting result',
        params: IdParam,
        body: EnterOpinionBody,
        response: { 200: SubmitResult, ...CommonErrors },
      },
      config: { access: 'needs:write' },
    },
    async (request) => needs.enterOpinion(actorOf(request), request.params.id, request.body),
  );

  app.post(
    '/needs/campaigns/:id/opinions/import',
    {
      bodyLimit: 12 * 1024 * 1024,
      schema: {
        tags: ['needs'],
        summary: '批量导入纸质问卷（全部成功或全部不导入） Import paper forms, all or nothing',
        params: IdParam,
        description:
          '列 Columns: 户号, 渠道 (一户一票/院落会议/问卷/网络投票/实地走访), 选择 (目录名称或编码，以、分隔), 意见.' + IDEMPOTENCY_NOTE,
        body: ImportOpinionsBody,
        response: { 200: ImportResult, ...CommonErrors },
      },
      config: { access: 'needs:write' },
    },
    async (request) =>
      needs.importOpinions(
        actorOf(request),
        request.params.id,
        request.body.format,
        request.body.content,
        request.body.requestId,
        request.body.contentEncoding,
      ),
  );

  app.post(
    '/needs/campaigns/:id/codes',
    {
      schema: {
        tags: ['needs'],
        summary: '发放一次性验证码（仅本次返回明文） Issue one-time codes',
        params: IdParam,
        body: IssueCodesBody,
        response: { 200: IssuedCodesView, ...CommonErrors },
      },
      config: { access: 'needs:write' },
    },
    async (request) => needs.issueCodes(actorOf(request), request.params.id, request.body.householdNos),
  );

  // ---- proposals and the draft list ----

  app.get(
    '/needs/campaigns/:id/proposals',
    {
      schema: { tags: ['needs'], summary: '提案 Proposals', params: IdParam, response: { 200: ProposalListView, ...CommonErrors } },
      config: { access: 'needs:read' },
    },
    async (request) => needs.listProposals(actorOf(request), request.params.id),
  );

  app.post(
    '/needs/campaigns/:id/proposals',
    {
      schema: {
        tags: ['needs'],
        summary: '新增提案（"两委"直接提出，或由居民意见形成） Add a proposal',
        params: IdParam,
        body: CreateProposalBody,
        response: { 200: ProposalResponse, ...CommonErrors },
      },
      config: { access: 'needs:write' },
    },
    async (request) => ({ proposal: await needs.createProposal(actorOf(request), request.params.id, request.body) }),
  );

  app.patch(
    '/needs/proposals/:id',
    {
      schema: {
        tags: ['needs'],
        summary: '修改提案 Edit a proposal',
        params: IdParam,
        body: UpdateProposalBody,
        response: { 200: ProposalResponse, ...CommonErrors },
      },
      config: { access: 'needs:write' },
    },
    async (request) => ({ proposal: await needs.updateProposal(actorOf(request), request.params.id, request.body) }),
  );

  app.post(
    '/needs/campaigns/:id/proposals/merge',
    {
      schema: {
        tags: ['needs'],
        summary: '合并提案 Merge proposals',
        params: IdParam,
        body: MergeProposalsBody,
        response: { 200: ProposalResponse, ...CommonErrors },
      },
      config: { access: 'needs:write' },
    },
    async (request) => ({
      proposal: await needs.merge(actorOf(request), request.params.id, request.body.targetId, request.body.sourceIds),
    }),
  );

  app.post(
    '/needs/proposals/:id/screen',
    {
      schema: {
        tags: ['needs'],
        summary: '筛选提案（筛除须说明理由） Screen a proposal out, or restore it',
        params: IdParam,
        body: ScreenProposalBody,
        response: { 200: ProposalResponse, ...CommonErrors },
      },
      config: { access: 'needs:write' },
    },
    async (request) => ({ proposal: await needs.screen(actorOf(request), request.params.id, request.body.decision, request.body.reason) }),
  );

  app.get(
    '/needs/campaigns/:id/draft-list',
    {
      schema: {
        tags: ['needs'],
        summary: '项目清单（草案） The draft project list',
        params: IdParam,
        response: { 200: DraftListView, ...CommonErrors },
      },
      config: { access: 'needs:read' },
    },
    async (request) => needs.draftListFor(actorOf(request), request.params.id),
  );

  app.put(
    '/needs/campaigns/:id/draft-list',
    {
      schema: {
        tags: ['needs'],
        summary: '排序形成项目清单 Rank proposals into the draft list',
        params: IdParam,
        body: DraftListBody,
        response: { 200: DraftListView, ...CommonErrors },
      },
      config: { access: 'needs:write' },
    },
    async (request) => needs.setDraftList(actorOf(request), request.params.id, request.body.items),
  );

  app.post(
    '/needs/campaigns/:id/ready',
    {
      schema: {
        tags: ['needs'],
        summary: '提交居民议事会 Hand the draft list to the council',
        params: IdParam,
        response: { 200: DraftListView, ...CommonErrors },
      },
      config: { access: 'needs:write' },
    },
    async (request) => needs.markReady(actorOf(request), request.params.id),
  );
};
