import type { Executor } from '../../db/client.js';
import { DomainError } from '../../common/errors.js';
import { SYSTEM_ACTOR, type AuditActor } from '../audit/audit.service.js';
import { insertTransfers, setManyBalances, toAccountState, type LedgerRepository } from './ledger.repository.js';
import { decideTransfer, type AccountState, type TransferRequest } from './ledger.rules.js';
import { replay, rootOf, violationError } from './ledger.context.js';
import type { LedgerTransfersService } from './ledger.transfers.service.js';

/** [N 1] Allocations posted to the ledger: one pool → community transfer, or an appropriation's batch under the pool's lock. */
export class LedgerAppropriationService {
  constructor(
    private readonly repo: LedgerRepository,
    private readonly transfers: LedgerTransfersService,
  ) {}

  /** [N 1] Allocation: a posted transfer pool → community. */
  async allocate(
    tx: Executor,
    input: { id: string; fundYear: number; communityCode: string; communityPath: string; amount: number; reference: string },
    actor: AuditActor = SYSTEM_ACTOR,
  ) {
    const pool = await this.transfers.ensureAccount(tx, {
      fundYear: input.fundYear,
      kind: 'fund_pool',
      ref: '',
      regionPath: rootOf(input.communityPath),
    });
    const community = await this.transfers.ensureAccount(tx, {
      fundYear: input.fundYear,
      kind: 'community_available',
      ref: input.communityCode,
      regionPath: input.communityPath,
    });
    return this.transfers.submit(
      tx,
      input.fundYear,
      {
        id: input.id,
        kind: 'posted',
        code: 'allocation',
        debitAccountId: pool.id,
        creditAccountId: community.id,
        amount: input.amount,
        reference: input.reference,
      },
      actor,
    );
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
    const pool = await this.transfers.ensureAccount(tx, { fundYear, kind: 'fund_pool', ref: '', regionPath: root });
    await this.repo.lockAccounts(tx, [pool.id]);
    await this.repo.ensureAccounts(
      tx,
      items.map((i) => ({ fundYear, kind: 'community_available' as const, ref: i.communityCode, regionPath: i.communityPath })),
    );
    const communities = await this.repo.accountsByKind(
      tx,
      fundYear,
      'community_available',
      items.map((i) => i.communityCode),
    );
    const accountOf = new Map(communities.map((c) => [c.ref, c.id]));
    const locked = await this.repo.lockAccounts(tx, [pool.id, ...communities.map((c) => c.id)]);
    const state = new Map<number, AccountState>(locked.map((a) => [a.id, toAccountState(a)]));
    const existing = new Map(
      (
        await this.repo.transfersByIds(
          tx,
          items.map((i) => i.id),
        )
      ).map((t) => [t.id, t]),
    );
    const rows: Parameters<typeof insertTransfers>[1] = [];
    const touched = new Set<number>();
    let createdFen = 0;
    for (const item of items) {
      const request: TransferRequest = {
        id: item.id,
        kind: 'posted',
        code: 'allocation',
        debitAccountId: pool.id,
        creditAccountId: accountOf.get(item.communityCode)!,
        amount: item.amount,
        reference: item.reference,
      };
      const stored = existing.get(item.id);
      if (stored) {
        replay(stored, fundYear, request);
        continue;
      }
      const decision = decideTransfer(request, { accounts: state });
      if (!decision.ok) throw violationError(decision.violation);
      state.set(decision.debit.id, decision.debit);
      state.set(decision.credit.id, decision.credit);
      touched.add(decision.debit.id).add(decision.credit.id);
      createdFen += item.amount;
      const t = decision.transfer;
      rows.push({
        id: t.id,
        fundYear,
        kind: t.kind,
        code: t.code,
        debitAccountId: t.debitAccountId,
        creditAccountId: t.creditAccountId,
        amount: t.amount,
        pendingId: null,
        correctsId: null,
        reference: t.reference,
        actorName: actor.username,
      });
    }
    if ((await insertTransfers(tx, rows)) !== rows.length) {
      // Only possible if an allocation id was taken outside the pool's lock: refuse rather than guess.
      throw new DomainError(
        'IDEMPOTENCY_CONFLICT',
        { zh: '资金下达编号冲突，请重试', en: 'An allocation id was taken concurrently; retry' },
        { kind: 'conflict' },
      );
    }
    await setManyBalances(
      tx,
      [...touched].map((id) => state.get(id)!),
    );
    return { created: rows.length, existing: items.length - rows.length, createdFen };
  }
}
