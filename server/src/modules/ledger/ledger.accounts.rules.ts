import { fen, formatFen } from '../../common/money.js';

/** The ledger's accounts (spec §2): kinds and codes, the four running balances, and the limits each kind keeps. */

export const ACCOUNT_KINDS = ['fund_pool', 'community_available', 'contract', 'paid_out', 'evaluation_fee'] as const;
export type AccountKind = (typeof ACCOUNT_KINDS)[number];

export const TRANSFER_KINDS = ['posted', 'pending', 'post_pending', 'void_pending'] as const;
export type TransferKind = (typeof TRANSFER_KINDS)[number];

/** What a transfer is for; each code may only move money along its own route ([N 4.1]). */
export const TRANSFER_CODES = ['allocation', 'commitment', 'disbursement', 'payout', 'release', 'correction', 'evaluation_fee'] as const;
export type TransferCode = (typeof TRANSFER_CODES)[number];

export const ACCOUNT_KIND_LABELS: Record<AccountKind, string> = {
  fund_pool: '专项资金池',
  community_available: '社区可用额度',
  contract: '合同',
  paid_out: '已拨付',
  evaluation_fee: '评估费（非专项资金）',
};

export const TRANSFER_CODE_LABELS: Record<TransferCode, string> = {
  allocation: '资金下达',
  commitment: '合同占用',
  disbursement: '拨付',
  payout: '付款至承接主体',
  release: '释放占用',
  correction: '更正',
  evaluation_fee: '评估费',
};

/** [N 3.12] Evaluation fees come from a non-fund source; every other account holds fund money. */
export const isFundAccount = (kind: AccountKind) => kind !== 'evaluation_fee';

export interface Balances {
  debitsPosted: number;
  creditsPosted: number;
  debitsPending: number;
  creditsPending: number;
}

export interface AccountState extends Balances {
  id: number;
  kind: AccountKind;
  /** A contract's amount: it never receives more ([N 3.3]). */
  limitFen: number | null;
}

export interface TransferRecord {
  id: string;
  kind: TransferKind;
  code: TransferCode;
  debitAccountId: number;
  creditAccountId: number;
  amount: number;
  pendingId: string | null;
  correctsId: string | null;
  reference: string;
}

/** A request: for post/void the accounts come from the pending transfer; a void's amount is the rest. */
export interface TransferRequest {
  id: string;
  kind: TransferKind;
  code: TransferCode;
  debitAccountId?: number;
  creditAccountId?: number;
  amount?: number;
  pendingId?: string | null;
  correctsId?: string | null;
  reference: string;
}

export interface Violation {
  code: string;
  kind: 'invalid' | 'conflict' | 'rule' | 'not_found';
  clause?: string;
  zh: string;
  en: string;
  details?: Record<string, unknown>;
}

export const zeroBalances = (): Balances => ({ debitsPosted: 0, creditsPosted: 0, debitsPending: 0, creditsPending: 0 });

/** [N 3.3] The amount of a commitment (pending transfer) not yet posted or voided. */
export function pendingRemaining(pending: TransferRecord, resolvedSoFar: number): number {
  return pending.amount - resolvedSoFar;
}

/** [N 4.1] Applies one transfer to its two accounts' balances (returns new objects). */
export function applyBalances(debit: Balances, credit: Balances, kind: TransferKind, amount: number): [Balances, Balances] {
  const d = { ...debit };
  const c = { ...credit };
  switch (kind) {
    case 'posted':
      d.debitsPosted += amount;
      c.creditsPosted += amount;
      break;
    case 'pending':
      d.debitsPending += amount;
      c.creditsPending += amount;
      break;
    case 'post_pending':
      d.debitsPending -= amount;
      d.debitsPosted += amount;
      c.creditsPending -= amount;
      c.creditsPosted += amount;
      break;
    case 'void_pending':
      d.debitsPending -= amount;
      c.creditsPending -= amount;
      break;
  }
  return [d, c];
}

/** [N 4.1, 3.3] The limits an account of a kind must keep after every transfer (never above the allocation or the contract); null when it keeps them. */
export function accountViolation(account: AccountState): Violation | null {
  const { debitsPosted, creditsPosted, debitsPending, creditsPending } = account;
  if ([debitsPosted, creditsPosted, debitsPending, creditsPending].some((v) => v < 0 || !Number.isSafeInteger(v))) {
    return {
      code: 'LEDGER_NEGATIVE_BALANCE',
      kind: 'rule',
      zh: '账户余额不能为负',
      en: `Account ${account.id} would have a negative balance`,
      details: { accountId: account.id },
    };
  }
  switch (account.kind) {
    case 'community_available':
      if (debitsPosted + debitsPending > creditsPosted) {
        return {
          code: 'ALLOCATION_EXCEEDED',
          kind: 'rule',
          clause: '[N 1]',
          zh: `社区合同占用与拨付合计（${formatFen(fen(debitsPosted + debitsPending))}）不能超过下达的专项资金（${formatFen(fen(creditsPosted))}）`,
          en: "A community's commitments and payments may not exceed its allocation",
          details: { accountId: account.id, allocated: creditsPosted, committedAndPaid: debitsPosted + debitsPending },
        };
      }
      return null;
    case 'contract':
      if (account.limitFen === null || creditsPosted + creditsPending > account.limitFen) {
        return {
          code: 'CONTRACT_AMOUNT_EXCEEDED',
          kind: 'rule',
          clause: '[N 3.3]',
          zh: '拨付与占用合计不能超过合同金额',
          en: 'A contract may not receive more than its amount',
          details: { accountId: account.id, contractAmount: account.limitFen, total: creditsPosted + creditsPending },
        };
      }
      if (debitsPosted + debitsPending > creditsPosted) {
        return {
          code: 'CONTRACT_OVERDRAWN',
          kind: 'rule',
          clause: '[N 4.1]',
          zh: '合同付款不能超过已拨付到该合同的金额',
          en: 'A contract may not pay out more than it received',
          details: { accountId: account.id },
        };
      }
      return null;
    case 'fund_pool':
      if (creditsPosted + creditsPending > debitsPosted) {
        return {
          code: 'POOL_OVERCREDITED',
          kind: 'rule',
          clause: '[N 1]',
          zh: '更正金额不能超过已下达金额',
          en: 'The pool cannot take back more than it allocated',
          details: { accountId: account.id },
        };
      }
      return null;
    default:
      return null;
  }
}
