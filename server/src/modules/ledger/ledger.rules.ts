import { fen, formatFen } from '../../common/money.js';

/**
 * The fund ledger's rules, in the spirit of TigerBeetle (spec §2): accounts with four running
 * balances, immutable transfers in integer fen, pending transfers (commitments) that are later
 * posted in whole or in part, or voided. Pure: the service locks the accounts, asks
 * `decideTransfer`, and writes what it answers; the property tests drive the same functions
 * through `LedgerModel`; `ledger:verify` recomputes with `recomputeBalances` / `checkInvariants`.
 *
 * Deviation from TigerBeetle, on purpose: a pending transfer may be posted in several parts (one
 * per contract instalment, [N 3.3]) until it is fully posted or the rest is voided.
 */

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

/** Routes per code: debit kind → credit kind, and which transfer kinds may carry the code. */
const ROUTES: Record<Exclude<TransferCode, 'correction' | 'disbursement' | 'release'>, { kind: TransferKind; debit: AccountKind; credit: AccountKind }> = {
  allocation: { kind: 'posted', debit: 'fund_pool', credit: 'community_available' },
  commitment: { kind: 'pending', debit: 'community_available', credit: 'contract' },
  payout: { kind: 'posted', debit: 'contract', credit: 'paid_out' },
  evaluation_fee: { kind: 'posted', debit: 'evaluation_fee', credit: 'evaluation_fee' },
};
/** Codes that may be corrected (a reversing posted transfer naming the original). */
const CORRECTABLE: TransferCode[] = ['allocation', 'payout', 'evaluation_fee'];

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
    return { code: 'LEDGER_NEGATIVE_BALANCE', kind: 'rule', zh: '账户余额不能为负', en: `Account ${account.id} would have a negative balance`, details: { accountId: account.id } };
  }
  switch (account.kind) {
    case 'community_available':
      if (debitsPosted + debitsPending > creditsPosted) {
        return {
          code: 'ALLOCATION_EXCEEDED', kind: 'rule', clause: '[N 1]',
          zh: `社区合同占用与拨付合计（${formatFen(fen(debitsPosted + debitsPending))}）不能超过下达的专项资金（${formatFen(fen(creditsPosted))}）`,
          en: 'A community\'s commitments and payments may not exceed its allocation',
          details: { accountId: account.id, allocated: creditsPosted, committedAndPaid: debitsPosted + debitsPending },
        };
      }
      return null;
    case 'contract':
      if (account.limitFen === null || creditsPosted + creditsPending > account.limitFen) {
        return {
          code: 'CONTRACT_AMOUNT_EXCEEDED', kind: 'rule', clause: '[N 3.3]',
          zh: '拨付与占用合计不能超过合同金额', en: 'A contract may not receive more than its amount',
          details: { accountId: account.id, contractAmount: account.limitFen, total: creditsPosted + creditsPending },
        };
      }
      if (debitsPosted + debitsPending > creditsPosted) {
        return {
          code: 'CONTRACT_OVERDRAWN', kind: 'rule', clause: '[N 4.1]',
          zh: '合同付款不能超过已拨付到该合同的金额', en: 'A contract may not pay out more than it received',
          details: { accountId: account.id },
        };
      }
      return null;
    case 'fund_pool':
      if (creditsPosted + creditsPending > debitsPosted) {
        return { code: 'POOL_OVERCREDITED', kind: 'rule', clause: '[N 1]', zh: '更正金额不能超过已下达金额', en: 'The pool cannot take back more than it allocated', details: { accountId: account.id } };
      }
      return null;
    default:
      return null;
  }
}

export interface DecisionContext {
  accounts: ReadonlyMap<number, AccountState>;
  /** For post/void: the pending transfer and the sum of amounts already posted or voided on it. */
  pending?: TransferRecord | null;
  pendingResolved?: number;
  /** For corrections: the corrected transfer and the sum already corrected. */
  corrected?: TransferRecord | null;
  correctedSoFar?: number;
}

/**
 * The ledger's own answer to a transfer, kept apart from the common `Verdict`: a refusal carries a
 * `Violation` (its kind names the broken invariant, with the accounts and amounts) that the service
 * turns into the API error and that `checkInvariants` and the property tests reuse, and an
 * acceptance carries the new balances of both accounts.
 */
export type Decision =
  | { ok: true; transfer: TransferRecord; debit: AccountState; credit: AccountState }
  | { ok: false; violation: Violation };

const refuse = (violation: Violation): Decision => ({ ok: false, violation });

/** [N 4.1, 3.3, 3.12] Decides one new transfer against the (locked) current state. Never mutates its inputs. */
export function decideTransfer(request: TransferRequest, ctx: DecisionContext): Decision {
  if (!request.id || request.id.length > 200) return refuse({ code: 'INVALID_TRANSFER_ID', kind: 'invalid', zh: '转账编号无效', en: 'A transfer id of 1–200 characters is required' });
  let debitId = request.debitAccountId;
  let creditId = request.creditAccountId;
  let amount = request.amount;
  const pendingId = request.pendingId ?? null;
  const correctsId = request.correctsId ?? null;

  if (request.kind === 'post_pending' || request.kind === 'void_pending') {
    const pending = ctx.pending;
    if (!pendingId || !pending || pending.id !== pendingId) {
      return refuse({ code: 'PENDING_NOT_FOUND', kind: 'not_found', zh: '待拨付的占用不存在', en: `Pending transfer ${pendingId ?? ''} not found` });
    }
    if (pending.kind !== 'pending') return refuse({ code: 'NOT_PENDING', kind: 'invalid', zh: '只能拨付或释放合同占用', en: 'Only a pending transfer can be posted or voided' });
    const wantCode: TransferCode = request.kind === 'post_pending' ? 'disbursement' : 'release';
    if (request.code !== wantCode) return refuse({ code: 'LEDGER_ROUTE_REFUSED', kind: 'rule', clause: '[N 4.1]', zh: '转账用途与类型不符', en: `A ${request.kind} transfer must have code ${wantCode}` });
    if (debitId !== undefined && debitId !== pending.debitAccountId) return refuse(mismatch('debit'));
    if (creditId !== undefined && creditId !== pending.creditAccountId) return refuse(mismatch('credit'));
    debitId = pending.debitAccountId;
    creditId = pending.creditAccountId;
    const remaining = pendingRemaining(pending, ctx.pendingResolved ?? 0);
    if (remaining <= 0) {
      return refuse({
        code: 'PENDING_RESOLVED', kind: 'conflict', clause: '[N 3.3]',
        zh: '该合同占用已全部拨付或释放，不能重复拨付', en: `Pending transfer ${pending.id} is already fully posted or voided`,
        details: { pendingId: pending.id },
      });
    }
    if (request.kind === 'void_pending') {
      if (amount !== undefined && amount !== remaining) return refuse({ code: 'VOID_AMOUNT', kind: 'invalid', zh: '释放金额必须等于剩余占用', en: `A void releases the whole remaining ${remaining}` });
      amount = remaining;
    } else if (amount === undefined) {
      amount = remaining;
    } else if (amount > remaining) {
      return refuse({
        code: 'PENDING_AMOUNT_EXCEEDED', kind: 'rule', clause: '[N 3.3]',
        zh: `拨付金额超过剩余合同占用（剩余 ${remaining} 分）`, en: `Posting ${amount} exceeds the remaining ${remaining} of the commitment`,
        details: { pendingId: pending.id, remaining, amount },
      });
    }
  } else if (pendingId !== null) {
    return refuse({ code: 'INVALID_INPUT', kind: 'invalid', zh: '只有拨付或释放可以指定占用', en: 'Only post/void transfers name a pending transfer' });
  }

  if (amount === undefined || !Number.isSafeInteger(amount) || amount <= 0) {
    return refuse({ code: 'INVALID_AMOUNT', kind: 'invalid', zh: '金额必须是正整数（分）', en: 'The amount must be a positive whole number of fen' });
  }
  if (debitId === undefined || creditId === undefined) return refuse({ code: 'INVALID_INPUT', kind: 'invalid', zh: '缺少借方或贷方账户', en: 'Debit and credit accounts are required' });
  if (debitId === creditId) return refuse({ code: 'SAME_ACCOUNT', kind: 'invalid', zh: '借贷方不能是同一账户', en: 'Debit and credit accounts must differ' });
  const debit = ctx.accounts.get(debitId);
  const credit = ctx.accounts.get(creditId);
  if (!debit || !credit) return refuse({ code: 'ACCOUNT_NOT_FOUND', kind: 'not_found', zh: '账户不存在', en: 'Account not found' });

  // [N 3.12] Evaluation fees are non-fund money: never on a fund account, and nothing else on theirs.
  const touchesFeeAccount = !isFundAccount(debit.kind) || !isFundAccount(credit.kind);
  const touchesFundAccount = isFundAccount(debit.kind) || isFundAccount(credit.kind);
  if (request.code === 'evaluation_fee' && touchesFundAccount) {
    return refuse({
      code: 'EVALUATION_FEE_ON_FUND', kind: 'rule', clause: '[N 3.12]',
      zh: '评估费不得列支专项资金，只能记入非专项资金来源的评估费账户', en: 'Evaluation fees may not be charged to fund accounts',
    });
  }
  if (touchesFeeAccount && request.code !== 'evaluation_fee' && !(request.code === 'correction' && ctx.corrected?.code === 'evaluation_fee')) {
    return refuse({
      code: 'NON_FUND_ACCOUNT', kind: 'rule', clause: '[N 3.12]',
      zh: '评估费账户只记评估费，不与专项资金往来', en: 'The evaluation-fee account takes evaluation fees only',
    });
  }

  // [N 4.1] Earmarked: each code moves money only along its own route.
  if (request.kind === 'posted' || request.kind === 'pending') {
    if (request.code === 'correction') {
      const corrected = ctx.corrected;
      if (!correctsId || !corrected || corrected.id !== correctsId) {
        return refuse({ code: 'CORRECTED_NOT_FOUND', kind: 'not_found', zh: '被更正的转账不存在', en: `Corrected transfer ${correctsId ?? ''} not found` });
      }
      if (request.kind !== 'posted' || corrected.kind !== 'posted' || !CORRECTABLE.includes(corrected.code)) {
        return refuse({ code: 'NOT_CORRECTABLE', kind: 'rule', clause: '[N 4.1]', zh: '该转账不能以更正方式冲回（合同占用请释放）', en: 'Only posted allocations, payouts and fees can be corrected' });
      }
      if (debitId !== corrected.creditAccountId || creditId !== corrected.debitAccountId) {
        return refuse({ code: 'LEDGER_ROUTE_REFUSED', kind: 'rule', clause: '[N 4.1]', zh: '更正必须反向冲回原转账', en: 'A correction reverses the corrected transfer' });
      }
      const left = corrected.amount - (ctx.correctedSoFar ?? 0);
      if (amount > left) {
        return refuse({ code: 'CORRECTION_EXCEEDED', kind: 'rule', clause: '[N 4.1]', zh: `更正金额超过原转账可更正余额（${left} 分）`, en: `Correction exceeds the ${left} left to correct`, details: { left } });
      }
    } else {
      if (correctsId !== null) return refuse({ code: 'INVALID_INPUT', kind: 'invalid', zh: '只有更正可以指定被更正转账', en: 'Only a correction names a corrected transfer' });
      if (request.code === 'disbursement' || request.code === 'release') return refuse(routeRefused(request.code, request.kind));
      const route = ROUTES[request.code];
      if (route.kind !== request.kind || route.debit !== debit.kind || route.credit !== credit.kind) return refuse(routeRefused(request.code, request.kind));
    }
  }

  const [db, cb] = applyBalances(debit, credit, request.kind, amount);
  const newDebit: AccountState = { ...debit, ...db };
  const newCredit: AccountState = { ...credit, ...cb };
  for (const account of [newDebit, newCredit]) {
    const v = accountViolation(account);
    if (v) return refuse(v);
  }
  return {
    ok: true,
    transfer: { id: request.id, kind: request.kind, code: request.code, debitAccountId: debitId, creditAccountId: creditId, amount, pendingId, correctsId, reference: request.reference },
    debit: newDebit,
    credit: newCredit,
  };
}

const mismatch = (side: string): Violation => ({ code: 'INVALID_INPUT', kind: 'invalid', zh: '账户与合同占用不一致', en: `The ${side} account differs from the pending transfer's` });
const routeRefused = (code: string, kind: string): Violation => ({
  code: 'LEDGER_ROUTE_REFUSED', kind: 'rule', clause: '[N 4.1]',
  zh: '专款专用：该用途的资金不能在这两个账户之间划转', en: `Earmarked: a ${kind} ${code} transfer may not move money between these accounts`,
});

/**
 * [N 3.3] Idempotency (a disbursement exactly once): a retry with the same id must carry the same data. Fields the request leaves
 * open (a void's amount, post/void accounts) match whatever the first transfer recorded.
 */
export function sameRequest(stored: TransferRecord, request: TransferRequest): boolean {
  return (
    stored.kind === request.kind &&
    stored.code === request.code &&
    (request.debitAccountId === undefined || stored.debitAccountId === request.debitAccountId) &&
    (request.creditAccountId === undefined || stored.creditAccountId === request.creditAccountId) &&
    (request.amount === undefined || stored.amount === request.amount) &&
    stored.pendingId === (request.pendingId ?? null) &&
    stored.correctsId === (request.correctsId ?? null) &&
    stored.reference === request.reference
  );
}

export const idempotencyConflict = (id: string): Violation => ({
  code: 'IDEMPOTENCY_CONFLICT', kind: 'conflict',
  zh: `转账编号 ${id} 已用于另一笔不同的转账`, en: `Transfer id ${id} was already used with different data`,
  details: { id },
});

/** [N 4.1] Balances of every account recomputed from the transfers alone, in order. */
export function recomputeBalances(transfers: Iterable<Pick<TransferRecord, 'kind' | 'debitAccountId' | 'creditAccountId' | 'amount'>>): Map<number, Balances> {
  const out = new Map<number, Balances>();
  const get = (id: number) => {
    let b = out.get(id);
    if (!b) out.set(id, (b = zeroBalances()));
    return b;
  };
  for (const t of transfers) {
    const [d, c] = applyBalances(get(t.debitAccountId), get(t.creditAccountId), t.kind, t.amount);
    out.set(t.debitAccountId, d);
    out.set(t.creditAccountId, c);
  }
  return out;
}

export interface InvariantReport {
  ok: boolean;
  problems: string[];
  totals: Balances;
}

/** [N 4.1, 3.3] Every invariant of the ledger, for the property tests and for `ledger:verify`. */
export function checkInvariants(accounts: Iterable<AccountState>, transfers: readonly TransferRecord[]): InvariantReport {
  const problems: string[] = [];
  const totals = zeroBalances();
  const recomputed = recomputeBalances(transfers);
  const byId = new Map<number, AccountState>();
  for (const a of accounts) {
    byId.set(a.id, a);
    totals.debitsPosted += a.debitsPosted;
    totals.creditsPosted += a.creditsPosted;
    totals.debitsPending += a.debitsPending;
    totals.creditsPending += a.creditsPending;
    const r = recomputed.get(a.id) ?? zeroBalances();
    for (const field of ['debitsPosted', 'creditsPosted', 'debitsPending', 'creditsPending'] as const) {
      if (r[field] !== a[field]) problems.push(`account ${a.id} ${field}: stored ${a[field]}, recomputed ${r[field]}`);
    }
    const v = accountViolation(a);
    if (v) problems.push(`account ${a.id} (${a.kind}): ${v.code}`);
  }
  for (const id of recomputed.keys()) if (!byId.has(id)) problems.push(`transfers name account ${id}, which does not exist`);
  if (totals.debitsPosted !== totals.creditsPosted) problems.push(`posted debits ${totals.debitsPosted} ≠ posted credits ${totals.creditsPosted}`);
  if (totals.debitsPending !== totals.creditsPending) problems.push(`pending debits ${totals.debitsPending} ≠ pending credits ${totals.creditsPending}`);

  const transfersById = new Map(transfers.map((t) => [t.id, t]));
  const resolved = new Map<string, number>();
  const corrected = new Map<string, number>();
  for (const t of transfers) {
    if (t.amount <= 0) problems.push(`transfer ${t.id} has amount ${t.amount}`);
    const debit = byId.get(t.debitAccountId);
    const credit = byId.get(t.creditAccountId);
    if (debit && credit) {
      const feeSide = !isFundAccount(debit.kind) || !isFundAccount(credit.kind);
      if (t.code === 'evaluation_fee' && (isFundAccount(debit.kind) || isFundAccount(credit.kind))) problems.push(`evaluation fee ${t.id} touches a fund account [N 3.12]`);
      if (feeSide && t.code !== 'evaluation_fee' && t.code !== 'correction') problems.push(`transfer ${t.id} (${t.code}) touches the evaluation-fee account [N 3.12]`);
    }
    if (t.pendingId) {
      const p = transfersById.get(t.pendingId);
      if (!p || p.kind !== 'pending') problems.push(`transfer ${t.id} resolves ${t.pendingId}, which is not a pending transfer`);
      resolved.set(t.pendingId, (resolved.get(t.pendingId) ?? 0) + t.amount);
    }
    if (t.correctsId) corrected.set(t.correctsId, (corrected.get(t.correctsId) ?? 0) + t.amount);
  }
  for (const [id, sum] of resolved) {
    const p = transfersById.get(id);
    if (p && sum > p.amount) problems.push(`pending ${id} resolved ${sum} > its amount ${p.amount}`);
  }
  for (const [id, sum] of corrected) {
    const p = transfersById.get(id);
    if (p && sum > p.amount) problems.push(`transfer ${id} corrected by ${sum} > its amount ${p.amount}`);
  }
  return { ok: problems.length === 0, problems, totals };
}

export type SubmitResult =
  | { status: 'created'; transfer: TransferRecord }
  | { status: 'exists'; transfer: TransferRecord }
  | { status: 'refused'; violation: Violation };

/**
 * The whole ledger in memory, for the property tests: the same decisions as the service, with
 * idempotency by id. The service is this, with rows locked in PostgreSQL instead of a Map.
 */
export class LedgerModel {
  readonly accounts = new Map<number, AccountState>();
  readonly transfers: TransferRecord[] = [];
  private readonly byId = new Map<string, TransferRecord>();
  private nextAccountId = 1;

  openAccount(kind: AccountKind, limitFen: number | null = null): number {
    const id = this.nextAccountId++;
    this.accounts.set(id, { id, kind, limitFen, ...zeroBalances() });
    return id;
  }

  transfer(id: string) {
    return this.byId.get(id);
  }

  resolvedOf(pendingId: string): number {
    return this.transfers.filter((t) => t.pendingId === pendingId).reduce((s, t) => s + t.amount, 0);
  }

  submit(request: TransferRequest): SubmitResult {
    const existing = this.byId.get(request.id);
    if (existing) return sameRequest(existing, request) ? { status: 'exists', transfer: existing } : { status: 'refused', violation: idempotencyConflict(request.id) };
    const pending = request.pendingId ? this.byId.get(request.pendingId) ?? null : null;
    const corrected = request.correctsId ? this.byId.get(request.correctsId) ?? null : null;
    const decision = decideTransfer(request, {
      accounts: this.accounts,
      pending,
      pendingResolved: pending ? this.resolvedOf(pending.id) : 0,
      corrected,
      correctedSoFar: corrected ? this.transfers.filter((t) => t.correctsId === corrected.id).reduce((s, t) => s + t.amount, 0) : 0,
    });
    if (!decision.ok) return { status: 'refused', violation: decision.violation };
    this.accounts.set(decision.debit.id, decision.debit);
    this.accounts.set(decision.credit.id, decision.credit);
    this.transfers.push(decision.transfer);
    this.byId.set(decision.transfer.id, decision.transfer);
    return { status: 'created', transfer: decision.transfer };
  }

  check(): InvariantReport {
    return checkInvariants(this.accounts.values(), this.transfers);
  }
}
