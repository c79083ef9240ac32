import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { CommonErrors, CommunityCodeParam, IdParam } from '../../common/schemas.js';
import { actorOf } from '../auth/auth.hooks.js';
import {
  CommunityNoticesView,
  CreateDecisionBody,
  DecisionListQuery,
  DecisionListView,
  DecisionResponse,
  ObjectionResult,
  PaperObjectionBody,
  PublicNoticeView,
  PublicObjectionBody,
  ReopenBody,
  StepBody,
  VoteBody,
} from './decisions.schemas.js';

export const decisionsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const decisions = app.services.decisions;
  const objectionLimit = app.config.publicRateLimits.objectionPerMinute;
  /** A notice's window and objection count decide whether a representative may still object: never served stale. */
  const noticePages = {
    access: 'public' as const,
    rateLimit: { max: objectionLimit * 6, timeWindow: '1 minute' },
    httpCache: { version: () => decisions.publicVersion(), fresh: true },
  };

  // ---- public: the notice and objections ----

  app.get(
    '/public/decisions/notices/:id',
    {
      schema: {
        tags: ['decisions'],
        summary: '公示（无需登录） A public notice, with its countdown and objection count',
        params: IdParam,
        response: { 200: PublicNoticeView, ...CommonErrors },
      },
      config: noticePages,
    },
    async (request) => decisions.publicNotice(request.params.id),
  );

  app.get(
    '/public/communities/:code/notices',
    {
      schema: {
        tags: ['decisions'],
        summary: "社区的公示（无需登录） A community's notices, newest first",
        params: CommunityCodeParam,
        response: { 200: CommunityNoticesView, ...CommonErrors },
      },
      config: noticePages,
    },
    async (request) => ({ items: await decisions.publicNoticesOf(request.params.code) }),
  );

  app.post(
    '/public/decisions/notices/:id/objections',
    {
      schema: {
        tags: ['decisions'],
        summary: '居民代表提出异议（无需登录） A registered representative objects',
        description:
          'Identify by householdNo + headName + phoneLast4 (as in needs collection), and representativeName when the household has several representatives. Each representative counts once per notice (409 on a second objection); refused after the window end (422, [N 3.1.2(1)]).',
        params: IdParam,
        body: PublicObjectionBody,
        response: { 200: ObjectionResult, ...CommonErrors },
      },
      config: { access: 'public', rateLimit: { max: objectionLimit, timeWindow: '1 minute' }, httpCache: 'no-store' },
    },
    async (request) => {
      const { reason, ...identity } = request.body;
      return decisions.objectPublic(request.params.id, identity, reason ?? null);
    },
  );

  // ---- staff ----

  app.get(
    '/decisions',
    {
      schema: {
        tags: ['decisions'],
        summary: '辖区内的民主决策 Decisions in scope',
        querystring: DecisionListQuery,
        response: { 200: DecisionListView, ...CommonErrors },
      },
      config: { access: 'decisions:read' },
    },
    async (request) => decisions.list(actorOf(request), request.query),
  );

  app.post(
    '/decisions',
    {
      schema: {
        tags: ['decisions'],
        summary: '对项目清单启动决策程序 Open the decision on a ready draft list',
        body: CreateDecisionBody,
        response: { 200: DecisionResponse, ...CommonErrors },
      },
      config: { access: 'decisions:write' },
    },
    async (request) => ({ decision: await decisions.create(actorOf(request), request.body) }),
  );

  app.get(
    '/decisions/:id',
    {
      schema: {
        tags: ['decisions'],
        summary: '决策程序、表决与公示 A decision with its steps, votes and notices',
        params: IdParam,
        response: { 200: DecisionResponse, ...CommonErrors },
      },
      config: { access: 'decisions:read' },
    },
    async (request) => ({ decision: await decisions.get(actorOf(request), request.params.id) }),
  );

  app.post(
    '/decisions/:id/steps',
    {
      schema: {
        tags: ['decisions'],
        summary: '记录程序步骤（依次） Record a step of the procedure, in order',
        params: IdParam,
        body: StepBody,
        response: { 200: DecisionResponse, ...CommonErrors },
      },
      config: { access: 'decisions:write' },
    },
    async (request) => ({ decision: await decisions.recordStep(actorOf(request), request.params.id, request.body) }),
  );

  app.post(
    '/decisions/:id/vote',
    {
      schema: {
        tags: ['decisions'],
        summary: '决议：逐项表决，通过后立即公示 The decisive vote; the notice is posted at once',
        params: IdParam,
        body: VoteBody,
        response: { 200: DecisionResponse, ...CommonErrors },
      },
      config: { access: 'decisions:write' },
    },
    async (request) => ({ decision: await decisions.vote(actorOf(request), request.params.id, request.body) }),
  );

  app.post(
    '/decisions/:id/revote',
    {
      schema: {
        tags: ['decisions'],
        summary: '针对异议重新表决，并重新公示 Retake a suspended decision; a new notice follows',
        params: IdParam,
        body: VoteBody,
        response: { 200: DecisionResponse, ...CommonErrors },
      },
      config: { access: 'decisions:write' },
    },
    async (request) => ({ decision: await decisions.revote(actorOf(request), request.params.id, request.body) }),
  );

  app.post(
    '/decisions/:id/reopen',
    {
      schema: {
        tags: ['decisions'],
        summary: '重新提交议事会表决（增补项目） Reopen a concluded decision for a new round',
        description:
          'Community only, while its decision is ready for review and no plan holding it has been submitted (409 otherwise). The decision awaits a new round (POST /decisions/:id/revote) on its list with the campaign proposals added since; a new 10-day notice follows [N 3.1.2(1)].',
        params: IdParam,
        body: ReopenBody,
        response: { 200: DecisionResponse, ...CommonErrors },
      },
      config: { access: 'decisions:write' },
    },
    async (request) => ({ decision: await decisions.reopen(actorOf(request), request.params.id, request.body.reason.trim()) }),
  );

  app.post(
    '/decisions/notices/:id/objections',
    {
      schema: {
        tags: ['decisions'],
        summary: '录入书面异议 Record a paper objection of a registered representative',
        params: IdParam,
        body: PaperObjectionBody,
        response: { 200: ObjectionResult, ...CommonErrors },
      },
      config: { access: 'decisions:write' },
    },
    async (request) => decisions.objectPaper(actorOf(request), request.params.id, request.body),
  );
};
