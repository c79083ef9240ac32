import type { SQL } from 'drizzle-orm';
import type { Db, Executor } from '../../db/client.js';
import { pathInScope, requirePermission, type Actor } from '../../common/access.js';
import { DomainError } from '../../common/errors.js';
import { SYSTEM_ACTOR, type AuditActor } from '../audit/audit.service.js';
import { LedgerRepository, insertTransfers, setManyBalances, toAccountState, toTransferRecord, type AccountKey, type AccountRow, type TransferRow } from './ledger.repository.js';
import {
  checkInvariants,
  decideTransfer,
  idempotencyConflict,
  recomputeBalances,
  sameRequest,
  type AccountKind,
  type AccountState,
  type TransferCode,
  type TransferRecord,
  type TransferRequest,
  type Violation,
} from './ledger.rules.js';
import type { AccountView, LedgerVerificationView, TransferView } from './ledger.schemas.js';

export interface TransferResult {
  transfer: TransferRow;
  /** false: the id was already used with the same data; this is the first result, nothing new was written. */
  created: boolean;
}

/** What `ledger:verify` and GET /ledger/verify report. */
export type VerifyReport = LedgerVerificationView;

const violationError = (v: Violation) => new DomainError(v.code, { zh: v.zh, en: v.en }, { kind: v.kind, clause: v.clause, details: v.details });

const noAllocation = (communityCode: string, fundYear: number) =>
  new DomainError(
    'NO_ALLOCATION',
    { zh: `社区 ${communityCode} 在 ${fundYear} 年度没有下达的专项资金`, en: `Community ${communityCode} has no allocation in fund year ${fundYear}` },
    { kind: 'rule', clause: '[N 1]', details: { communityCode, fundYear } },
  );

const transferNotFound = () => new DomainError('NOT_FOUND', { zh: '转账不存在', en: 'Transfer not found' }, { kind: 'not_found' });

/** The root (city) of a materialised region path. */
export const rootOf = (regionPath: string) => regionPath.split('/')[0]!;

/**
 * The fund ledger (spec §2). Other modules move money only through these methods, inside their
 * own transaction (`tx`), each with a caller-supplied id that makes a retry harmless: the same id
 * with the same data returns the first result (`created: false`), with other data a 409.
 */
export class LedgerService {
  private readonly repo = new LedgerRepository();

  constructor(private readonly db: Db) {}

  // ---------------------------------------------------------------- writes (inside the caller's tx)

  /** Finds or creates an account (idempotent). */
  async ensureAccount(tx: Executor, key: AccountKey & { regionPath: string; limitFen?: number | null }): Promise<AccountRow> {
    const found = await this.repo.accountByKey(tx, key);
    if (found) return found;
    await this.repo.ensureAccounts(tx, [key]);
    return (await this.repo.accountByKey(tx, key))!;
  }

  /**
   * The one write path: replay check, row locks in id order, decision by the pure rules, insert
   * (ON CONFLICT on the id, so a concurrent twin on another server is detected), new balances.
   */
  async submit(tx: Executor, fundYear: number, request: TransferRequest, actor: AuditActor = SYSTEM_ACTOR, alsoLock: number[] = []): Promise<TransferResult> {
    const existing = await this.repo.transfer(tx, request.id);
    if (existing) return this.replay(existing, fundYear, request);

    const pending = request.pendingId ? await this.repo.transfer(tx, request.pendingId) : null;
    if (request.pendingId && !pending) {
      throw new DomainError('PENDING_NOT_FOUND', { zh: '待拨付的合同占用不存在', en: `Pending transfer ${request.pendingId} not found` }, { kind: 'not_found' });
    }
    const corrected = request.correctsId ? await this.repo.transfer(tx, request.correctsId) : null;
    if (request.correctsId && !corrected) {
      throw new DomainError('CORRECTED_NOT_FOUND', { zh: '被更正的转账不存在', en: `Corrected transfer ${request.correctsId} not found` }, { kind: 'not_found' });
    }
    const ids = pending ? [pending.debitAccountId, pending.creditAccountId] : [request.debitAccountId!, request.creditAccountId!];
    const locked = await this.repo.lockAccounts(tx, [...ids, ...alsoLock]);
    if (locked.some((a) => a.fundYear !== fundYear) || (pending && pending.fundYear !== fundYear)) {
      throw new DomainError('FUND_YEAR_MISMATCH', { zh: '不能跨年度划转专项资金', en: `Every account of the transfer must belong to fund year ${fundYear}` }, { kind: 'rule', clause: '[N 4.1]' });
    }
    // While we waited for the locks, a twin of this request may have committed.
    const twin = await this.repo.transfer(tx, request.id);
    if (twin) return this.replay(twin, fundYear, request);

    const accounts = new Map<number, AccountState>(locked.map((a) => [a.id, toAccountState(a)]));
    const decision = decideTransfer(request, {
      accounts,
      pending: pending ? toTransferRecord(pending) : null,
      pendingResolved: pending ? await this.repo.resolvedAmount(tx, pending.id) : 0,
      corrected: corrected ? toTransferRecord(corrected) : null,
      correctedSoFar: corrected ? await this.repo.correctedAmount(tx, corrected.id) : 0,
    });
    if (!decision.ok) throw violationError(decision.violation);
    const t = decision.transfer;
    const inserted = await this.repo.insertTransfer(tx, {
      id: t.id, fundYear, kind: t.kind, code: t.code, debitAccountId: t.debitAccountId, creditAccountId: t.creditAccountId,
      amount: t.amount, pendingId: t.pendingId, correctsId: t.correctsId, reference: t.reference, actorName: actor.username,
    });
    if (!inserted) return this.replay((await this.repo.transfer(tx, request.id))!, fundYear, request);
    await this.repo.setBalances(tx, decision.debit);
    await this.repo.setBalances(tx, decision.credit);
    return { transfer: (await this.repo.transfer(tx, t.id))!, created: true };
  }

  private replay(stored: TransferRow, fundYear: number, request: TransferRequest): TransferResult {
    if (stored.fundYear !== fundYear || !sameRequest(toTransferRecord(stored), request)) throw violationError(idempotencyConflict(request.id));
    return { transfer: stored, created: false };
  }

  /** [N 1] Allocation: a posted transfer pool → community. */
  async allocate(tx: Executor, input: { id: string; fundYear: number; communityCode: string; communityPath: string; amount: number; reference: string }, actor: AuditActor = SYSTEM_ACTOR) {
    const pool = await this.ensureAccount(tx, { fundYear: input.fundYear, kind: 'fund_pool', ref: '', regionPath: rootOf(input.communityPath) });
    const community = await this.ensureAccount(tx, { fundYear: input.fundYear, kind: 'community_available', ref: input.communityCode, regionPath: input.communityPath });
    return this.submit(tx, input.fundYear, { id: input.id, kind: 'posted', code: 'allocation', debitAccountId: pool.id, creditAccountId: community.id, amount: input.amount, reference: input.reference }, actor);
  }

  /**
   * An appropriation: many allocations in one statement batch, decided one by one by the same
   * rules, under the pool's lock (which orders every appropriation of the year). Transfers whose
   * id exists with the same data are skipped (a re-confirmation allocates nothing twice).
   */
  async allocateMany(
    tx: Executor,
    fundYear: number,
    items: { id: string; communityCode: string; communityPath: string; amount: number; reference: string }[],
    actor: AuditActor = SYSTEM_ACTOR,
  ): Promise<{ created: number; existing: number; createdFen: number }> {
    if (items.length === 0) return { created: 0, existing: 0, createdFen: 0 };
    const root = rootOf(items[0]!.communityPath);
    const pool = await this.ensureAccount(tx, { fundYear, kind: 'fund_pool', ref: '', regionPath: root });
    await this.repo.lockAccounts(tx, [pool.id]);
    await this.repo.ensureAccounts(tx, items.map((i) => ({ fundYear, kind: 'community_available' as const, ref: i.communityCode, regionPath: i.communityPath })));
    const communities = await this.repo.accountsByKind(tx, fundYear, 'community_available', items.map((i) => i.communityCode));
    const accountOf = new Map(communities.map((c) => [c.ref, c.id]));
    const locked = await this.repo.lockAccounts(tx, [pool.id, ...communities.map((c) => c.id)]);
    const state = new Map<number, AccountState>(locked.map((a) => [a.id, toAccountState(a)]));
    const existing = new Map((await this.repo.transfersByIds(tx, items.map((i) => i.id))).map((t) => [t.id, t]));
    const rows: Parameters<typeof insertTransfers>[1] = [];
    const touched = new Set<number>();
    let createdFen = 0;
    for (const item of items) {
      const request: TransferRequest = { id: item.id, kind: 'posted', code: 'allocation', debitAccountId: pool.id, creditAccountId: accountOf.get(item.communityCode)!, amount: item.amount, reference: item.reference };
      const stored = existing.get(item.id);
      if (stored) {
        this.replay(stored, fundYear, request);
        continue;
      }
      const decision = decideTransfer(request, { accounts: state });
      if (!decision.ok) throw violationError(decision.violation);
      state.set(decision.debit.id, decision.debit);
      state.set(decision.credit.id, decision.credit);
      touched.add(decision.debit.id).add(decision.credit.id);
      createdFen += item.amount;
      const t = decision.transfer;
      rows.push({ id: t.id, fundYear, kind: t.kind, code: t.code, debitAccountId: t.debitAccountId, creditAccountId: t.creditAccountId, amount: t.amount, pendingId: null, correctsId: null, reference: t.reference, actorName: actor.username });
    }
    if ((await insertTransfers(tx, rows)) !== rows.length) {
      // Only possible if an allocation id was taken outside the pool's lock: refuse rather than guess.
      throw new DomainError('IDEMPOTENCY_CONFLICT', { zh: '资金下达编号冲突，请重试', en: 'An allocation id was taken concurrently; retry' }, { kind: 'conflict' });
    }
    await setManyBalances(tx, [...touched].map((id) => state.get(id)!));
    return { created: rows.length, existing: items.length - rows.length, createdFen };
  }

  /**
   * A signed contract: a pending transfer community → contract (a commitment). The contract's
   * account is opened with its amount (`contractAmount`, default the commitment).
   */
  async commit(
    tx: Executor,
    input: { id: string; fundYear: number; communityCode: string; contractRef: string; amount: number; contractAmount?: number; reference?: string },
    actor: AuditActor = SYSTEM_ACTOR,
  ) {
    const community = await this.repo.accountByKey(tx, { fundYear: input.fundYear, kind: 'community_available', ref: input.communityCode });
    if (!community) throw noAllocation(input.communityCode, input.fundYear);
    const limit = input.contractAmount ?? input.amount;
    const contract = await this.ensureAccount(tx, { fundYear: input.fundYear, kind: 'contract', ref: input.contractRef, regionPath: community.regionPath, limitFen: limit });
    if (contract.limitFen !== limit) {
      throw new DomainError('CONTRACT_AMOUNT_MISMATCH', { zh: '合同金额与已登记的合同账户不一致', en: `Contract ${input.contractRef} is registered with another amount` }, { kind: 'conflict', details: { registered: contract.limitFen, given: limit } });
    }
    return this.submit(tx, input.fundYear, {
      id: input.id, kind: 'pending', code: 'commitment', debitAccountId: community.id, creditAccountId: contract.id, amount: input.amount, reference: input.reference ?? input.contractRef,
    }, actor);
  }

  /**
   * A disbursement [N 3.3]: posts all (amount omitted) or part of a commitment, and in the same
   * transaction pays it on from the contract to paid-out (a linked transfer `<id>:payout`).
   */
  async postPending(tx: Executor, input: { id: string; pendingId: string; amount?: number; reference?: string }, actor: AuditActor = SYSTEM_ACTOR) {
    const pending = await this.repo.transfer(tx, input.pendingId);
    if (!pending) throw new DomainError('PENDING_NOT_FOUND', { zh: '待拨付的合同占用不存在', en: `Pending transfer ${input.pendingId} not found` }, { kind: 'not_found' });
    const contract = (await this.repo.accountById(tx, pending.creditAccountId))!;
    // Paid-out is kept per community (the contract's funding community), not one account per
    // year: every payment locks its paid-out account, and one city-wide account would serialise
    // all payments of the year behind a single row lock.
    const communityCode = contract.regionPath.slice(contract.regionPath.lastIndexOf('/') + 1);
    const paidOut = await this.ensureAccount(tx, { fundYear: pending.fundYear, kind: 'paid_out', ref: communityCode, regionPath: contract.regionPath });
    const reference = input.reference ?? pending.reference;
    const posted = await this.submit(tx, pending.fundYear, {
      id: input.id, kind: 'post_pending', code: 'disbursement', pendingId: input.pendingId, ...(input.amount !== undefined ? { amount: input.amount } : {}), reference,
    }, actor, [paidOut.id]);
    const payout = await this.submit(tx, pending.fundYear, {
      id: `${input.id}:payout`, kind: 'posted', code: 'payout', debitAccountId: contract.id, creditAccountId: paidOut.id, amount: posted.transfer.amount, reference,
    }, actor);
    return { ...posted, payout: payout.transfer };
  }

  /** Cancelling, or an evaluation failure: releases the rest of a commitment back to the community. */
  async voidPending(tx: Executor, input: { id: string; pendingId: string; reference?: string }, actor: AuditActor = SYSTEM_ACTOR) {
    const pending = await this.repo.transfer(tx, input.pendingId);
    if (!pending) throw new DomainError('PENDING_NOT_FOUND', { zh: '待拨付的合同占用不存在', en: `Pending transfer ${input.pendingId} not found` }, { kind: 'not_found' });
    return this.submit(tx, pending.fundYear, { id: input.id, kind: 'void_pending', code: 'release', pendingId: input.pendingId, reference: input.reference ?? pending.reference }, actor);
  }

  /** A correction is a new transfer reversing (part of) a posted one and naming it. */
  async correct(tx: Executor, input: { id: string; correctsId: string; amount: number; reference: string }, actor: AuditActor = SYSTEM_ACTOR) {
    const original = await this.repo.transfer(tx, input.correctsId);
    if (!original) throw new DomainError('CORRECTED_NOT_FOUND', { zh: '被更正的转账不存在', en: `Corrected transfer ${input.correctsId} not found` }, { kind: 'not_found' });
    return this.submit(tx, original.fundYear, {
      id: input.id, kind: 'posted', code: 'correction', debitAccountId: original.creditAccountId, creditAccountId: original.debitAccountId,
      amount: input.amount, correctsId: input.correctsId, reference: input.reference,
    }, actor);
  }

  /** [N 3.12] Evaluation fees: only between the year's non-fund evaluation-fee accounts. */
  async recordEvaluationFee(tx: Executor, input: { id: string; fundYear: number; regionPath: string; amount: number; reference: string }, actor: AuditActor = SYSTEM_ACTOR) {
    const root = rootOf(input.regionPath);
    const source = await this.ensureAccount(tx, { fundYear: input.fundYear, kind: 'evaluation_fee', ref: 'source', regionPath: root });
    const spent = await this.ensureAccount(tx, { fundYear: input.fundYear, kind: 'evaluation_fee', ref: 'spent', regionPath: root });
    return this.submit(tx, input.fundYear, { id: input.id, kind: 'posted', code: 'evaluation_fee', debitAccountId: source.id, creditAccountId: spent.id, amount: input.amount, reference: input.reference }, actor);
  }

  /** For other modules: a generic transfer between named accounts (the rules still decide). */
  async createTransfer(
    tx: Executor,
    input: { id: string; fundYear: number; kind: 'posted' | 'pending'; code: TransferCode; debit: AccountKey; credit: AccountKey; amount: number; reference: string; correctsId?: string },
    actor: AuditActor = SYSTEM_ACTOR,
  ) {
    const debit = await this.repo.accountByKey(tx, input.debit);
    const credit = await this.repo.accountByKey(tx, input.credit);
    if (!debit || !credit) throw new DomainError('ACCOUNT_NOT_FOUND', { zh: '账户不存在', en: 'Account not found' }, { kind: 'not_found' });
    return this.submit(tx, input.fundYear, {
      id: input.id, kind: input.kind, code: input.code, debitAccountId: debit.id, creditAccountId: credit.id, amount: input.amount, reference: input.reference, correctsId: input.correctsId ?? null,
    }, actor);
  }

  // ---------------------------------------------------------------- reads

  async communityAccount(db: Executor, fundYear: number, communityCode: string) {
    return this.repo.accountByKey(db, { fundYear, kind: 'community_available', ref: communityCode });
  }

  /** Transfer ids that already exist among the given ones (e.g. an appropriation's allocations). */
  async existingTransfers(db: Executor, ids: string[]): Promise<TransferRow[]> {
    return this.repo.transfersByIds(db, ids);
  }

  async countTransfers(db: Executor, fundYear: number, code: TransferCode) {
    return this.repo.countTransfers(db, fundYear, code);
  }

  /** For the fund views: accounts of a fund year under a region path, of the given kinds. No access check. */
  async accountsUnder(db: Executor, fundYear: number, pathPrefix: string, kinds?: AccountKind[]): Promise<AccountRow[]> {
    return this.repo.accountsUnder(db, fundYear, pathPrefix, kinds);
  }

  /** For the fund views: the amount disbursed from each account under a region path. No access check. */
  async disbursedByAccount(db: Executor, fundYear: number, pathPrefix: string): Promise<Map<number, number>> {
    return this.repo.disbursedByAccount(db, fundYear, pathPrefix);
  }

  /** For the fund views: community money summed by district and star level (`groups` relates communities to their stars). No access check. */
  async communityMoneyByDistrictAndStars(db: Executor, fundYear: number, pathPrefix: string, groups: SQL) {
    return this.repo.communityMoneyByDistrictAndStars(db, fundYear, pathPrefix, groups);
  }

  async accounts(actor: Actor, fundYear: number, regionPath: string) {
    requirePermission(actor, 'ledger:read');
    const prefix = scopedPrefix(actor, regionPath);
    return (await this.repo.accountsUnder(this.db, fundYear, prefix)).map(accountView);
  }

  /** Transfers touching accounts under a region (or one account), newest first. */
  async transfers(actor: Actor, filter: { fundYear: number; regionPath: string; accountId?: number; limit?: number; offset?: number }) {
    requirePermission(actor, 'ledger:read');
    const prefix = scopedPrefix(actor, filter.regionPath);
    const { items, total } = await this.repo.transfersUnder(this.db, {
      fundYear: filter.fundYear, pathPrefix: prefix, accountId: filter.accountId, limit: Math.min(filter.limit ?? 50, 1000), offset: filter.offset ?? 0,
    });
    return { total, items: await this.transferViews(items) };
  }

  async transfer(actor: Actor, id: string) {
    requirePermission(actor, 'ledger:read');
    const t = await this.repo.transfer(this.db, id);
    if (!t) throw transferNotFound();
    const [view] = await this.transferViews([t]);
    if (!pathInScope(actor.scopePath, view!.debit.regionPath) && !pathInScope(actor.scopePath, view!.credit.regionPath)) throw transferNotFound();
    return view!;
  }

  async transferViews(rows: TransferRow[]) {
    const accounts = new Map((await this.repo.accountsByIds(this.db, rows.flatMap((t) => [t.debitAccountId, t.creditAccountId]))).map((a) => [a.id, a]));
    return rows.map((t) => transferView(t, accounts.get(t.debitAccountId)!, accounts.get(t.creditAccountId)!));
  }

  /** `ledger:verify`: every balance recomputed from the transfers, and every invariant re-checked. */
  async verify(pageSize = 5000): Promise<VerifyReport> {
    const transfers: TransferRecord[] = [];
    for (let after = 0; ;) {
      const page = await this.repo.transfersPage(this.db, after, pageSize);
      if (page.length === 0) break;
      transfers.push(...page.map(toTransferRecord));
      after = page[page.length - 1]!.seq;
    }
    const accounts = (await this.repo.allAccounts(this.db)).map(toAccountState);
    const report = checkInvariants(accounts, transfers);
    // Balances are recomputed above; an account no transfer touches must be all zero.
    const touched = recomputeBalances(transfers);
    for (const a of accounts) {
      if (!touched.has(a.id) && (a.debitsPosted || a.creditsPosted || a.debitsPending || a.creditsPending)) report.problems.push(`account ${a.id} has balances but no transfers`);
    }
    return { ok: report.problems.length === 0, accounts: accounts.length, transfers: transfers.length, problems: report.problems, totals: report.totals };
  }
}

/** The region prefix a caller may read under: the asked region, narrowed to the caller's own scope. */
export function scopedPrefix(actor: Actor, regionPath: string): string {
  if (pathInScope(actor.scopePath, regionPath)) return regionPath;
  if (actor.scopePath && pathInScope(regionPath, actor.scopePath)) return actor.scopePath;
  throw new DomainError('NOT_FOUND', { zh: '区域不存在或无权查看', en: 'Region not found' }, { kind: 'not_found' });
}

export function accountView(a: AccountRow): AccountView {
  return {
    id: a.id, fundYear: a.fundYear, kind: a.kind, ref: a.ref, regionPath: a.regionPath, limitFen: a.limitFen,
    debitsPosted: a.debitsPosted, creditsPosted: a.creditsPosted, debitsPending: a.debitsPending, creditsPending: a.creditsPending,
  };
}

export function transferView(t: TransferRow, debit: AccountRow, credit: AccountRow): TransferView {
  const side = (a: AccountRow) => ({ id: a.id, kind: a.kind, ref: a.ref, regionPath: a.regionPath });
  return {
    id: t.id, seq: t.seq, fundYear: t.fundYear, kind: t.kind, code: t.code, amount: t.amount, debit: side(debit), credit: side(credit),
    pendingId: t.pendingId, correctsId: t.correctsId, reference: t.reference, actorName: t.actorName, createdAt: t.createdAt.toISOString(),
  };
}
