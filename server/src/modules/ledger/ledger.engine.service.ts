import type { Executor } from '../../db/client.js';
import { DomainError } from '../../common/errors.js';
import { toAccountState, toTransferRecord, type AccountKey, type AccountRow, type TransferRow } from './ledger.repository.js';
import { LedgerBatchRepository, type NewTransferRow } from './ledger.batch.repository.js';
import { decideTransfer, idempotencyConflict, sameRequest, type AccountState, type TransferRequest } from './ledger.rules.js';
import { replay, violationError } from './ledger.context.js';
import {
  communityKey,
  concurrentUpdate,
  correctedNotFound,
  decideOperation,
  keyOf,
  lockPlan,
  namedIds,
  ownIds,
  pendingNotFound,
  type BatchState,
  type OpResult,
  type Outcome,
  type Queued,
  type Scratch,
  type Step,
} from './ledger.operations.context.js';

export type { LedgerOp, OpResult, Outcome, Queued } from './ledger.operations.context.js';

/** Thrown when what the database applied differs from what the batch decided: the batch is retried request by request. */
export class BatchDiverged extends Error {}

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
    const outcomes: (Outcome | { ok: true; steps: Step[] })[] = [];
    const rows: NewTransferRow[] = [];
    for (const { op, actor } of batch) {
      const scratch: Scratch = { accounts: new Map(), resolved: new Map(), corrected: new Map(), added: [] };
      try {
        const steps = decideOperation(op, state, (y, r, also = []) => this.decideTransfer(y, r, also, state, scratch));
        for (const [id, a] of scratch.accounts) state.accounts.set(id, a);
        for (const [id, n] of scratch.resolved) state.resolved.set(id, n);
        for (const [id, n] of scratch.corrected) state.corrected.set(id, n);
        for (const t of scratch.added) {
          state.decided.set(t.record.id, t);
          rows.push({ ...t.record, fundYear: t.fundYear, actorName: actor.username });
        }
        outcomes.push({ ok: true, steps });
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
      const fresh: Scratch = { accounts: new Map(), resolved: new Map(), corrected: new Map(), added: [] };
      const again = { ...state, decided: new Map() };
      const replayed = decideOperation(only.op, again, (y, r, also = []) => this.decideTransfer(y, r, also, again, fresh));
      if (replayed.some((s) => s.created)) throw concurrentUpdate();
      return [{ ok: true, value: this.result(replayed, state, inserted) }];
    }
    return outcomes.map((o) => ('steps' in o ? { ok: true, value: this.result(o.steps, state, inserted) } : o));
  }

  private result(steps: Step[], state: BatchState, inserted: Map<string, TransferRow>): OpResult {
    const row = (s: Step) => inserted.get(s.id) ?? state.stored.get(s.id)!;
    const [first, payout] = steps;
    return payout
      ? { transfer: row(first!), created: first!.created, payout: row(payout) }
      : { transfer: row(first!), created: first!.created };
  }

  // ---------------------------------------------------------------- reading and locking

  private async read(tx: Executor, batch: Queued[]): Promise<BatchState> {
    const transferIds = new Set<string>();
    const requestIds = new Set<string>();
    const lookups: AccountKey[] = [];
    for (const { op } of batch) {
      for (const id of ownIds(op)) {
        transferIds.add(id);
        requestIds.add(id);
      }
      for (const id of namedIds(op)) transferIds.add(id);
      if (op.type === 'commit') lookups.push(communityKey(op.input));
      if (op.type === 'create') lookups.push(op.input.debit, op.input.credit);
    }
    const found = await this.repo.transfersWithCreditRegion(tx, [...transferIds]);
    const named = new Map(found.map((f) => [f.transfer.id, f.transfer]));
    const stored = new Map(named);
    const creditRegion = new Map(found.map((f) => [f.transfer.id, f.creditRegionPath]));
    const byKey = new Map((await this.repo.accountsByKeys(tx, lookups)).map((a) => [keyOf(a), a]));

    const { seeds, lockIds } = lockPlan(batch, named, creditRegion, byKey);
    const created = await this.repo.createMissingAccounts(tx, seeds);
    const lockedRows = await this.repo.lockAccounts(tx, lockIds, seeds);
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
