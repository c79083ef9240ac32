import type { SQL } from 'drizzle-orm';
import type { Db, Executor } from '../../db/client.js';
import type { Actor } from '../../common/access.js';
import { LedgerRepository, type AccountRow, type TransferRow } from './ledger.repository.js';
import type { AccountKind, TransferCode } from './ledger.rules.js';
import { LedgerTransfersService } from './ledger.transfers.service.js';
import { LedgerAppropriationService } from './ledger.appropriation.service.js';
import { LedgerQueriesService, type VerifyReport } from './ledger.queries.service.js';

export { rootOf, type TransferResult } from './ledger.context.js';
export { accountView, scopedPrefix, transferView } from './ledger.views.js';
export type { VerifyReport };

/**
 * The fund ledger (spec §2). Other modules move money only through these methods, inside their
 * own transaction (`tx`), each with a caller-supplied id that makes a retry harmless: the same id
 * with the same data returns the first result (`created: false`), with other data a 409. Given
 * the database handle instead of a transaction, a write joins the ledger's group commit (ADR 0021):
 * it is applied with the writes that arrived beside it, in one transaction of the ledger's own.
 * Composed of the use cases: transfers (ledger.transfers.service.ts), allocations posted
 * (ledger.appropriation.service.ts) and the reads with verification (ledger.queries.service.ts).
 */
export class LedgerService {
  private readonly repo = new LedgerRepository();
  private readonly moves: LedgerTransfersService;
  private readonly appropriation: LedgerAppropriationService;
  private readonly queries: LedgerQueriesService;

  constructor(db: Db) {
    this.moves = new LedgerTransfersService(this.repo, db);
    this.appropriation = new LedgerAppropriationService(this.repo, this.moves);
    this.queries = new LedgerQueriesService(db, this.repo);
  }

  // ---------------------------------------------------------------- writes (inside the caller's tx)

  /** Finds or creates an account (idempotent). */
  ensureAccount(...args: Parameters<LedgerTransfersService['ensureAccount']>) {
    return this.moves.ensureAccount(...args);
  }

  /** The one write path (ADR 0021): replay check, row locks in id order, decision by the pure rules, one set-based apply. */
  submit(...args: Parameters<LedgerTransfersService['submit']>) {
    return this.moves.submit(...args);
  }

  /** [N 1] Allocation: a posted transfer pool → community. */
  allocate(...args: Parameters<LedgerAppropriationService['allocate']>) {
    return this.appropriation.allocate(...args);
  }

  /** An appropriation: many allocations in one statement batch under the pool's lock. */
  allocateMany(...args: Parameters<LedgerAppropriationService['allocateMany']>) {
    return this.appropriation.allocateMany(...args);
  }

  /** A signed contract: a pending transfer community → contract (a commitment). */
  commit(...args: Parameters<LedgerTransfersService['commit']>) {
    return this.moves.commit(...args);
  }

  /** A disbursement [N 3.3]: posts all or part of a commitment and pays it on to paid-out. */
  postPending(...args: Parameters<LedgerTransfersService['postPending']>) {
    return this.moves.postPending(...args);
  }

  /** Cancelling, or an evaluation failure: releases the rest of a commitment back to the community. */
  voidPending(...args: Parameters<LedgerTransfersService['voidPending']>) {
    return this.moves.voidPending(...args);
  }

  /** A correction is a new transfer reversing (part of) a posted one and naming it. */
  correct(...args: Parameters<LedgerTransfersService['correct']>) {
    return this.moves.correct(...args);
  }

  /** [N 3.12] Evaluation fees: only between the year's non-fund evaluation-fee accounts. */
  recordEvaluationFee(...args: Parameters<LedgerTransfersService['recordEvaluationFee']>) {
    return this.moves.recordEvaluationFee(...args);
  }

  /** For other modules: a generic transfer between named accounts (the rules still decide). */
  createTransfer(...args: Parameters<LedgerTransfersService['createTransfer']>) {
    return this.moves.createTransfer(...args);
  }

  // ---------------------------------------------------------------- reads

  communityAccount(db: Executor, fundYear: number, communityCode: string) {
    return this.queries.communityAccount(db, fundYear, communityCode);
  }

  /** Transfer ids that already exist among the given ones (e.g. an appropriation's allocations). */
  existingTransfers(db: Executor, ids: string[]): Promise<TransferRow[]> {
    return this.queries.existingTransfers(db, ids);
  }

  countTransfers(db: Executor, fundYear: number, code: TransferCode) {
    return this.queries.countTransfers(db, fundYear, code);
  }

  /** For the fund views: accounts of a fund year under a region path, of the given kinds. No access check. */
  accountsUnder(db: Executor, fundYear: number, pathPrefix: string, kinds?: AccountKind[]): Promise<AccountRow[]> {
    return this.queries.accountsUnder(db, fundYear, pathPrefix, kinds);
  }

  /** For the fund views: the amount disbursed from each account under a region path. No access check. */
  disbursedByAccount(db: Executor, fundYear: number, pathPrefix: string): Promise<Map<number, number>> {
    return this.queries.disbursedByAccount(db, fundYear, pathPrefix);
  }

  /** For the fund views: community money summed by district and star level. No access check. */
  communityMoneyByDistrictAndStars(db: Executor, fundYear: number, pathPrefix: string, groups: SQL) {
    return this.queries.communityMoneyByDistrictAndStars(db, fundYear, pathPrefix, groups);
  }

  accounts(actor: Actor, fundYear: number, regionPath: string) {
    return this.queries.accounts(actor, fundYear, regionPath);
  }

  /** Transfers touching accounts under a region (or one account), newest first. */
  transfers(actor: Actor, filter: { fundYear: number; regionPath: string; accountId?: number; limit?: number; offset?: number }) {
    return this.queries.transfers(actor, filter);
  }

  transfer(actor: Actor, id: string) {
    return this.queries.transfer(actor, id);
  }

  transferViews(rows: TransferRow[]) {
    return this.queries.transferViews(rows);
  }

  /** `ledger:verify`: every balance recomputed from the transfers, and every invariant re-checked. */
  verify(pageSize = 5000): Promise<VerifyReport> {
    return this.queries.verify(pageSize);
  }
}
