import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ErrorResponse, FundYear, IsoDate, IsoDateString, RowId } from '../../common/schemas.js';
import { actorOf } from '../auth/auth.hooks.js';
import { DECISION_BODIES, MAJOR_PROCEDURE_STEPS, SIMPLIFIED_PROCEDURE_STEPS } from './decisions.rules.js';

const IdParam = Type.Object({ id: RowId() });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Attachments = Type.Array(
  Type.Object({ name: Type.String({ minLength: 1, maxLength: 200 }), url: Nullable(Type.String({ maxLength: 1000, pattern: '^(https?://|/)' })) }, { additionalProperties: false }),
  { maxItems: 50, description: '附件（名称与链接） attachments: name and link' },
);
const Body = Type.Union(DECISION_BODIES.map((b) => Type.Literal(b)), { description: '居民议事会 council · 居民会议 residents_meeting · 居民代表会议 representatives_meeting · 社区"两委" committees (simplified)' });
const Step = Type.Union([...MAJOR_PROCEDURE_STEPS, ...SIMPLIFIED_PROCEDURE_STEPS].map((s) => Type.Literal(s)));
const Count = Type.Integer({ minimum: 0, maximum: 100_000 });

const NoticeProject = Type.Object({
  projectId: Type.Integer(), title: Type.String(), catalogueCode: Type.String(), category: Type.String(), estimatedBudgetFen: Type.Integer(),
  votesFor: Type.Integer(), votesAgainst: Type.Integer(), votesAbstain: Type.Integer(),
});
const NoticeCore = {
  id: Type.Integer(), round: Type.Integer(), postedOn: Type.String(), windowEnd: Type.String(),
  windowEndProvisional: Type.Boolean({ description: '公示期届满日按暂定工作日历推算（当年节假日安排未录入）Provisional: computed through a year whose holiday notice is not entered' }),
  status: Type.String({ description: 'open 公示中 · suspended 异议中止 · voided 已作废 · closed 公示期满' }),
  daysLeft: Type.Integer({ description: '剩余天数（含今天） days left, today included' }),
  projects: Type.Array(NoticeProject), totalBudgetFen: Type.Integer(),
  representatives: Type.Integer(), objectorsNeeded: Type.Integer(), objectors: Type.Integer(),
  suspendedAt: Nullable(Type.String({ description: '中止时间 when the notice was suspended' })), suspendReason: Nullable(Type.String({ description: '中止原因 why' })),
};
const NoticeView = Type.Object({
  ...NoticeCore,
  paperEntryUntil: Nullable(Type.String({ description: '书面异议补录截止日（当前公示） last day paper objections may be entered (current notice)' })),
  objections: Type.Array(Type.Object({
    id: Type.Integer(), householdNo: Type.String(), representativeName: Type.String(), channel: Type.String(), reason: Nullable(Type.String()),
    receivedOn: Type.String({ description: '收到日期（计入门槛） received date, counted' }), enteredOn: Type.String({ description: '录入日期 entered on' }),
    enteredLate: Type.Boolean({ description: '公示期满后补录 entered after the window' }), createdAt: Type.String(),
  })),
});
const DecisionView = Type.Object({
  id: Type.Integer(), communityCode: Type.String(), communityName: Type.String(), fundYear: Type.Integer(), campaignId: Type.Integer(), procedure: Type.String(),
  status: Type.String({ description: 'in_progress · noticed · suspended · ready_for_review · rejected' }), round: Type.Integer(), decidedOn: Nullable(Type.String()),
  nextStep: Nullable(Type.String()), steps: Type.Array(Type.Object({ step: Type.String(), label: Type.String() })), masked: Type.Boolean(),
  projects: Type.Array(Type.Object({
    id: Type.Integer(), proposalId: Type.Integer(), rank: Type.Integer(), title: Type.String(), catalogueCode: Type.String(), category: Type.String(),
    estimatedBudgetFen: Type.Integer(), internalMatter: Type.Boolean(), passed: Nullable(Type.Boolean()),
  })),
  records: Type.Array(Type.Object({
    id: Type.Integer(), seq: Type.Integer(), step: Type.String(), label: Type.String(), body: Nullable(Type.String()), bodyLabel: Nullable(Type.String()), heldOn: Type.String(),
    expectedAttendance: Type.Integer(), actualAttendance: Type.Integer(), outcome: Type.String(), minutes: Type.String(),
    attachments: Type.Array(Type.Object({ name: Type.String(), url: Nullable(Type.String()) })),
    presentMembers: Nullable(Type.Array(Type.Object({ householdNo: Type.String(), name: Type.String() }))),
    votes: Type.Array(Type.Object({ projectId: Type.Integer(), for: Type.Integer(), against: Type.Integer(), abstain: Type.Integer(), passed: Type.Boolean() })),
  })),
  paperEntry: Nullable(Type.Object({
    noticeId: Type.Integer(), until: Type.String({ description: '书面异议可补录至 paper objections may be entered until' }), provisional: Type.Boolean(), open: Type.Boolean(),
  })),
  suspension: Nullable(Type.Object({
    at: Type.String({ description: '中止时间 suspended at' }), reason: Type.String({ description: '中止原因 reason' }), lateEntry: Type.Boolean({ description: '因公示期满后补录的书面异议中止 suspended by a late-entered objection' }),
  })),
  notices: Type.Array(NoticeView),
});
const VoteBody = Type.Object(
  {
    heldOn: IsoDateString,
    body: Body,
    presentMembers: Type.Optional(Type.Array(Type.Object({ householdNo: Type.String({ minLength: 1, maxLength: 30 }), name: Type.String({ minLength: 1, maxLength: 30 }) }, { additionalProperties: false }), { maxItems: 10_000, description: '名册中实到成员（户号与姓名） roster members present' })),
    expectedAttendance: Type.Optional(Count),
    actualAttendance: Type.Optional(Count),
    votes: Type.Array(Type.Object({ projectId: RowId(), for: Count, against: Count, abstain: Count }, { additionalProperties: false }), { minItems: 1, maxItems: 100 }),
    minutes: Type.String({ minLength: 1, maxLength: 20_000 }),
    attachments: Type.Optional(Attachments),
  },
  { additionalProperties: false },
);
const ObjectionResult = Type.Object({ objectionId: Type.Integer(), objectors: Type.Integer(), objectorsNeeded: Type.Integer(), representatives: Type.Integer(), suspended: Type.Boolean() });

export const decisionsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const decisions = app.services.decisions;
  const objectionLimit = app.config.publicRateLimits.objectionPerMinute;

  // ---- public: the notice and objections ----

  app.get('/public/decisions/notices/:id', {
    schema: {
      tags: ['decisions'], summary: '公示（无需登录） A public notice, with its countdown and objection count', params: IdParam,
      response: {
        200: Type.Object({
          ...NoticeCore, today: Type.String(), noticeDays: Type.Integer(), fundYear: Type.Integer(), procedure: Type.String(),
          communityCode: Type.String(), communityName: Type.String(), streetName: Type.String(), districtName: Type.String(),
          decision: Type.Object({ body: Type.String(), bodyLabel: Type.String(), heldOn: Type.String(), expectedAttendance: Type.Integer(), actualAttendance: Type.Integer(), revote: Type.Boolean() }),
          latestNoticeId: Type.Integer({ description: '本决议最新一次公示 the decision\'s latest notice' }),
        }),
        404: ErrorResponse, 429: ErrorResponse,
      },
    },
    config: { access: 'public', rateLimit: { max: objectionLimit * 6, timeWindow: '1 minute' } },
  }, async (request) => decisions.publicNotice(request.params.id));

  app.get('/public/communities/:code/notices', {
    schema: {
      tags: ['decisions'], summary: '社区的公示（无需登录） A community\'s notices, newest first', params: Type.Object({ code: Type.String({ pattern: '^\\d{12}$' }) }),
      response: { 200: Type.Object({ items: Type.Array(Type.Object({ ...NoticeCore, fundYear: Type.Integer() })) }), 429: ErrorResponse },
    },
    config: { access: 'public', rateLimit: { max: objectionLimit * 6, timeWindow: '1 minute' } },
  }, async (request) => ({ items: await decisions.publicNoticesOf(request.params.code) }));

  app.post('/public/decisions/notices/:id/objections', {
    schema: {
      tags: ['decisions'], summary: '居民代表提出异议（无需登录） A registered representative objects',
      description: 'Identify by householdNo + headName + phoneLast4 (as in needs collection), and representativeName when the household has several representatives. Each representative counts once per notice (409 on a second objection); refused after the window end (422, [N 3.1.2(1)]).',
      params: IdParam,
      body: Type.Object(
        {
          householdNo: Type.String({ minLength: 1, maxLength: 30 }),
          headName: Type.String({ minLength: 1, maxLength: 30 }),
          phoneLast4: Type.String({ pattern: '^\\d{4}$' }),
          representativeName: Type.Optional(Type.String({ minLength: 1, maxLength: 30 })),
          reason: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
        },
        { additionalProperties: false },
      ),
      response: { 200: ObjectionResult, 400: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, 422: ErrorResponse, 429: ErrorResponse },
    },
    config: { access: 'public', rateLimit: { max: objectionLimit, timeWindow: '1 minute' } },
  }, async (request) => {
    const { reason, ...identity } = request.body;
    return decisions.objectPublic(request.params.id, identity, reason ?? null);
  });

  // ---- staff ----

  app.get('/decisions', {
    schema: {
      tags: ['decisions'], summary: '辖区内的民主决策 Decisions in scope',
      querystring: Type.Object({
        communityCode: Type.Optional(Type.String({ pattern: '^\\d{12}$' })), fundYear: Type.Optional(FundYear),
        status: Type.Optional(Type.Union(['in_progress', 'noticed', 'suspended', 'ready_for_review', 'rejected'].map((s) => Type.Literal(s)))),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })), offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000_000 })),
      }),
      response: {
        200: Type.Object({
          total: Type.Integer(),
          items: Type.Array(Type.Object({
            id: Type.Integer(), communityCode: Type.String(), communityName: Type.String(), fundYear: Type.Integer(), procedure: Type.String(), status: Type.String(),
            round: Type.Integer(), decidedOn: Nullable(Type.String()), notice: Nullable(Type.Object(NoticeCore)),
          })),
        }),
      },
    },
    config: { access: 'decisions:read' },
  }, async (request) => decisions.list(actorOf(request), request.query));

  app.post('/decisions', {
    schema: {
      tags: ['decisions'], summary: '对项目清单启动决策程序 Open the decision on a ready draft list',
      body: Type.Object(
        {
          campaignId: RowId(),
          procedure: Type.Union([Type.Literal('major'), Type.Literal('simplified')], { description: '重大事项"4+2"程序 major · 内部事务简易程序 simplified' }),
          internalMatterProposalIds: Type.Optional(Type.Array(RowId(), { maxItems: 100 })),
        },
        { additionalProperties: false },
      ),
      response: { 200: Type.Object({ decision: DecisionView }), 400: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, 422: ErrorResponse },
    },
    config: { access: 'decisions:write' },
  }, async (request) => ({ decision: await decisions.create(actorOf(request), request.body) }));

  app.get('/decisions/:id', {
    schema: { tags: ['decisions'], summary: '决策程序、表决与公示 A decision with its steps, votes and notices', params: IdParam, response: { 200: Type.Object({ decision: DecisionView }), 404: ErrorResponse } },
    config: { access: 'decisions:read' },
  }, async (request) => ({ decision: await decisions.get(actorOf(request), request.params.id) }));

  app.post('/decisions/:id/steps', {
    schema: {
      tags: ['decisions'], summary: '记录程序步骤（依次） Record a step of the procedure, in order', params: IdParam,
      body: Type.Object(
        {
          step: Step, heldOn: IsoDateString, expectedAttendance: Count, actualAttendance: Count,
          outcome: Type.Union([Type.Literal('approved'), Type.Literal('returned')], { description: '通过 approved · 退回（须重新进行） returned' }),
          minutes: Type.String({ minLength: 1, maxLength: 20_000 }), attachments: Type.Optional(Attachments),
        },
        { additionalProperties: false },
      ),
      response: { 200: Type.Object({ decision: DecisionView }), 400: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, 422: ErrorResponse },
    },
    config: { access: 'decisions:write' },
  }, async (request) => ({ decision: await decisions.recordStep(actorOf(request), request.params.id, request.body) }));

  app.post('/decisions/:id/vote', {
    schema: {
      tags: ['decisions'], summary: '决议：逐项表决，通过后立即公示 The decisive vote; the notice is posted at once', params: IdParam, body: VoteBody,
      response: { 200: Type.Object({ decision: DecisionView }), 400: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, 422: ErrorResponse },
    },
    config: { access: 'decisions:write' },
  }, async (request) => ({ decision: await decisions.vote(actorOf(request), request.params.id, request.body) }));

  app.post('/decisions/:id/revote', {
    schema: {
      tags: ['decisions'], summary: '针对异议重新表决，并重新公示 Retake a suspended decision; a new notice follows', params: IdParam, body: VoteBody,
      response: { 200: Type.Object({ decision: DecisionView }), 400: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, 422: ErrorResponse },
    },
    config: { access: 'decisions:write' },
  }, async (request) => ({ decision: await decisions.revote(actorOf(request), request.params.id, request.body) }));

  app.post('/decisions/notices/:id/objections', {
    schema: {
      tags: ['decisions'], summary: '录入书面异议 Record a paper objection of a registered representative', params: IdParam,
      body: Type.Object(
        {
          householdNo: Type.String({ minLength: 1, maxLength: 30 }), representativeName: Type.String({ minLength: 1, maxLength: 30 }),
          reason: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
          receivedOn: Type.Optional(IsoDate('收到日期（默认今天）：不晚于今天、不早于公示日、在公示期内；公示期满后可在政策规定的工作日内补录 received date (default today)')),
        },
        { additionalProperties: false },
      ),
      response: { 200: ObjectionResult, 400: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, 422: ErrorResponse },
    },
    config: { access: 'decisions:write' },
  }, async (request) => decisions.objectPaper(actorOf(request), request.params.id, request.body));
};
