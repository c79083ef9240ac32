import type { Executor } from '../../db/client.js';
import { DomainError } from '../../common/errors.js';
import type { AuditActor } from '../audit/audit.service.js';
import { toAccountState, toTransferRecord, type AccountKey, type AccountRow, type TransferRow } from './ledger.repository.js';
import { LedgerBatchRepository, type AccountSeed, type NewTransferRow } from './ledger.batch.repository.js';
import { decideTransfer, idempotencyConflict, sameRequest, type AccountState, type TransferCode, type TransferRecord, type TransferRequest } from './ledger.rules.js';
import { replay, rootOf, violationError, type TransferResult } from './ledger.context.js';

/** What callers ask of the ledger; each is one operation of a batch (its transfers succeed or fail together). */
export type LedgerOp =
  | { type: 'submit'; fundYear: number; request: TransferRequest; alsoLock: number[] }
  | {
      type: 'commit';
      input: { id: string; fundYear: number; communityCode: string; contractRef: string; amount: number; contractAmount?: number; reference?: string };
    }
  | { type: 'post'; input: { id: string; pendingId: string; amount?: number; reference?: string } }
  | { type: 'void'; input: { id: string; pendingId: string; reference?: string } }
  | { type: 'correct'; input: { id: string; correctsId: string; amount: number; reference: string } }
  | { type: 'fee'; input: { id: string; fundYear: number; regionPath: string; amount: number; reference: string } }
  | {
      type: 'create';
      input: {
        id: string;
        fundYear: number;
        kind: 'posted' | 'pending';
        code: TransferCode;
        debit: AccountKey;
        credit: AccountKey;
        amount: number;
        reference: string;
        correctsId?: string;
      };
    };

export type OpResult = TransferResult & { payout?: TransferRow };
export type Outcome = { ok: true; value: OpResult } | { ok: false; error: unknown };
export interface Queued {
  op: LedgerOp;
  actor: AuditActor;
}

/** Thrown when what the database applied differs from what the batch decided: the batch is retried request by request. */
export class BatchDiverged extends Error {}

const keyOf = (k: AccountKey) => `${k.fundYear}\u0000${k.kind}\u0000${k.ref}`;

const pendingNotFound = (id: string) =>
  new DomainError('PENDING_NOT_FOUND', { zh: '待拨付的合同占用不存在', en: `Pending transfer ${id} not found` }, { kind: 'not_found' });
const correctedNotFound = (id: string) =>
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
  new DomainError('CONCURRENT_UPDATE', { zh: '数据正被同时修改，请稍后重试', en: 'The data was changed concurrently; retry' }, { kind: 'conflict' });

/** The accounts an operation needs: found by key before the locks, created if missing, locked with the batch. */
const contractKey = (i: { fundYear: number; contractRef: string }): AccountKey => ({ fundYear: i.fundYear, kind: 'contract', ref: i.contractRef });
const communityKey = (i: { fundYear: number; communityCode: string }): AccountKey => ({
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
interface BatchState {
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
interface Scratch {
  accounts: Map<number, AccountState>;
  resolved: Map<string, number>;
  corrected: Map<string, number>;
  added: { record: TransferRecord; fundYear: number }[];
}
type Step = { id: string; created: boolean; amount: number };

/**
 * The ledger's one write path (ADR 0021): a batch of operations — one from a caller's
 * transaction, or many gathered by the group commit — read, locked and applied set-based, in a
 * fixed number of statements whatever its size: the transfers it names, the accounts it needs by
 * key (created if missing), one lock statement in id order, one read of what changed while it
 * waited, then each operation decided in order by the pure rules against the balances read under
 * the locks, and one statement applying every accepted transfer. A refused operation only loses
 * its own transfers; the others are applied.
 */
export class LedgerEngine {
  private readonly repo = new LedgerBatchRepository();

  async execute(tx: Executor, batch: Queued[]): Promise<Outcome[]> {
    const state = await this.read(tx, batch);
    const outcomes: (Outcome | { ok: true; steps: Step[]; op: LedgerOp })[] = [];
    const rows: NewTransferRow[] = [];
    const opOfTransfer = new Map<string, number>();
    for (const [index, { op, actor }] of batch.entries()) {
      const scratch: Scratch = { accounts: new Map(), resolved: new Map(), corrected: new Map(), added: [] };
      try {
        const steps = this.decide(op, state, scratch);
        for (const [id, a] of scratch.accounts) state.accounts.set(id, a);
        for (const [id, n] of scratch.resolved) state.resolved.set(id, n);
        for (const [id, n] of scratch.corrected) state.corrected.set(id, n);
        for (const t of scratch.added) {
          state.decided.set(t.record.id, t);
          opOfTransfer.set(t.record.id, index);
          rows.push({ ...t.record, fundYear: t.fundYear, actorName: actor.username });
        }
        outcomes.push({ ok: true, steps, op });
      } catch (error) {
        outcomes.push({ ok: false, error });
      }
    }

    const used = new Set(rows.flatMap((r) => [r.debitAccountId, r.creditAccountId]));
    const applied = await this.repo.applyTransfers(
      tx,
      rows,
      state.created.filter((id) => !used.has(id)),
    );
    if (applied.accountsMoved !== applied.accountsToMove) throw new BatchDiverged('an account update was refused by the database');
    const inserted = new Map(applied.inserted.map((t) => [t.id, t]));
    if (inserted.size !== rows.length) {
      // A twin (same id) stored by another writer on other accounts while this batch ran. One
      // operation alone answers as the twin's replay, as if it had come after it; a batch is
      // retried request by request.
      if (batch.length > 1) throw new BatchDiverged('a transfer id was taken concurrently');
      const missing = rows.filter((r) => !inserted.has(r.id));
      if (missing.length !== rows.length) throw concurrentUpdate();
      const twins = await this.repo.transfersByIds(
        tx,
        missing.map((r) => r.id),
      );
      for (const t of twins) state.stored.set(t.id, t);
      const only = batch[0]!;
      const replayed = this.decide(only.op, { ...state, decided: new Map() }, { accounts: new Map(), resolved: new Map(), corrected: new Map(), added: [] });
      if (replayed.some((s) => s.created)) throw concurrentUpdate();
      return [{ ok: true, value: this.result(replayed, state, inserted) }];
    }
    return outcomes.map((o) => ('steps' in o ? { ok: true, value: this.result(o.steps, state, inserted) } : o));
  }

  private result(steps: Step[], state: BatchState, inserted: Map<string, TransferRow>): OpResult {
    const row = (s: Step) => inserted.get(s.id) ?? state.stored.get(s.id)!;
    const [first, payout] = steps;
    return payout ? { transfer: row(first!), created: first!.created, payout: row(payout) } : { transfer: row(first!), created: first!.created };
  }

  // ---------------------------------------------------------------- reading and locking

  private async read(tx: Executor, batch: Queued[]): Promise<BatchState> {
    const transferIds = new Set<string>();
    const requestIds = new Set<string>();
    const lookups: AccountKey[] = [];
    for (const { op } of batch) {
      for (const id of ownIds(op)) (transferIds.add(id), requestIds.add(id));
      for (const id of namedIds(op)) transferIds.add(id);
      if (op.type === 'commit') lookups.push(communityKey(op.input));
      if (op.type === 'create') lookups.push(op.input.debit, op.input.credit);
    }
    const found = await this.repo.transfersWithCreditRegion(tx, [...transferIds]);
    const named = new Map(found.map((f) => [f.transfer.id, f.transfer]));
    const stored = new Map(named);
    const creditRegion = new Map(found.map((f) => [f.transfer.id, f.creditRegionPath]));
    const byKey = new Map((await this.repo.accountsByKeys(tx, lookups)).map((a) => [keyOf(a), a]));

    // Accounts to create if missing, and every account to lock.
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
    const created = await this.repo.createMissingAccounts(tx, [...seeds.values()]);
    const lockedRows = await this.repo.lockAccounts(tx, lockIds, [...seeds.values()]);
    const locked = new Map(lockedRows.map((a) => [a.id, a]));
    const lockedByKey = new Map(lockedRows.map((a) => [keyOf(a), a]));

    // What committed while the batch waited for its locks.
    const pendingIds = new Set<string>();
    const correctedIds = new Set<string>();
    for (const { op } of batch) {
      if (op.type === 'post' || op.type === 'void') pendingIds.add(op.input.pendingId);
      if (op.type === 'submit' && op.request.pendingId) pendingIds.add(op.request.pendingId);
      if (op.type === 'correct') correctedIds.add(op.input.correctsId);
      if (op.type === 'create' && op.input.correctsId) correctedIds.add(op.input.correctsId);
      if (op.type === 'submit' && op.request.correctsId) correctedIds.add(op.request.correctsId);
    }
    const unseen = [...requestIds].filter((id) => !stored.has(id));
    const facts = await this.repo.lockedFacts(tx, unseen, [...pendingIds], [...correctedIds]);
    for (const t of await this.repo.transfersByIds(tx, facts.twins)) stored.set(t.id, t);

    return {
      named,
      stored,
      creditRegion,
      byKey,
      locked,
      lockedByKey,
      accounts: new Map(lockedRows.map((a) => [a.id, toAccountState(a)])),
      resolved: facts.resolved,
      corrected: facts.corrected,
      decided: new Map(),
      created,
    };
  }

  // ---------------------------------------------------------------- deciding, in the order of the former per-call checks

  private decide(op: LedgerOp, s: BatchState, scratch: Scratch): Step[] {
    const one = (fundYear: number, request: TransferRequest, alsoLock: number[] = []) => [
      this.decideTransfer(fundYear, request, alsoLock, s, scratch),
    ];
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
        const posted = this.decideTransfer(
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
          s,
          scratch,
        );
        const payout = this.decideTransfer(
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
          s,
          scratch,
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

  /** One transfer: replay of a stored (or earlier decided) id, else the pure rules against the locked balances. */
  private decideTransfer(fundYear: number, request: TransferRequest, alsoLock: number[], s: BatchState, scratch: Scratch): Step {
    const stored = s.stored.get(request.id);
    if (stored) return { id: stored.id, created: false, amount: replay(stored, fundYear, request).transfer.amount };
    const earlier = s.decided.get(request.id) ?? scratch.added.find((t) => t.record.id === request.id);
    if (earlier) {
      if (earlier.fundYear !== fundYear || !sameRequest(earlier.record, request)) throw violationError(idempotencyConflict(request.id));
      return { id: earlier.record.id, created: false, amount: earlier.record.amount };
    }
    const pending = request.pendingId ? s.named.get(request.pendingId) : undefined;
    if (request.pendingId && !pending) throw pendingNotFound(request.pendingId);
    const corrected = request.correctsId ? s.named.get(request.correctsId) : undefined;
    if (request.correctsId && !corrected) throw correctedNotFound(request.correctsId);
    const ids = pending ? [pending.debitAccountId, pending.creditAccountId] : [request.debitAccountId!, request.creditAccountId!];
    const accounts = [...ids, ...alsoLock].map((id) => s.locked.get(id)).filter((a): a is AccountRow => !!a);
    if (accounts.some((a) => a.fundYear !== fundYear) || (pending && pending.fundYear !== fundYear)) {
      throw new DomainError(
        'FUND_YEAR_MISMATCH',
        { zh: '不能跨年度划转专项资金', en: `Every account of the transfer must belong to fund year ${fundYear}` },
        { kind: 'rule', clause: '[N 4.1]' },
      );
    }
    const current = (id: number) => scratch.accounts.get(id) ?? s.accounts.get(id);
    const view = new Map<number, AccountState>();
    for (const id of ids) {
      const a = current(id);
      if (a) view.set(id, a);
    }
    const sumOf = (own: Map<string, number>, batch: Map<string, number>, id: string) => own.get(id) ?? batch.get(id) ?? 0;
    const decision = decideTransfer(request, {
      accounts: view,
      pending: pending ? toTransferRecord(pending) : null,
      pendingResolved: pending ? sumOf(scratch.resolved, s.resolved, pending.id) : 0,
      corrected: corrected ? toTransferRecord(corrected) : null,
      correctedSoFar: corrected ? sumOf(scratch.corrected, s.corrected, corrected.id) : 0,
    });
    if (!decision.ok) throw violationError(decision.violation);
    const t = decision.transfer;
    scratch.accounts.set(decision.debit.id, decision.debit);
    scratch.accounts.set(decision.credit.id, decision.credit);
    if (t.pendingId) scratch.resolved.set(t.pendingId, sumOf(scratch.resolved, s.resolved, t.pendingId) + t.amount);
    if (t.correctsId) scratch.corrected.set(t.correctsId, sumOf(scratch.corrected, s.corrected, t.correctsId) + t.amount);
    scratch.added.push({ record: t, fundYear });
    return { id: t.id, created: true, amount: t.amount };
  }
}

/** The transfer ids an operation writes (a disbursement also its payout). */
function ownIds(op: LedgerOp): string[] {
  if (op.type === 'submit') return [op.request.id];
  if (op.type === 'post') return [op.input.id, `${op.input.id}:payout`];
  return [op.input.id];
}

/** The stored transfers an operation names: the pending it posts or voids, the transfer it corrects. */
function namedIds(op: LedgerOp): string[] {
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
