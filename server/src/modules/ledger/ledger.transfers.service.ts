import type { Executor } from '../../db/client.js';
import { DomainError } from '../../common/errors.js';
import { SYSTEM_ACTOR, type AuditActor } from '../audit/audit.service.js';
import { toAccountState, toTransferRecord, type AccountKey, type AccountRow, type LedgerRepository } from './ledger.repository.js';
import { decideTransfer, type AccountState, type TransferCode, type TransferRequest } from './ledger.rules.js';
import { replay, rootOf, violationError, type TransferResult } from './ledger.context.js';

const noAllocation = (communityCode: string, fundYear: number) =>
  new DomainError(
    'NO_ALLOCATION',
    {
      zh: `社区 ${communityCode} 在 ${fundYear} 年度没有下达的专项资金`,
      en: `Community ${communityCode} has no allocation in fund year ${fundYear}`,
    },
    { kind: 'rule', clause: '[N 1]', details: { communityCode, fundYear } },
  );

/**
 * Moving money (spec §2): the one write path `submit` and the transfers other modules make through
 * it inside their own transaction — commitments, disbursements, releases, corrections, fees.
 */
export class LedgerTransfersService {
  constructor(private readonly repo: LedgerRepository) {}

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
  async submit(
    tx: Executor,
    fundYear: number,
    request: TransferRequest,
    actor: AuditActor = SYSTEM_ACTOR,
    alsoLock: number[] = [],
  ): Promise<TransferResult> {
    const existing = await this.repo.transfer(tx, request.id);
    if (existing) return replay(existing, fundYear, request);

    const pending = request.pendingId ? await this.repo.transfer(tx, request.pendingId) : null;
    if (request.pendingId && !pending) {
      throw new DomainError(
        'PENDING_NOT_FOUND',
        { zh: '待拨付的合同占用不存在', en: `Pending transfer ${request.pendingId} not found` },
        { kind: 'not_found' },
      );
    }
    const corrected = request.correctsId ? await this.repo.transfer(tx, request.correctsId) : null;
    if (request.correctsId && !corrected) {
      throw new DomainError(
        'CORRECTED_NOT_FOUND',
        { zh: '被更正的转账不存在', en: `Corrected transfer ${request.correctsId} not found` },
        { kind: 'not_found' },
      );
    }
    const ids = pending ? [pending.debitAccountId, pending.creditAccountId] : [request.debitAccountId!, request.creditAccountId!];
    const locked = await this.repo.lockAccounts(tx, [...ids, ...alsoLock]);
    if (locked.some((a) => a.fundYear !== fundYear) || (pending && pending.fundYear !== fundYear)) {
      throw new DomainError(
        'FUND_YEAR_MISMATCH',
        { zh: '不能跨年度划转专项资金', en: `Every account of the transfer must belong to fund year ${fundYear}` },
        { kind: 'rule', clause: '[N 4.1]' },
      );
    }
    // While we waited for the locks, a twin of this request may have committed.
    const twin = await this.repo.transfer(tx, request.id);
    if (twin) return replay(twin, fundYear, request);

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
      id: t.id,
      fundYear,
      kind: t.kind,
      code: t.code,
      debitAccountId: t.debitAccountId,
      creditAccountId: t.creditAccountId,
      amount: t.amount,
      pendingId: t.pendingId,
      correctsId: t.correctsId,
      reference: t.reference,
      actorName: actor.username,
    });
    if (!inserted) return replay((await this.repo.transfer(tx, request.id))!, fundYear, request);
    await this.repo.setBalances(tx, decision.debit);
    await this.repo.setBalances(tx, decision.credit);
    return { transfer: (await this.repo.transfer(tx, t.id))!, created: true };
  }

  /**
   * A signed contract: a pending transfer community → contract (a commitment). The contract's
   * account is opened with its amount (`contractAmount`, default the commitment).
   */
  async commit(
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
  ) {
    const community = await this.repo.accountByKey(tx, { fundYear: input.fundYear, kind: 'community_available', ref: input.communityCode });
    if (!community) throw noAllocation(input.communityCode, input.fundYear);
    const limit = input.contractAmount ?? input.amount;
    const contract = await this.ensureAccount(tx, {
      fundYear: input.fundYear,
      kind: 'contract',
      ref: input.contractRef,
      regionPath: community.regionPath,
      limitFen: limit,
    });
    if (contract.limitFen !== limit) {
      throw new DomainError(
        'CONTRACT_AMOUNT_MISMATCH',
        { zh: '合同金额与已登记的合同账户不一致', en: `Contract ${input.contractRef} is registered with another amount` },
        { kind: 'conflict', details: { registered: contract.limitFen, given: limit } },
      );
    }
    return this.submit(
      tx,
      input.fundYear,
      {
        id: input.id,
        kind: 'pending',
        code: 'commitment',
        debitAccountId: community.id,
        creditAccountId: contract.id,
        amount: input.amount,
        reference: input.reference ?? input.contractRef,
      },
      actor,
    );
  }

  /**
   * A disbursement [N 3.3]: posts all (amount omitted) or part of a commitment, and in the same
   * transaction pays it on from the contract to paid-out (a linked transfer `<id>:payout`).
   */
  async postPending(
    tx: Executor,
    input: { id: string; pendingId: string; amount?: number; reference?: string },
    actor: AuditActor = SYSTEM_ACTOR,
  ) {
    const pending = await this.repo.transfer(tx, input.pendingId);
    if (!pending)
      throw new DomainError(
        'PENDING_NOT_FOUND',
        { zh: '待拨付的合同占用不存在', en: `Pending transfer ${input.pendingId} not found` },
        { kind: 'not_found' },
      );
    const contract = (await this.repo.accountById(tx, pending.creditAccountId))!;
    // Paid-out is kept per community (the contract's funding community), not one account per
    // year: every payment locks its paid-out account, and one city-wide account would serialise
    // all payments of the year behind a single row lock.
    const communityCode = contract.regionPath.slice(contract.regionPath.lastIndexOf('/') + 1);
    const paidOut = await this.ensureAccount(tx, {
      fundYear: pending.fundYear,
      kind: 'paid_out',
      ref: communityCode,
      regionPath: contract.regionPath,
    });
    const reference = input.reference ?? pending.reference;
    const posted = await this.submit(
      tx,
      pending.fundYear,
      {
        id: input.id,
        kind: 'post_pending',
        code: 'disbursement',
        pendingId: input.pendingId,
        ...(input.amount !== undefined ? { amount: input.amount } : {}),
        reference,
      },
      actor,
      [paidOut.id],
    );
    const payout = await this.submit(
      tx,
      pending.fundYear,
      {
        id: `${input.id}:payout`,
        kind: 'posted',
        code: 'payout',
        debitAccountId: contract.id,
        creditAccountId: paidOut.id,
        amount: posted.transfer.amount,
        reference,
      },
      actor,
    );
    return { ...posted, payout: payout.transfer };
  }

  /** Cancelling, or an evaluation failure: releases the rest of a commitment back to the community. */
  async voidPending(tx: Executor, input: { id: string; pendingId: string; reference?: string }, actor: AuditActor = SYSTEM_ACTOR) {
    const pending = await this.repo.transfer(tx, input.pendingId);
    if (!pending)
      throw new DomainError(
        'PENDING_NOT_FOUND',
        { zh: '待拨付的合同占用不存在', en: `Pending transfer ${input.pendingId} not found` },
        { kind: 'not_found' },
      );
    return this.submit(
      tx,
      pending.fundYear,
      { id: input.id, kind: 'void_pending', code: 'release', pendingId: input.pendingId, reference: input.reference ?? pending.reference },
      actor,
    );
  }

  /** A correction is a new transfer reversing (part of) a posted one and naming it. */
  async correct(
    tx: Executor,
    input: { id: string; correctsId: string; amount: number; reference: string },
    actor: AuditActor = SYSTEM_ACTOR,
  ) {
    const original = await this.repo.transfer(tx, input.correctsId);
    if (!original)
      throw new DomainError(
        'CORRECTED_NOT_FOUND',
        { zh: '被更正的转账不存在', en: `Corrected transfer ${input.correctsId} not found` },
        { kind: 'not_found' },
      );
    return this.submit(
      tx,
      original.fundYear,
      {
        id: input.id,
        kind: 'posted',
        code: 'correction',
        debitAccountId: original.creditAccountId,
        creditAccountId: original.debitAccountId,
        amount: input.amount,
        correctsId: input.correctsId,
        reference: input.reference,
      },
      actor,
    );
  }

  /** [N 3.12] Evaluation fees: only between the year's non-fund evaluation-fee accounts. */
  async recordEvaluationFee(
    tx: Executor,
    input: { id: string; fundYear: number; regionPath: string; amount: number; reference: string },
    actor: AuditActor = SYSTEM_ACTOR,
  ) {
    const root = rootOf(input.regionPath);
    const source = await this.ensureAccount(tx, { fundYear: input.fundYear, kind: 'evaluation_fee', ref: 'source', regionPath: root });
    const spent = await this.ensureAccount(tx, { fundYear: input.fundYear, kind: 'evaluation_fee', ref: 'spent', regionPath: root });
    return this.submit(
      tx,
      input.fundYear,
      {
        id: input.id,
        kind: 'posted',
        code: 'evaluation_fee',
        debitAccountId: source.id,
        creditAccountId: spent.id,
        amount: input.amount,
        reference: input.reference,
      },
      actor,
    );
  }

  /** For other modules: a generic transfer between named accounts (the rules still decide). */
  async createTransfer(
    tx: Executor,
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
    },
    actor: AuditActor = SYSTEM_ACTOR,
  ) {
    const debit = await this.repo.accountByKey(tx, input.debit);
    const credit = await this.repo.accountByKey(tx, input.credit);
    if (!debit || !credit) throw new DomainError('ACCOUNT_NOT_FOUND', { zh: '账户不存在', en: 'Account not found' }, { kind: 'not_found' });
    return this.submit(
      tx,
      input.fundYear,
      {
        id: input.id,
        kind: input.kind,
        code: input.code,
        debitAccountId: debit.id,
        creditAccountId: credit.id,
        amount: input.amount,
        reference: input.reference,
        correctsId: input.correctsId ?? null,
      },
      actor,
    );
  }
}
