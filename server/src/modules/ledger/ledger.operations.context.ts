import { DomainError } from '../../common/errors.js';
import type { AuditActor } from '../audit/audit.service.js';
import type { AccountKey, AccountRow, TransferRow } from './ledger.repository.js';
import type { AccountSeed } from './ledger.batch.repository.js';
import type { AccountState, TransferCode, TransferRecord, TransferRequest } from './ledger.rules.js';
import { rootOf, type TransferResult } from './ledger.context.js';

/** The operations of the ledger engine (ledger.engine.service.ts): what each needs before the locks, and how each is decided. */

/** What callers ask of the ledger; each is one operation of a batch (its transfers succeed or fail together). */
/** A generic transfer between named accounts, as other modules ask for one (the rules still decide). */
export interface TransferInput {
  id: string;
  fundYear: number;
  kind: 'posted' | 'pending';
  code: TransferCode;
  debit: AccountKey;
  credit: AccountKey;
  amount: number;
  reference: string;
  correctsId?: string;
}

export type LedgerOp =
  | { type: 'submit'; fundYear: number; request: TransferRequest; alsoLock: number[] }
  | {
      type: 'commit';
      input: {
        id: string;
        fundYear: number;
        communityCode: string;
        contractRef: string;
        amount: number;
        contractAmount?: number;
        reference?: string;
      };
    }
  | { type: 'post'; input: { id: string; pendingId: string; amount?: number; reference?: string } }
  | { type: 'void'; input: { id: string; pendingId: string; reference?: string } }
  | { type: 'correct'; input: { id: string; correctsId: string; amount: number; reference: string } }
  | { type: 'fee'; input: { id: string; fundYear: number; regionPath: string; amount: number; reference: string } }
  | { type: 'create'; input: TransferInput };

export type OpResult = TransferResult & { payout?: TransferRow };
export type Outcome = { ok: true; value: OpResult } | { ok: false; error: unknown };
export interface Queued {
  op: LedgerOp;
  actor: AuditActor;
}

/** Thrown when what the database applied differs from what the batch decided: the batch is retried request by request. */
export class BatchDiverged extends Error {}

export const keyOf = (k: AccountKey) => `${k.fundYear}\u0000${k.kind}\u0000${k.ref}`;

export const pendingNotFound = (id: string) =>
  new DomainError('PENDING_NOT_FOUND', { zh: '待拨付的合同占用不存在', en: `Pending transfer ${id} not found` }, { kind: 'not_found' });
export const correctedNotFound = (id: string) =>
  new DomainError('CORRECTED_NOT_FOUND', { zh: '被更正的转账不存在', en: `Corrected transfer ${id} not found` }, { kind: 'not_found' });
const accountNotFound = () => new DomainError('ACCOUNT_NOT_FOUND', { zh: '账户不存在', en: 'Account not found' }, { kind: 'not_found' });
const noAllocation = (communityCode: string, fundYear: number) =>
  new DomainError(
    'NO_ALLOCATION',
    {
      zh: `社区 ${communityCode} 在 ${fundYear} 年度没有下达的专项资金`,
      en: `Community ${communityCode} has no allocation in fund year ${fundYear}`,
    },
    { kind: 'rule', clause: '[N 1]', details: { communityCode, fundYear } },
  );
export const concurrentUpdate = () =>
  new DomainError(
    'CONCURRENT_UPDATE',
    { zh: '数据正被同时修改，请稍后重试', en: 'The data was changed concurrently; retry' },
    { kind: 'conflict' },
  );

/** The accounts an operation needs: found by key before the locks, created if missing, locked with the batch. */
const contractKey = (i: { fundYear: number; contractRef: string }): AccountKey => ({
  fundYear: i.fundYear,
  kind: 'contract',
  ref: i.contractRef,
});
export const communityKey = (i: { fundYear: number; communityCode: string }): AccountKey => ({
  fundYear: i.fundYear,
  kind: 'community_available',
  ref: i.communityCode,
});
/** Paid-out is kept per community (ADR 0008): the contract's funding community, the last segment of its region path. */
const paidOutKey = (fundYear: number, contractRegionPath: string): AccountKey => ({
  fundYear,
  kind: 'paid_out',
  ref: contractRegionPath.slice(contractRegionPath.lastIndexOf('/') + 1),
});
const feeKey = (fundYear: number, ref: 'source' | 'spent'): AccountKey => ({ fundYear, kind: 'evaluation_fee', ref });

/** What one batch read, then locked: the facts every operation of it is decided against. */
export interface BatchState {
  /** Transfers the batch names, read before the locks (immutable: a pending transfer, a corrected one). */
  named: Map<string, TransferRow>;
  /** Those and the batch's own ids stored by another writer while it waited for the locks (replays). */
  stored: Map<string, TransferRow>;
  /** Accounts the batch created (kept only if one of its accepted transfers uses them). */
  created: number[];
  creditRegion: Map<string, string>;
  byKey: Map<string, AccountRow>;
  locked: Map<number, AccountRow>;
  lockedByKey: Map<string, AccountRow>;
  accounts: Map<number, AccountState>;
  resolved: Map<string, number>;
  corrected: Map<string, number>;
  /** Transfers decided earlier in this batch, with their fund year. */
  decided: Map<string, { record: TransferRecord; fundYear: number }>;
}

/** One operation's decision: its results (by transfer id) and the new transfers it adds. */
export interface Scratch {
  accounts: Map<number, AccountState>;
  resolved: Map<string, number>;
  corrected: Map<string, number>;
  added: { record: TransferRecord; fundYear: number }[];
}
export type Step = { id: string; created: boolean; amount: number };
/** Decides one transfer of an operation (the engine's replay check and pure rules). */
export type DecideTransfer = (fundYear: number, request: TransferRequest, alsoLock?: number[]) => Step;

/** The accounts a batch must create if missing (by key), and every account it locks. */
export function lockPlan(
  batch: Queued[],
  named: Map<string, TransferRow>,
  creditRegion: Map<string, string>,
  byKey: Map<string, AccountRow>,
): { seeds: AccountSeed[]; lockIds: number[] } {
  const seeds = new Map<string, AccountSeed>();
  const lockIds: number[] = [];
  const seed = (s: AccountSeed) => {
    if (!seeds.has(keyOf(s))) seeds.set(keyOf(s), s);
  };
  for (const { op } of batch) {
    switch (op.type) {
      case 'commit': {
        const community = byKey.get(keyOf(communityKey(op.input)));
        if (!community) break;
        lockIds.push(community.id);
        seed({ ...contractKey(op.input), regionPath: community.regionPath, limitFen: op.input.contractAmount ?? op.input.amount });
        break;
      }
      case 'post': {
        const pending = named.get(op.input.pendingId);
        if (!pending) break;
        lockIds.push(pending.debitAccountId, pending.creditAccountId);
        const region = creditRegion.get(pending.id)!;
        seed({ ...paidOutKey(pending.fundYear, region), regionPath: region, limitFen: null });
        break;
      }
      case 'void':
      case 'correct': {
        const target = named.get(op.type === 'void' ? op.input.pendingId : op.input.correctsId);
        if (target) lockIds.push(target.debitAccountId, target.creditAccountId);
        break;
      }
      case 'fee': {
        const root = rootOf(op.input.regionPath);
        seed({ ...feeKey(op.input.fundYear, 'source'), regionPath: root, limitFen: null });
        seed({ ...feeKey(op.input.fundYear, 'spent'), regionPath: root, limitFen: null });
        break;
      }
      case 'create':
        for (const k of [op.input.debit, op.input.credit]) {
          const a = byKey.get(keyOf(k));
          if (a) lockIds.push(a.id);
        }
        break;
      case 'submit': {
        const r = op.request;
        const pending = r.pendingId ? named.get(r.pendingId) : undefined;
        if (pending) lockIds.push(pending.debitAccountId, pending.creditAccountId);
        else if (r.debitAccountId !== undefined && r.creditAccountId !== undefined) lockIds.push(r.debitAccountId, r.creditAccountId);
        lockIds.push(...op.alsoLock);
        break;
      }
    }
  }
  return { seeds: [...seeds.values()], lockIds };
}

/**
 * Decides one operation against the batch's locked state, its checks in the order the per-call
 * code made them (the community's allocation, the contract's amount, then per transfer the replay
 * check and the rules). Throws the operation's `DomainError`; its transfers are then dropped.
 */
export function decideOperation(op: LedgerOp, s: BatchState, transfer: DecideTransfer): Step[] {
  const one = (fundYear: number, request: TransferRequest, alsoLock: number[] = []) => [transfer(fundYear, request, alsoLock)];
  switch (op.type) {
    case 'submit':
      return one(op.fundYear, op.request, op.alsoLock);
    case 'commit': {
      const i = op.input;
      const community = s.byKey.get(keyOf(communityKey(i)));
      if (!community) throw noAllocation(i.communityCode, i.fundYear);
      const contract = s.lockedByKey.get(keyOf(contractKey(i)))!;
      const limit = i.contractAmount ?? i.amount;
      if (contract.limitFen !== limit) {
        throw new DomainError(
          'CONTRACT_AMOUNT_MISMATCH',
          { zh: '合同金额与已登记的合同账户不一致', en: `Contract ${i.contractRef} is registered with another amount` },
          { kind: 'conflict', details: { registered: contract.limitFen, given: limit } },
        );
      }
      return one(i.fundYear, {
        id: i.id,
        kind: 'pending',
        code: 'commitment',
        debitAccountId: community.id,
        creditAccountId: contract.id,
        amount: i.amount,
        reference: i.reference ?? i.contractRef,
      });
    }
    case 'post': {
      // A disbursement and its payout are linked: both or neither.
      const i = op.input;
      const pending = s.named.get(i.pendingId);
      if (!pending) throw pendingNotFound(i.pendingId);
      const paidOut = s.lockedByKey.get(keyOf(paidOutKey(pending.fundYear, s.creditRegion.get(pending.id)!)))!;
      const reference = i.reference ?? pending.reference;
      const posted = transfer(
        pending.fundYear,
        {
          id: i.id,
          kind: 'post_pending',
          code: 'disbursement',
          pendingId: i.pendingId,
          ...(i.amount !== undefined ? { amount: i.amount } : {}),
          reference,
        },
        [paidOut.id],
      );
      const payout = transfer(
        pending.fundYear,
        {
          id: `${i.id}:payout`,
          kind: 'posted',
          code: 'payout',
          debitAccountId: pending.creditAccountId,
          creditAccountId: paidOut.id,
          amount: posted.amount,
          reference,
        },
        [],
      );
      return [posted, payout];
    }
    case 'void': {
      const pending = s.named.get(op.input.pendingId);
      if (!pending) throw pendingNotFound(op.input.pendingId);
      return one(pending.fundYear, {
        id: op.input.id,
        kind: 'void_pending',
        code: 'release',
        pendingId: op.input.pendingId,
        reference: op.input.reference ?? pending.reference,
      });
    }
    case 'correct': {
      const original = s.named.get(op.input.correctsId);
      if (!original) throw correctedNotFound(op.input.correctsId);
      return one(original.fundYear, {
        id: op.input.id,
        kind: 'posted',
        code: 'correction',
        debitAccountId: original.creditAccountId,
        creditAccountId: original.debitAccountId,
        amount: op.input.amount,
        correctsId: op.input.correctsId,
        reference: op.input.reference,
      });
    }
    case 'fee': {
      const i = op.input;
      return one(i.fundYear, {
        id: i.id,
        kind: 'posted',
        code: 'evaluation_fee',
        debitAccountId: s.lockedByKey.get(keyOf(feeKey(i.fundYear, 'source')))!.id,
        creditAccountId: s.lockedByKey.get(keyOf(feeKey(i.fundYear, 'spent')))!.id,
        amount: i.amount,
        reference: i.reference,
      });
    }
    case 'create': {
      const i = op.input;
      const debit = s.byKey.get(keyOf(i.debit));
      const credit = s.byKey.get(keyOf(i.credit));
      if (!debit || !credit) throw accountNotFound();
      return one(i.fundYear, {
        id: i.id,
        kind: i.kind,
        code: i.code,
        debitAccountId: debit.id,
        creditAccountId: credit.id,
        amount: i.amount,
        reference: i.reference,
        correctsId: i.correctsId ?? null,
      });
    }
  }
}

/** The transfer ids an operation writes (a disbursement also its payout). */
export function ownIds(op: LedgerOp): string[] {
  if (op.type === 'submit') return [op.request.id];
  if (op.type === 'post') return [op.input.id, `${op.input.id}:payout`];
  return [op.input.id];
}

/** The stored transfers an operation names: the pending it posts or voids, the transfer it corrects. */
export function namedIds(op: LedgerOp): string[] {
  switch (op.type) {
    case 'submit':
      return [op.request.pendingId, op.request.correctsId].filter((x): x is string => !!x);
    case 'post':
    case 'void':
      return [op.input.pendingId];
    case 'correct':
      return [op.input.correctsId];
    case 'create':
      return op.input.correctsId ? [op.input.correctsId] : [];
    default:
      return [];
  }
}
