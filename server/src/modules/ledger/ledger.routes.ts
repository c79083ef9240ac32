import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { DomainError } from '../../common/errors.js';
import { CommonErrors } from '../../common/schemas.js';
import { XLSX_TYPE, attachment } from '../../common/xlsx.js';
import { actorOf } from '../auth/auth.hooks.js';
import {
  AccountListView,
  AccountsQuery,
  AllocationConfirmationView,
  AllocationReviewView,
  CodeParam,
  ConfirmAllocationBody,
  FundsByStarsView,
  FundTableView,
  LedgerVerificationView,
  Paging,
  TransferIdParam,
  TransferListView,
  TransferView,
  XlsxFile,
  YearParam,
} from './ledger.schemas.js';

export const ledgerRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { ledger, allocations, funds } = app.services;

  // ------------------------------------------------------------------ allocations [N 1]
  app.get(
    '/allocations/:year',
    {
      schema: {
        tags: ['ledger'],
        summary: "资金下达审核清单 The appropriation to review (from last year's ratings)",
        params: YearParam,
        response: {
          200: AllocationReviewView,
          ...CommonErrors,
        },
      },
      config: { access: 'ledger:read' },
    },
    async (request) => allocations.review(actorOf(request), request.params.year),
  );

  app.post(
    '/allocations/:year/confirm',
    {
      schema: {
        tags: ['ledger'],
        summary: '市财政局确认资金下达 City finance confirms the appropriation (idempotent)',
        params: YearParam,
        body: ConfirmAllocationBody,
        response: {
          200: AllocationConfirmationView,
          ...CommonErrors,
        },
      },
      config: { access: 'allocations:confirm' },
    },
    async (request) => allocations.confirm(actorOf(request), request.params.year, request.body.expectedTotalFen),
  );

  // ------------------------------------------------------------------ fund views
  app.get(
    '/funds/:year/regions/:code',
    {
      schema: {
        tags: ['ledger'],
        summary: '资金视图：区域及下级的下达、占用、拨付、可用 Money of a region and its children',
        params: CodeParam,
        response: {
          200: FundTableView,
          ...CommonErrors,
        },
      },
      config: { access: 'ledger:read' },
    },
    async (request) => funds.table(actorOf(request), request.params.year, request.params.code),
  );

  app.get(
    '/funds/:year/regions/:code/by-stars',
    {
      schema: {
        tags: ['ledger'],
        summary: '按区县与星级的资金 Money by district and star level',
        params: CodeParam,
        response: {
          200: FundsByStarsView,
          ...CommonErrors,
        },
      },
      config: { access: 'ledger:read' },
    },
    async (request) => funds.byStars(actorOf(request), request.params.year, request.params.code),
  );

  app.get(
    '/funds/:year/regions/:code/transfers',
    {
      schema: {
        tags: ['ledger'],
        summary: '区域内的转账明细 Transfers under a region',
        params: CodeParam,
        querystring: Paging,
        response: { 200: TransferListView, ...CommonErrors },
      },
      config: { access: 'ledger:read' },
    },
    async (request) => funds.transfers(actorOf(request), request.params.year, request.params.code, request.query),
  );

  app.get(
    '/funds/:year/regions/:code/export.xlsx',
    {
      schema: {
        tags: ['ledger'],
        summary: '导出 Excel Export the fund tables (.xlsx)',
        params: CodeParam,
        response: { 200: XlsxFile, ...CommonErrors },
      },
      config: { access: 'ledger:read' },
    },
    async (request, reply) => {
      const file = await funds.export(actorOf(request), request.params.year, request.params.code);
      return reply.header('content-type', XLSX_TYPE).header('content-disposition', attachment(file.filename)).send(file.buffer);
    },
  );

  // ------------------------------------------------------------------ ledger
  app.get(
    '/ledger/:year/accounts',
    {
      schema: {
        tags: ['ledger'],
        summary: '账户及余额 Accounts and balances under a region',
        params: YearParam,
        querystring: AccountsQuery,
        response: { 200: AccountListView, ...CommonErrors },
      },
      config: { access: 'ledger:read' },
    },
    async (request) => {
      const actor = actorOf(request);
      const path = request.query.region
        ? (await app.services.regions.get(actor, request.query.region)).region.path
        : (actor.scopePath ?? '');
      return { items: await ledger.accounts(actor, request.params.year, path) };
    },
  );

  app.get(
    '/ledger/transfers/:id',
    {
      schema: {
        tags: ['ledger'],
        summary: '一笔转账 One transfer',
        params: TransferIdParam,
        response: { 200: TransferView, ...CommonErrors },
      },
      config: { access: 'ledger:read' },
    },
    async (request) => ledger.transfer(actorOf(request), request.params.id),
  );

  app.get(
    '/ledger/verify',
    {
      schema: {
        tags: ['ledger'],
        summary: '核对账本 Recompute every balance from the transfers (city roles)',
        response: {
          200: LedgerVerificationView,
          ...CommonErrors,
        },
      },
      config: { access: 'ledger:read' },
    },
    async (request) => {
      const actor = actorOf(request);
      if (!actor.scopePath || actor.scopePath.includes('/')) {
        throw new DomainError(
          'FORBIDDEN',
          { zh: '只有市级部门可以核对全市账本', en: 'Only city roles verify the whole ledger' },
          { kind: 'forbidden' },
        );
      }
      return ledger.verify();
    },
  );
};
