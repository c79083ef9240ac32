import { Type, type Static } from 'typebox';
import { FundYear, Literals, Nullable, RegionCode } from '../../common/schemas.js';
import { ACCOUNT_KINDS, TRANSFER_CODES, TRANSFER_KINDS } from './ledger.rules.js';

export const CodeParam = Type.Object({ year: FundYear, code: RegionCode() });
export const YearParam = Type.Object({ year: FundYear });
export const Money = (description: string) => Type.Integer({ description: `${description}（分 fen）` });
export const FiguresProps = {
  allocated: Money('下达'),
  committed: Money('合同占用（未拨付）'),
  paid: Money('已拨付'),
  available: Money('可用'),
};
export const AccountKindSchema = Literals(ACCOUNT_KINDS);
export const AccountSide = Type.Object({
  id: Type.Integer(),
  kind: AccountKindSchema,
  ref: Type.String(),
  regionPath: Type.String(),
  /** The account as people name it: its kind and its region's or contract's name (社区可用额度 · 长江社区). */
  label: Type.Optional(Type.String()),
});
export const TransferView = Type.Object({
  id: Type.String(),
  seq: Type.Integer(),
  fundYear: Type.Integer(),
  kind: Literals(TRANSFER_KINDS),
  code: Literals(TRANSFER_CODES),
  codeLabel: Type.Optional(Type.String()),
  amount: Money('金额'),
  debit: AccountSide,
  credit: AccountSide,
  pendingId: Nullable(Type.String()),
  correctsId: Nullable(Type.String()),
  reference: Type.String(),
  actorName: Type.String(),
  createdAt: Type.String(),
});
export type TransferView = Static<typeof TransferView>;

export const AccountView = Type.Object({
  id: Type.Integer(),
  fundYear: Type.Integer(),
  kind: AccountKindSchema,
  kindLabel: Type.Optional(Type.String()),
  ref: Type.String(),
  regionPath: Type.String(),
  limitFen: Nullable(Type.Integer()),
  debitsPosted: Type.Integer(),
  creditsPosted: Type.Integer(),
  debitsPending: Type.Integer(),
  creditsPending: Type.Integer(),
});
export type AccountView = Static<typeof AccountView>;

export const Paging = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000_000 })),
});

export const AllocationReviewView = Type.Object({
  fundYear: Type.Integer(),
  ratingYear: Type.Integer(),
  budgetFen: Money('年度预算'),
  count: Type.Integer(),
  totalFen: Money('下达合计'),
  confirmed: Type.Boolean(),
  postedCount: Type.Integer(),
  postedFen: Money('已下达'),
  levels: Type.Array(
    Type.Object({
      stars: Type.Integer(),
      quota: Type.Integer(),
      count: Type.Integer(),
      amountFen: Type.Integer(),
      totalFen: Type.Integer(),
    }),
  ),
  districts: Type.Array(
    Type.Object({
      districtCode: Type.String(),
      districtName: Type.String(),
      count: Type.Integer(),
      totalFen: Type.Integer(),
      byStars: Type.Array(Type.Object({ stars: Type.Integer(), count: Type.Integer(), totalFen: Type.Integer() })),
    }),
  ),
  items: Type.Array(
    Type.Object({
      communityCode: Type.String(),
      communityName: Type.String(),
      streetCode: Type.String(),
      streetName: Type.String(),
      districtCode: Type.String(),
      districtName: Type.String(),
      stars: Type.Integer(),
      amountFen: Type.Integer(),
      posted: Type.Boolean(),
    }),
  ),
});
export type AllocationReviewView = Static<typeof AllocationReviewView>;

export const ConfirmAllocationBody = Type.Object(
  {
    expectedTotalFen: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 100_000_000_000_000,
        description: '审核时看到的合计（分）; refused with 409 if the total changed',
      }),
    ),
  },
  { additionalProperties: false },
);
export type ConfirmAllocationBody = Static<typeof ConfirmAllocationBody>;

export const AllocationConfirmationView = Type.Object({
  fundYear: Type.Integer(),
  count: Type.Integer(),
  totalFen: Type.Integer(),
  created: Type.Integer(),
  existing: Type.Integer(),
  createdFen: Type.Integer(),
});
export type AllocationConfirmationView = Static<typeof AllocationConfirmationView>;

export const FundTableView = Type.Object({
  fundYear: Type.Integer(),
  region: Type.Object({ code: Type.String(), name: Type.String(), level: Type.String(), path: Type.String() }),
  ancestors: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), level: Type.String() })),
  total: Type.Object({ communities: Type.Integer(), ...FiguresProps }),
  rows: Type.Array(
    Type.Object({ code: Type.String(), name: Type.String(), level: Type.String(), communities: Type.Integer(), ...FiguresProps }),
  ),
  accounts: Type.Array(AccountView),
});
export type FundTableView = Static<typeof FundTableView>;

export const FundsByStarsView = Type.Object({
  fundYear: Type.Integer(),
  ratingYear: Type.Integer(),
  levels: Type.Array(Type.Integer()),
  rows: Type.Array(
    Type.Object({
      districtCode: Type.String(),
      districtName: Type.String(),
      total: Type.Object(FiguresProps),
      byStars: Type.Array(Type.Object({ stars: Type.Integer(), communities: Type.Integer(), ...FiguresProps })),
    }),
  ),
});
export type FundsByStarsView = Static<typeof FundsByStarsView>;

export const TransferListView = Type.Object({ total: Type.Integer(), items: Type.Array(TransferView) });
export type TransferListView = Static<typeof TransferListView>;

export const AccountsQuery = Type.Object({ region: Type.Optional(RegionCode()) });
export type AccountsQuery = Static<typeof AccountsQuery>;

export const AccountListView = Type.Object({ items: Type.Array(AccountView) });
export type AccountListView = Static<typeof AccountListView>;

export const TransferIdParam = Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }) });
export type TransferIdParam = Static<typeof TransferIdParam>;

export const LedgerVerificationView = Type.Object({
  ok: Type.Boolean(),
  accounts: Type.Integer(),
  transfers: Type.Integer(),
  problems: Type.Array(Type.String()),
  totals: Type.Object({
    debitsPosted: Type.Integer(),
    creditsPosted: Type.Integer(),
    debitsPending: Type.Integer(),
    creditsPending: Type.Integer(),
  }),
});
export type LedgerVerificationView = Static<typeof LedgerVerificationView>;

/** An .xlsx workbook. */
export const XlsxFile = Type.Unsafe<Buffer>({
  type: 'string',
  format: 'binary',
  description: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
});
