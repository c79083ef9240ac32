import {
  type AccountKind,
  type AccountState,
  type TransferCode,
  type TransferKind,
  type TransferRecord,
  type TransferRequest,
  type Violation,
  accountViolation,
  applyBalances,
  isFundAccount,
  pendingRemaining,
} from './ledger.accounts.rules.js';

/** One new transfer decided against the locked state (spec §2): the routes money may take, pending and posting, corrections, idempotency. */

/** Routes per code: debit kind → credit kind, and which transfer kinds may carry the code. */
const ROUTES: Record<
  Exclude<TransferCode, 'correction' | 'disbursement' | 'release'>,
  { kind: TransferKind; debit: AccountKind; credit: AccountKind }
> = {
  allocation: { kind: 'posted', debit: 'fund_pool', credit: 'community_available' },
  commitment: { kind: 'pending', debit: 'community_available', credit: 'contract' },
  payout: { kind: 'posted', debit: 'contract', credit: 'paid_out' },
  evaluation_fee: { kind: 'posted', debit: 'evaluation_fee', credit: 'evaluation_fee' },
};
/** Codes that may be corrected (a reversing posted transfer naming the original). */
const CORRECTABLE: TransferCode[] = ['allocation', 'payout', 'evaluation_fee'];

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
  { ok: true; transfer: TransferRecord; debit: AccountState; credit: AccountState } | { ok: false; violation: Violation };

const refuse = (violation: Violation): Decision => ({ ok: false, violation });

/** [N 4.1, 3.3, 3.12] Decides one new transfer against the (locked) current state. Never mutates its inputs. */
export function decideTransfer(request: TransferRequest, ctx: DecisionContext): Decision {
  if (!request.id || request.id.length > 200)
    return refuse({
      code: 'INVALID_TRANSFER_ID',
      kind: 'invalid',
      zh: '转账编号无效',
      en: 'A transfer id of 1–200 characters is required',
    });
  let debitId = request.debitAccountId;
  let creditId = request.creditAccountId;
  let amount = request.amount;
  const pendingId = request.pendingId ?? null;
  const correctsId = request.correctsId ?? null;

  if (request.kind === 'post_pending' || request.kind === 'void_pending') {
    const pending = ctx.pending;
    if (!pendingId || !pending || pending.id !== pendingId) {
      return refuse({
        code: 'PENDING_NOT_FOUND',
        kind: 'not_found',
        zh: '待拨付的占用不存在',
        en: `Pending transfer ${pendingId ?? ''} not found`,
      });
    }
    if (pending.kind !== 'pending')
      return refuse({
        code: 'NOT_PENDING',
        kind: 'invalid',
        zh: '只能拨付或释放合同占用',
        en: 'Only a pending transfer can be posted or voided',
      });
    const wantCode: TransferCode = request.kind === 'post_pending' ? 'disbursement' : 'release';
    if (request.code !== wantCode)
      return refuse({
        code: 'LEDGER_ROUTE_REFUSED',
        kind: 'rule',
        clause: '[N 4.1]',
        zh: '转账用途与类型不符',
        en: `A ${request.kind} transfer must have code ${wantCode}`,
      });
    if (debitId !== undefined && debitId !== pending.debitAccountId) return refuse(mismatch('debit'));
    if (creditId !== undefined && creditId !== pending.creditAccountId) return refuse(mismatch('credit'));
    debitId = pending.debitAccountId;
    creditId = pending.creditAccountId;
    const remaining = pendingRemaining(pending, ctx.pendingResolved ?? 0);
    if (remaining <= 0) {
      return refuse({
        code: 'PENDING_RESOLVED',
        kind: 'conflict',
        clause: '[N 3.3]',
        zh: '该合同占用已全部拨付或释放，不能重复拨付',
        en: `Pending transfer ${pending.id} is already fully posted or voided`,
        details: { pendingId: pending.id },
      });
    }
    if (request.kind === 'void_pending') {
      if (amount !== undefined && amount !== remaining)
        return refuse({
          code: 'VOID_AMOUNT',
          kind: 'invalid',
          zh: '释放金额必须等于剩余占用',
          en: `A void releases the whole remaining ${remaining}`,
        });
      amount = remaining;
    } else if (amount === undefined) {
      amount = remaining;
    } else if (amount > remaining) {
      return refuse({
        code: 'PENDING_AMOUNT_EXCEEDED',
        kind: 'rule',
        clause: '[N 3.3]',
        zh: `拨付金额超过剩余合同占用（剩余 ${remaining} 分）`,
        en: `Posting ${amount} exceeds the remaining ${remaining} of the commitment`,
        details: { pendingId: pending.id, remaining, amount },
      });
    }
  } else if (pendingId !== null) {
    return refuse({
      code: 'INVALID_INPUT',
      kind: 'invalid',
      zh: '只有拨付或释放可以指定占用',
      en: 'Only post/void transfers name a pending transfer',
    });
  }

  if (amount === undefined || !Number.isSafeInteger(amount) || amount <= 0) {
    return refuse({
      code: 'INVALID_AMOUNT',
      kind: 'invalid',
      zh: '金额必须是正整数（分）',
      en: 'The amount must be a positive whole number of fen',
    });
  }
  if (debitId === undefined || creditId === undefined)
    return refuse({ code: 'INVALID_INPUT', kind: 'invalid', zh: '缺少借方或贷方账户', en: 'Debit and credit accounts are required' });
  if (debitId === creditId)
    return refuse({ code: 'SAME_ACCOUNT', kind: 'invalid', zh: '借贷方不能是同一账户', en: 'Debit and credit accounts must differ' });
  const debit = ctx.accounts.get(debitId);
  const credit = ctx.accounts.get(creditId);
  if (!debit || !credit) return refuse({ code: 'ACCOUNT_NOT_FOUND', kind: 'not_found', zh: '账户不存在', en: 'Account not found' });

  // [N 3.12] Evaluation fees are non-fund money: never on a fund account, and nothing else on theirs.
  const touchesFeeAccount = !isFundAccount(debit.kind) || !isFundAccount(credit.kind);
  const touchesFundAccount = isFundAccount(debit.kind) || isFundAccount(credit.kind);
  if (request.code === 'evaluation_fee' && touchesFundAccount) {
    return refuse({
      code: 'EVALUATION_FEE_ON_FUND',
      kind: 'rule',
      clause: '[N 3.12]',
      zh: '评估费不得列支专项资金，只能记入非专项资金来源的评估费账户',
      en: 'Evaluation fees may not be charged to fund accounts',
    });
  }
  if (
    touchesFeeAccount &&
    request.code !== 'evaluation_fee' &&
    !(request.code === 'correction' && ctx.corrected?.code === 'evaluation_fee')
  ) {
    return refuse({
      code: 'NON_FUND_ACCOUNT',
      kind: 'rule',
      clause: '[N 3.12]',
      zh: '评估费账户只记评估费，不与专项资金往来',
      en: 'The evaluation-fee account takes evaluation fees only',
    });
  }

  // [N 4.1] Earmarked: each code moves money only along its own route.
  if (request.kind === 'posted' || request.kind === 'pending') {
    if (request.code === 'correction') {
      const corrected = ctx.corrected;
      if (!correctsId || !corrected || corrected.id !== correctsId) {
        return refuse({
          code: 'CORRECTED_NOT_FOUND',
          kind: 'not_found',
          zh: '被更正的转账不存在',
          en: `Corrected transfer ${correctsId ?? ''} not found`,
        });
      }
      if (request.kind !== 'posted' || corrected.kind !== 'posted' || !CORRECTABLE.includes(corrected.code)) {
        return refuse({
          code: 'NOT_CORRECTABLE',
          kind: 'rule',
          clause: '[N 4.1]',
          zh: '该转账不能以更正方式冲回（合同占用请释放）',
          en: 'Only posted allocations, payouts and fees can be corrected',
        });
      }
      if (debitId !== corrected.creditAccountId || creditId !== corrected.debitAccountId) {
        return refuse({
          code: 'LEDGER_ROUTE_REFUSED',
          kind: 'rule',
          clause: '[N 4.1]',
          zh: '更正必须反向冲回原转账',
          en: 'A correction reverses the corrected transfer',
        });
      }
      const left = corrected.amount - (ctx.correctedSoFar ?? 0);
      if (amount > left) {
        return refuse({
          code: 'CORRECTION_EXCEEDED',
          kind: 'rule',
          clause: '[N 4.1]',
          zh: `更正金额超过原转账可更正余额（${left} 分）`,
          en: `Correction exceeds the ${left} left to correct`,
          details: { left },
        });
      }
    } else {
      if (correctsId !== null)
        return refuse({
          code: 'INVALID_INPUT',
          kind: 'invalid',
          zh: '只有更正可以指定被更正转账',
          en: 'Only a correction names a corrected transfer',
        });
      if (request.code === 'disbursement' || request.code === 'release') return refuse(routeRefused(request.code, request.kind));
      const route = ROUTES[request.code];
      if (route.kind !== request.kind || route.debit !== debit.kind || route.credit !== credit.kind)
        return refuse(routeRefused(request.code, request.kind));
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
    transfer: {
      id: request.id,
      kind: request.kind,
      code: request.code,
      debitAccountId: debitId,
      creditAccountId: creditId,
      amount,
      pendingId,
      correctsId,
      reference: request.reference,
    },
    debit: newDebit,
    credit: newCredit,
  };
}

const mismatch = (side: string): Violation => ({
  code: 'INVALID_INPUT',
  kind: 'invalid',
  zh: '账户与合同占用不一致',
  en: `The ${side} account differs from the pending transfer's`,
});
const routeRefused = (code: string, kind: string): Violation => ({
  code: 'LEDGER_ROUTE_REFUSED',
  kind: 'rule',
  clause: '[N 4.1]',
  zh: '专款专用：该用途的资金不能在这两个账户之间划转',
  en: `Earmarked: a ${kind} ${code} transfer may not move money between these accounts`,
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
  code: 'IDEMPOTENCY_CONFLICT',
  kind: 'conflict',
  zh: `转账编号 ${id} 已用于另一笔不同的转账`,
  en: `Transfer id ${id} was already used with different data`,
  details: { id },
});
