import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { CommonErrors, IDEMPOTENCY_NOTE, IdParam } from '../../common/schemas.js';
import { actorOf } from '../auth/auth.hooks.js';
import {
  ApprovePaymentBody,
  ContractableProjectsQuery,
  ContractableProjectsView,
  ContractListView,
  ContractsQuery,
  ContractView,
  CreateContractBody,
  CreateProcurementBody,
  CreateProviderAccountBody,
  CreateProviderBody,
  IneligibilityBody,
  PaymentApprovalView,
  PaymentRequestBody,
  PaymentRequestListView,
  PaymentRequestsQuery,
  PaymentRequestView,
  ProcurementListView,
  ProcurementsQuery,
  ProcurementView,
  ProviderAccountView,
  ProviderListView,
  ProvidersQuery,
  ProviderView,
  ProviderYearQuery,
  ReasonBody,
  SignContractBody,
  UpdateProviderBody,
} from './procurement.schemas.js';

export const procurementRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const svc = app.services.procurement;
  const tags = ['procurement'];

  // ---- providers ----

  app.get(
    '/providers',
    {
      schema: {
        tags,
        summary: '承接主体名录（含年度承接资格） Provider registry with eligibility for a year',
        querystring: ProvidersQuery,
        response: { 200: ProviderListView, ...CommonErrors },
      },
      config: { access: 'providers:read' },
    },
    async (request) => svc.listProviders(actorOf(request), request.query),
  );

  app.post(
    '/providers',
    {
      schema: {
        tags,
        summary: '登记承接主体 Register a provider',
        description: 'The unified social credit code is validated (18 characters, GB 32100-2015 check character); lower case is accepted.',
        body: CreateProviderBody,
        response: { 201: ProviderView, ...CommonErrors },
      },
      config: { access: 'providers:write' },
    },
    async (request, reply) => reply.status(201).send(await svc.createProvider(actorOf(request), request.body)),
  );

  app.get(
    '/providers/:id',
    {
      schema: {
        tags,
        summary: '承接主体详情 A provider',
        params: IdParam,
        querystring: ProviderYearQuery,
        response: { 200: ProviderView, ...CommonErrors },
      },
      config: { access: 'providers:read' },
    },
    async (request) => svc.getProvider(actorOf(request), request.params.id, request.query.year),
  );

  app.patch(
    '/providers/:id',
    {
      schema: {
        tags,
        summary: '修改承接主体信息 Update a provider',
        params: IdParam,
        body: UpdateProviderBody,
        response: { 200: ProviderView, ...CommonErrors },
      },
      config: { access: 'providers:write' },
    },
    async (request) => svc.updateProvider(actorOf(request), request.params.id, request.body),
  );

  app.post(
    '/providers/:id/accounts',
    {
      schema: {
        tags,
        summary: "为承接主体开设登录账号 Open a sign-in for a provider's staff",
        params: IdParam,
        body: CreateProviderAccountBody,
        response: { 201: ProviderAccountView, ...CommonErrors },
      },
      config: { access: 'providers:write' },
    },
    async (request, reply) => reply.status(201).send(await svc.createProviderAccount(actorOf(request), request.params.id, request.body)),
  );

  app.post(
    '/providers/:id/ineligibilities',
    {
      schema: {
        tags,
        summary: '登记不具备承接资格的年度 Record a year of ineligibility [N 3.2]',
        params: IdParam,
        body: IneligibilityBody,
        response: { 200: ProviderView, ...CommonErrors },
      },
      config: { access: 'providers:write' },
    },
    async (request) => svc.addIneligibility(actorOf(request), request.params.id, request.body),
  );

  // ---- procurements ----

  app.get(
    '/procurements',
    {
      schema: {
        tags,
        summary: '采购记录 Procurement records in scope',
        querystring: ProcurementsQuery,
        response: { 200: ProcurementListView, ...CommonErrors },
      },
      config: { access: 'procurement:read' },
    },
    async (request) => svc.listProcurements(actorOf(request), request.query),
  );

  app.post(
    '/procurements',
    {
      schema: {
        tags,
        summary: '登记采购（选定承接主体） Record a procurement [N 3.1.3]',
        description:
          "For filed projects of the fund year in the purchaser's area. A small-amount direct purchase only below the policy threshold; the selected provider must be a candidate and eligible." +
          IDEMPOTENCY_NOTE,
        body: CreateProcurementBody,
        response: { 201: ProcurementView, ...CommonErrors },
      },
      config: { access: 'procurement:write' },
    },
    async (request, reply) => reply.status(201).send(await svc.createProcurement(actorOf(request), request.body)),
  );

  app.get(
    '/procurement/projects',
    {
      schema: {
        tags,
        summary: '可采购的已备案项目 Filed projects in scope, with the contract covering each',
        querystring: ContractableProjectsQuery,
        response: { 200: ContractableProjectsView, ...CommonErrors },
      },
      config: { access: 'procurement:read' },
    },
    async (request) => svc.contractableProjects(actorOf(request), request.query.fundYear),
  );

  app.get(
    '/procurements/:id',
    {
      schema: { tags, summary: '采购记录详情 A procurement', params: IdParam, response: { 200: ProcurementView, ...CommonErrors } },
      config: { access: 'procurement:read' },
    },
    async (request) => svc.getProcurement(actorOf(request), request.params.id),
  );

  // ---- contracts ----

  app.get(
    '/contracts',
    {
      schema: {
        tags,
        summary: '服务合同 Contracts in scope (a provider sees its own)',
        querystring: ContractsQuery,
        response: { 200: ContractListView, ...CommonErrors },
      },
      config: { access: 'procurement:read' },
    },
    async (request) => svc.listContracts(actorOf(request), request.query),
  );

  app.post(
    '/contracts',
    {
      schema: {
        tags,
        summary: '起草服务合同 Draft a contract',
        description:
          "Instalments must add up exactly to the amount; the amount stays within the projects' budget. At most one live (not cancelled) contract per plan project [N 4.1]: a second answers 409 PROJECT_ALREADY_CONTRACTED." +
          IDEMPOTENCY_NOTE,
        body: CreateContractBody,
        response: { 201: ContractView, ...CommonErrors },
      },
      config: { access: 'procurement:write' },
    },
    async (request, reply) => reply.status(201).send(await svc.createContract(actorOf(request), request.body)),
  );

  app.get(
    '/contracts/:id',
    {
      schema: {
        tags,
        summary: '合同详情（分期、拨付与账本影响） A contract with instalments and its ledger effect',
        params: IdParam,
        response: { 200: ContractView, ...CommonErrors },
      },
      config: { access: 'procurement:read' },
    },
    async (request) => svc.getContract(actorOf(request), request.params.id),
  );

  app.post(
    '/contracts/:id/sign',
    {
      schema: {
        tags,
        summary: '签订合同（占用社区资金） Sign: commits the amount in the ledger',
        description: "Refused (422) when the amount exceeds the community's available balance or the provider is ineligible.",
        params: IdParam,
        body: SignContractBody,
        response: { 200: ContractView, ...CommonErrors },
      },
      config: { access: 'procurement:write' },
    },
    async (request) => svc.signContract(actorOf(request), request.params.id, request.body ?? {}),
  );

  app.post(
    '/contracts/:id/cancel',
    {
      schema: {
        tags,
        summary: '终止合同（释放未拨付的占用） Cancel: releases what is not paid',
        params: IdParam,
        body: ReasonBody,
        response: { 200: ContractView, ...CommonErrors },
      },
      config: { access: 'procurement:write' },
    },
    async (request) => svc.cancelContract(actorOf(request), request.params.id, request.body),
  );

  // ---- payments [N 3.3] ----

  app.post(
    '/instalments/:id/requests',
    {
      schema: {
        tags,
        summary: '承接主体申请拨付本期款项 The provider requests an instalment',
        description:
          'Refused when the condition does not hold, the payee is not the contracted provider, or a request is already pending (409 REQUEST_EXISTS).' +
          IDEMPOTENCY_NOTE,
        params: IdParam,
        body: PaymentRequestBody,
        response: { 201: PaymentRequestView, ...CommonErrors },
      },
      config: { access: 'payments:request' },
    },
    async (request, reply) => reply.status(201).send(await svc.requestPayment(actorOf(request), request.params.id, request.body ?? {})),
  );

  app.get(
    '/payment-requests',
    {
      schema: {
        tags,
        summary: '拨付申请 Payment requests in scope',
        querystring: PaymentRequestsQuery,
        response: { 200: PaymentRequestListView, ...CommonErrors },
      },
      config: { access: 'procurement:read' },
    },
    async (request) => svc.listPaymentRequests(actorOf(request), request.query),
  );

  app.post(
    '/payment-requests/:id/approve',
    {
      schema: {
        tags,
        summary: '街道审核通过并拨付 The street office approves: disburses the instalment',
        description: 'Posts the instalment from the commitment in the ledger, once (a retry returns the first result).',
        params: IdParam,
        body: ApprovePaymentBody,
        response: { 200: PaymentApprovalView, ...CommonErrors },
      },
      config: { access: 'payments:approve' },
    },
    async (request) => svc.approvePayment(actorOf(request), request.params.id, request.body ?? {}),
  );

  app.post(
    '/payment-requests/:id/reject',
    {
      schema: {
        tags,
        summary: '驳回拨付申请 Reject a payment request',
        params: IdParam,
        body: ReasonBody,
        response: { 200: PaymentRequestView, ...CommonErrors },
      },
      config: { access: 'payments:approve' },
    },
    async (request) => svc.rejectPayment(actorOf(request), request.params.id, request.body),
  );
};
