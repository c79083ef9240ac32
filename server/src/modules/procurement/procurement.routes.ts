import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { FenAmount, FundYear, IDEMPOTENCY_NOTE, IsoDateString, RequestId, RowId } from '../../common/schemas.js';
import { actorOf } from '../auth/auth.hooks.js';
import { INSTALMENT_CONDITIONS, PROCUREMENT_METHODS, PROVIDER_KINDS } from './procurement.rules.js';

const IdParam = Type.Object({ id: RowId() });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Text = (max: number, min = 1) => Type.String({ minLength: min, maxLength: max });
const Kind = Type.Union(PROVIDER_KINDS.map((k) => Type.Literal(k)), { description: '社工站 social_work_station · 社会组织 social_organisation · 高校科研院所 university' });
const Method = Type.Union(PROCUREMENT_METHODS.map((m) => Type.Literal(m)), {
  description: '公开招标 public_tender · 邀请招标 invited_tender · 竞争性谈判 competitive_negotiation · 竞争性磋商 competitive_consultation · 单一来源 single_source · 询价 inquiry · 小额直接采购 small_direct',
});
const Condition = Type.Union(INSTALMENT_CONDITIONS.map((c) => Type.Literal(c)), { description: '合同签订后 on_signing · 中期评估合格后 after_midterm_passed · 终期评估合格后 after_final_passed · 约定日期 on_date' });
const Contact = Type.Object({ name: Text(30), phone: Type.String({ pattern: '^[0-9+\\-]{5,20}$' }), title: Type.Optional(Nullable(Type.String({ maxLength: 30 }))) }, { additionalProperties: false });
const Qualification = Type.Object(
  { name: Text(100), issuer: Type.Optional(Type.String({ maxLength: 100 })), number: Type.Optional(Type.String({ maxLength: 60 })), validUntil: Type.Optional(Nullable(IsoDateString)) },
  { additionalProperties: false },
);
const DocumentRef = Type.Object({ name: Text(200), kind: Text(40), ref: Type.Optional(Nullable(Type.String({ maxLength: 200 }))) }, { additionalProperties: false });
const Candidate = Type.Object(
  { providerId: Nullable(RowId('登记的承接主体 registered provider')), name: Text(100), quoteFen: Type.Optional(Nullable(FenAmount({ description: '报价（分） quote in fen' }))), note: Type.Optional(Type.String({ maxLength: 500 })) },
  { additionalProperties: false },
);
const Instalment = Type.Object({ condition: Condition, amountFen: FenAmount({ minimum: 1 }), dueOn: Type.Optional(Nullable(IsoDateString)) }, { additionalProperties: false });
const Paging = { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })), offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })) };

export const procurementRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const svc = app.services.procurement;
  const tags = ['procurement'];

  // ---- providers ----

  app.get('/providers', {
    schema: { tags, summary: '承接主体名录（含年度承接资格） Provider registry with eligibility for a year', querystring: Type.Object({ year: Type.Optional(FundYear), kind: Type.Optional(Kind), q: Type.Optional(Type.String({ maxLength: 50 })), ...Paging }) },
    config: { access: 'providers:read' },
  }, async (request) => svc.listProviders(actorOf(request), request.query));

  app.post('/providers', {
    schema: {
      tags, summary: '登记承接主体 Register a provider', description: 'The unified social credit code is validated (18 characters, GB 32100-2015 check character); lower case is accepted.',
      body: Type.Object(
        {
          name: Text(100), kind: Kind, creditCode: Type.String({ minLength: 1, maxLength: 30 }), registrationAuthority: Text(100), address: Type.Optional(Type.String({ maxLength: 200 })),
          regionCode: Type.Optional(Nullable(Type.String({ pattern: '^\\d{4,12}$' }))), contacts: Type.Array(Contact, { minItems: 1, maxItems: 10 }), qualifications: Type.Optional(Type.Array(Qualification, { maxItems: 30 })),
        },
        { additionalProperties: false },
      ),
    },
    config: { access: 'providers:write' },
  }, async (request, reply) => reply.status(201).send(await svc.createProvider(actorOf(request), request.body)));

  app.get('/providers/:id', {
    schema: { tags, summary: '承接主体详情 A provider', params: IdParam, querystring: Type.Object({ year: Type.Optional(FundYear) }) },
    config: { access: 'providers:read' },
  }, async (request) => svc.getProvider(actorOf(request), request.params.id, request.query.year));

  app.patch('/providers/:id', {
    schema: {
      tags, summary: '修改承接主体信息 Update a provider', params: IdParam,
      body: Type.Object(
        {
          name: Type.Optional(Text(100)), registrationAuthority: Type.Optional(Text(100)), address: Type.Optional(Type.String({ maxLength: 200 })),
          regionCode: Type.Optional(Nullable(Type.String({ pattern: '^\\d{4,12}$' }))), contacts: Type.Optional(Type.Array(Contact, { minItems: 1, maxItems: 10 })), qualifications: Type.Optional(Type.Array(Qualification, { maxItems: 30 })),
        },
        { additionalProperties: false, minProperties: 1 },
      ),
    },
    config: { access: 'providers:write' },
  }, async (request) => svc.updateProvider(actorOf(request), request.params.id, request.body));

  app.post('/providers/:id/accounts', {
    schema: {
      tags, summary: '为承接主体开设登录账号 Open a sign-in for a provider\'s staff', params: IdParam,
      body: Type.Object(
        { username: Type.String({ pattern: '^[a-z0-9][a-z0-9._-]{2,39}$', description: '小写字母、数字、._-' }), displayName: Type.Optional(Text(100)), password: Type.String({ minLength: 1, maxLength: 256 }) },
        { additionalProperties: false },
      ),
    },
    config: { access: 'providers:write' },
  }, async (request, reply) => reply.status(201).send(await svc.createProviderAccount(actorOf(request), request.params.id, request.body)));

  app.post('/providers/:id/ineligibilities', {
    schema: {
      tags, summary: '登记不具备承接资格的年度 Record a year of ineligibility [N 3.2]', params: IdParam,
      body: Type.Object({ year: FundYear, reason: Text(300), sourceRef: Type.Optional(Nullable(Type.String({ maxLength: 100 }))) }, { additionalProperties: false }),
    },
    config: { access: 'providers:write' },
  }, async (request) => svc.addIneligibility(actorOf(request), request.params.id, request.body));

  // ---- procurements ----

  app.get('/procurements', {
    schema: { tags, summary: '采购记录 Procurement records in scope', querystring: Type.Object({ fundYear: Type.Optional(FundYear), ...Paging }) },
    config: { access: 'procurement:read' },
  }, async (request) => svc.listProcurements(actorOf(request), request.query));

  app.post('/procurements', {
    schema: {
      tags, summary: '登记采购（选定承接主体） Record a procurement [N 3.1.3]',
      description: 'For filed projects of the fund year in the purchaser\'s area. A small-amount direct purchase only below the policy threshold; the selected provider must be a candidate and eligible.' + IDEMPOTENCY_NOTE,
      body: Type.Object(
        {
          fundYear: FundYear, purchaserCode: Type.String({ pattern: '^\\d{9}(\\d{3})?$', description: '社区或街道代码 community or street code' }), method: Method,
          projectIds: Type.Array(RowId(), { minItems: 1, maxItems: 50 }), candidates: Type.Array(Candidate, { minItems: 1, maxItems: 30 }), selectedProviderId: RowId(),
          selectionReason: Text(1000), documents: Type.Optional(Type.Array(DocumentRef, { maxItems: 30 })), decidedOn: IsoDateString, requestId: RequestId,
        },
        { additionalProperties: false },
      ),
    },
    config: { access: 'procurement:write' },
  }, async (request, reply) => reply.status(201).send(await svc.createProcurement(actorOf(request), request.body)));

  app.get('/procurement/projects', {
    schema: { tags, summary: '可采购的已备案项目 Filed projects in scope, with the contract covering each', querystring: Type.Object({ fundYear: FundYear }) },
    config: { access: 'procurement:read' },
  }, async (request) => svc.contractableProjects(actorOf(request), request.query.fundYear));

  app.get('/procurements/:id', {
    schema: { tags, summary: '采购记录详情 A procurement', params: IdParam },
    config: { access: 'procurement:read' },
  }, async (request) => svc.getProcurement(actorOf(request), request.params.id));

  // ---- contracts ----

  app.get('/contracts', {
    schema: {
      tags, summary: '服务合同 Contracts in scope (a provider sees its own)',
      querystring: Type.Object({ fundYear: Type.Optional(FundYear), status: Type.Optional(Type.Union(['draft', 'signed', 'completed', 'cancelled'].map((s) => Type.Literal(s)))), communityCode: Type.Optional(Type.String({ pattern: '^\\d{12}$' })), ...Paging }),
    },
    config: { access: 'procurement:read' },
  }, async (request) => svc.listContracts(actorOf(request), request.query));

  app.post('/contracts', {
    schema: {
      tags, summary: '起草服务合同 Draft a contract', description: 'Instalments must add up exactly to the amount; the amount stays within the projects\' budget. At most one live (not cancelled) contract per plan project [N 4.1]: a second answers 409 PROJECT_ALREADY_CONTRACTED.' + IDEMPOTENCY_NOTE,
      body: Type.Object(
        {
          procurementId: RowId(), communityCode: Type.String({ pattern: '^\\d{12}$', description: '资金来源社区 the community whose allocation funds it' }), title: Text(200),
          amountFen: FenAmount({ minimum: 1 }), startsOn: IsoDateString, endsOn: IsoDateString, deliverables: Type.Array(Text(300), { minItems: 1, maxItems: 30 }),
          projectIds: Type.Optional(Type.Array(RowId(), { minItems: 1, maxItems: 50 })), instalments: Type.Array(Instalment, { minItems: 1, maxItems: 12 }), requestId: RequestId,
        },
        { additionalProperties: false },
      ),
    },
    config: { access: 'procurement:write' },
  }, async (request, reply) => reply.status(201).send(await svc.createContract(actorOf(request), request.body)));

  app.get('/contracts/:id', {
    schema: { tags, summary: '合同详情（分期、拨付与账本影响） A contract with instalments and its ledger effect', params: IdParam },
    config: { access: 'procurement:read' },
  }, async (request) => svc.getContract(actorOf(request), request.params.id));

  app.post('/contracts/:id/sign', {
    schema: {
      tags, summary: '签订合同（占用社区资金） Sign: commits the amount in the ledger', description: 'Refused (422) when the amount exceeds the community\'s available balance or the provider is ineligible.',
      params: IdParam, body: Type.Object({ signedOn: Type.Optional(IsoDateString) }, { additionalProperties: false }),
    },
    config: { access: 'procurement:write' },
  }, async (request) => svc.signContract(actorOf(request), request.params.id, request.body ?? {}));

  app.post('/contracts/:id/cancel', {
    schema: { tags, summary: '终止合同（释放未拨付的占用） Cancel: releases what is not paid', params: IdParam, body: Type.Object({ reason: Text(500) }, { additionalProperties: false }) },
    config: { access: 'procurement:write' },
  }, async (request) => svc.cancelContract(actorOf(request), request.params.id, request.body));

  // ---- payments [N 3.3] ----

  app.post('/instalments/:id/requests', {
    schema: {
      tags, summary: '承接主体申请拨付本期款项 The provider requests an instalment', description: 'Refused when the condition does not hold, the payee is not the contracted provider, or a request is already pending (409 REQUEST_EXISTS).' + IDEMPOTENCY_NOTE,
      params: IdParam, body: Type.Object({ note: Type.Optional(Type.String({ maxLength: 500 })), payeeProviderId: Type.Optional(RowId()), requestId: RequestId }, { additionalProperties: false }),
    },
    config: { access: 'payments:request' },
  }, async (request, reply) => reply.status(201).send(await svc.requestPayment(actorOf(request), request.params.id, request.body ?? {})));

  app.get('/payment-requests', {
    schema: {
      tags, summary: '拨付申请 Payment requests in scope',
      querystring: Type.Object({ status: Type.Optional(Type.Union(['requested', 'approved', 'rejected'].map((s) => Type.Literal(s)))), contractId: Type.Optional(RowId()), ...Paging }),
    },
    config: { access: 'procurement:read' },
  }, async (request) => svc.listPaymentRequests(actorOf(request), request.query));

  app.post('/payment-requests/:id/approve', {
    schema: {
      tags, summary: '街道审核通过并拨付 The street office approves: disburses the instalment', description: 'Posts the instalment from the commitment in the ledger, once (a retry returns the first result).',
      params: IdParam, body: Type.Object({ note: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false }),
    },
    config: { access: 'payments:approve' },
  }, async (request) => svc.approvePayment(actorOf(request), request.params.id, request.body ?? {}));

  app.post('/payment-requests/:id/reject', {
    schema: { tags, summary: '驳回拨付申请 Reject a payment request', params: IdParam, body: Type.Object({ reason: Text(500) }, { additionalProperties: false }) },
    config: { access: 'payments:approve' },
  }, async (request) => svc.rejectPayment(actorOf(request), request.params.id, request.body));
};
