import type { Db, Executor } from '../../db/client.js';
import { SYSTEM_ACTOR, type AuditActor } from '../audit/audit.service.js';
import type { AccountKey, AccountRow, LedgerRepository, TransferRow } from './ledger.repository.js';
import type { TransferRequest } from './ledger.rules.js';
import type { TransferResult } from './ledger.context.js';
import { LedgerEngine, type LedgerOp, type OpResult } from './ledger.engine.service.js';
import { LedgerGroupCommit } from './ledger.group-commit.service.js';
import type { TransferInput } from './ledger.operations.context.js';

/**
 * Moving money (spec §2): the one write path `submit` and the transfers other modules make through
 * it — commitments, disbursements, releases, corrections, fees. Each method is one operation of
 * the engine (ledger.engine.service.ts). Inside a caller's transaction (`tx`) it runs there, alone;
 * called with the service's own database handle instead, it joins the group commit
 * (ledger.group-commit.service.ts) and is applied with the operations that arrived beside it.
 */
export class LedgerTransfersService {
  private readonly engine = new LedgerEngine();
  private readonly group: LedgerGroupCommit;

  constructor(
    private readonly repo: LedgerRepository,
    private readonly db: Db,
  ) {
    this.group = new LedgerGroupCommit(db, this.engine);
  }

  private async run(tx: Executor, op: LedgerOp, actor: AuditActor): Promise<OpResult> {
    if (tx === this.db) return this.group.submit({ op, actor });
    const [outcome] = await this.engine.execute(tx, [{ op, actor }]);
    if (!outcome!.ok) throw outcome!.error;
    return outcome!.value;
  }

  /** Finds or creates an account (idempotent). */
  async ensureAccount(tx: Executor, key: AccountKey & { regionPath: string; limitFen?: number | null }): Promise<AccountRow> {
    const found = await this.repo.accountByKey(tx, key);
    if (found) return found;
    await this.repo.ensureAccounts(tx, [key]);
    return (await this.repo.accountByKey(tx, key))!;
  }

  /**
   * The one write path: replay check, row locks in id order, decision by the pure rules, then the
   * insert (ON CONFLICT on the id, so a concurrent twin on another server is detected) and the
   * balances moved by it, in one statement (ledger.engine.service.ts).
   */
  submit(
    tx: Executor,
    fundYear: number,
    request: TransferRequest,
    actor: AuditActor = SYSTEM_ACTOR,
    alsoLock: number[] = [],
  ): Promise<TransferResult> {
    return this.run(tx, { type: 'submit', fundYear, request, alsoLock }, actor);
  }

  /**
   * A signed contract: a pending transfer community → contract (a commitment). The contract's
   * account is opened with its amount (`contractAmount`, default the commitment).
   */
  commit(
    tx: Executor,
    input: {
      id: string;
      fundYear: number;
      communityCode: string;
      contractRef: string;
      amount: number;
      contractAmount?: number;
      reference?: string;
    },
    actor: AuditActor = SYSTEM_ACTOR,
  ): Promise<TransferResult> {
    return this.run(tx, { type: 'commit', input }, actor);
  }

  /**
   * A disbursement [N 3.3]: posts all (amount omitted) or part of a commitment, and in the same
   * transaction pays it on from the contract to paid-out (a linked transfer `<id>:payout`).
   */
  async postPending(
    tx: Executor,
    input: { id: string; pendingId: string; amount?: number; reference?: string },
    actor: AuditActor = SYSTEM_ACTOR,
  ): Promise<TransferResult & { payout: TransferRow }> {
    return (await this.run(tx, { type: 'post', input }, actor)) as TransferResult & { payout: TransferRow };
  }

  /** Cancelling, or an evaluation failure: releases the rest of a commitment back to the community. */
  voidPending(
    tx: Executor,
    input: { id: string; pendingId: string; reference?: string },
    actor: AuditActor = SYSTEM_ACTOR,
  ): Promise<TransferResult> {
    return this.run(tx, { type: 'void', input }, actor);
  }

  /** A correction is a new transfer reversing (part of) a posted one and naming it. */
  correct(
    tx: Executor,
    input: { id: string; correctsId: string; amount: number; reference: string },
    actor: AuditActor = SYSTEM_ACTOR,
  ): Promise<TransferResult> {
    return this.run(tx, { type: 'correct', input }, actor);
  }

  /** [N 3.12] Evaluation fees: only between the year's non-fund evaluation-fee accounts. */
  recordEvaluationFee(
    tx: Executor,
    input: { id: string; fundYear: number; regionPath: string; amount: number; reference: string },
    actor: AuditActor = SYSTEM_ACTOR,
  ): Promise<TransferResult> {
    return this.run(tx, { type: 'fee', input }, actor);
  }

  /** For other modules: a generic transfer between named accounts (the rules still decide). */
  createTransfer(tx: Executor, input: TransferInput, actor: AuditActor = SYSTEM_ACTOR): Promise<TransferResult> {
    return this.run(tx, { type: 'create', input }, actor);
  }
}
