import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { DomainError } from '../../common/errors.js';
import { ErrorResponse, FundYear } from '../../common/schemas.js';
import { XLSX_TYPE, attachment } from '../../common/xlsx.js';
import { actorOf } from '../auth/auth.hooks.js';

const CodeParam = Type.Object({ year: FundYear, code: Type.String({ pattern: '^\\d{4,12}$', description: '区划代码 division code' }) });
const YearParam = Type.Object({ year: FundYear });
const Money = (description: string) => Type.Integer({ description: `${description}（分 fen）` });
const FiguresProps = { allocated: Money('下达'), committed: Money('合同占用（未拨付）'), paid: Money('已拨付'), available: Money('可用') };
const AccountSide = Type.Object({ id: Type.Integer(), kind: Type.String(), ref: Type.String(), regionPath: Type.String() });
const TransferView = Type.Object({
  id: Type.String(), seq: Type.Integer(), fundYear: Type.Integer(), kind: Type.String(), code: Type.String(), codeLabel: Type.Optional(Type.String()),
  amount: Money('金额'), debit: AccountSide, credit: AccountSide, pendingId: Type.Union([Type.String(), Type.Null()]), correctsId: Type.Union([Type.String(), Type.Null()]),
  reference: Type.String(), actorName: Type.String(), createdAt: Type.String(),
});
const AccountView = Type.Object({
  id: Type.Integer(), fundYear: Type.Integer(), kind: Type.String(), kindLabel: Type.Optional(Type.String()), ref: Type.String(), regionPath: Type.String(),
  limitFen: Type.Union([Type.Integer(), Type.Null()]), debitsPosted: Type.Integer(), creditsPosted: Type.Integer(), debitsPending: Type.Integer(), creditsPending: Type.Integer(),
});
const Paging = Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })), offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000_000 })) });

export const ledgerRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { ledger, allocations, funds } = app.services;

  // ------------------------------------------------------------------ allocations [N 1]
  app.get('/allocations/:year', {
    schema: {
      tags: ['ledger'], summary: '资金下达审核清单 The appropriation to review (from last year\'s ratings)', params: YearParam,
      response: {
        200: Type.Object({
          fundYear: Type.Integer(), ratingYear: Type.Integer(), budgetFen: Money('年度预算'), count: Type.Integer(), totalFen: Money('下达合计'),
          confirmed: Type.Boolean(), postedCount: Type.Integer(), postedFen: Money('已下达'),
          levels: Type.Array(Type.Object({ stars: Type.Integer(), quota: Type.Integer(), count: Type.Integer(), amountFen: Type.Integer(), totalFen: Type.Integer() })),
          districts: Type.Array(Type.Object({
            districtCode: Type.String(), districtName: Type.String(), count: Type.Integer(), totalFen: Type.Integer(),
            byStars: Type.Array(Type.Object({ stars: Type.Integer(), count: Type.Integer(), totalFen: Type.Integer() })),
          })),
          items: Type.Array(Type.Object({
            communityCode: Type.String(), communityName: Type.String(), streetCode: Type.String(), streetName: Type.String(), districtCode: Type.String(), districtName: Type.String(),
            stars: Type.Integer(), amountFen: Type.Integer(), posted: Type.Boolean(),
          })),
        }),
        404: ErrorResponse,
      },
    },
    config: { access: 'ledger:read' },
  }, async (request) => allocations.review(actorOf(request), request.params.year));

  app.post('/allocations/:year/confirm', {
    schema: {
      tags: ['ledger'], summary: '市财政局确认资金下达 City finance confirms the appropriation (idempotent)', params: YearParam,
      body: Type.Object({ expectedTotalFen: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000_000_000_000, description: '审核时看到的合计（分）; refused with 409 if the total changed' })) }, { additionalProperties: false }),
      response: {
        200: Type.Object({ fundYear: Type.Integer(), count: Type.Integer(), totalFen: Type.Integer(), created: Type.Integer(), existing: Type.Integer(), createdFen: Type.Integer() }),
        403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, 422: ErrorResponse,
      },
    },
    config: { access: 'allocations:confirm' },
  }, async (request) => allocations.confirm(actorOf(request), request.params.year, request.body.expectedTotalFen));

  // ------------------------------------------------------------------ fund views
  app.get('/funds/:year/regions/:code', {
    schema: {
      tags: ['ledger'], summary: '资金视图：区域及下级的下达、占用、拨付、可用 Money of a region and its children', params: CodeParam,
      response: {
        200: Type.Object({
          fundYear: Type.Integer(),
          region: Type.Object({ code: Type.String(), name: Type.String(), level: Type.String(), path: Type.String() }),
          ancestors: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), level: Type.String() })),
          total: Type.Object({ communities: Type.Integer(), ...FiguresProps }),
          rows: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), level: Type.String(), communities: Type.Integer(), ...FiguresProps })),
          accounts: Type.Array(AccountView),
        }),
        404: ErrorResponse,
      },
    },
    config: { access: 'ledger:read' },
  }, async (request) => funds.table(actorOf(request), request.params.year, request.params.code));

  app.get('/funds/:year/regions/:code/by-stars', {
    schema: {
      tags: ['ledger'], summary: '按区县与星级的资金 Money by district and star level', params: CodeParam,
      response: {
        200: Type.Object({
          fundYear: Type.Integer(), ratingYear: Type.Integer(), levels: Type.Array(Type.Integer()),
          rows: Type.Array(Type.Object({
            districtCode: Type.String(), districtName: Type.String(), total: Type.Object(FiguresProps),
            byStars: Type.Array(Type.Object({ stars: Type.Integer(), communities: Type.Integer(), ...FiguresProps })),
          })),
        }),
        404: ErrorResponse,
      },
    },
    config: { access: 'ledger:read' },
  }, async (request) => funds.byStars(actorOf(request), request.params.year, request.params.code));

  app.get('/funds/:year/regions/:code/transfers', {
    schema: {
      tags: ['ledger'], summary: '区域内的转账明细 Transfers under a region', params: CodeParam, querystring: Paging,
      response: { 200: Type.Object({ total: Type.Integer(), items: Type.Array(TransferView) }), 404: ErrorResponse },
    },
    config: { access: 'ledger:read' },
  }, async (request) => funds.transfers(actorOf(request), request.params.year, request.params.code, request.query));

  app.get('/funds/:year/regions/:code/export.xlsx', {
    schema: { tags: ['ledger'], summary: '导出 Excel Export the fund tables (.xlsx)', params: CodeParam },
    config: { access: 'ledger:read' },
  }, async (request, reply) => {
    const file = await funds.export(actorOf(request), request.params.year, request.params.code);
    return reply.header('content-type', XLSX_TYPE).header('content-disposition', attachment(file.filename)).send(file.buffer);
  });

  // ------------------------------------------------------------------ ledger
  app.get('/ledger/:year/accounts', {
    schema: {
      tags: ['ledger'], summary: '账户及余额 Accounts and balances under a region', params: YearParam,
      querystring: Type.Object({ region: Type.Optional(Type.String({ pattern: '^\\d{4,12}$' })) }),
      response: { 200: Type.Object({ items: Type.Array(AccountView) }), 404: ErrorResponse },
    },
    config: { access: 'ledger:read' },
  }, async (request) => {
    const actor = actorOf(request);
    const path = request.query.region ? (await app.services.regions.get(actor, request.query.region)).region.path : actor.scopePath ?? '';
    return { items: await ledger.accounts(actor, request.params.year, path) };
  });

  app.get('/ledger/transfers/:id', {
    schema: {
      tags: ['ledger'], summary: '一笔转账 One transfer', params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }) }),
      response: { 200: TransferView, 404: ErrorResponse },
    },
    config: { access: 'ledger:read' },
  }, async (request) => ledger.transfer(actorOf(request), request.params.id));

  app.get('/ledger/verify', {
    schema: {
      tags: ['ledger'], summary: '核对账本 Recompute every balance from the transfers (city roles)',
      response: {
        200: Type.Object({
          ok: Type.Boolean(), accounts: Type.Integer(), transfers: Type.Integer(), problems: Type.Array(Type.String()),
          totals: Type.Object({ debitsPosted: Type.Integer(), creditsPosted: Type.Integer(), debitsPending: Type.Integer(), creditsPending: Type.Integer() }),
        }),
        403: ErrorResponse,
      },
    },
    config: { access: 'ledger:read' },
  }, async (request) => {
    const actor = actorOf(request);
    if (!actor.scopePath || actor.scopePath.includes('/')) {
      throw new DomainError('FORBIDDEN', { zh: '只有市级部门可以核对全市账本', en: 'Only city roles verify the whole ledger' }, { kind: 'forbidden' });
    }
    return ledger.verify();
  });
};
