import type { Executor } from '../../db/client.js';
import type { AuditActor } from '../audit/audit.service.js';
import type { LedgerService } from '../ledger/ledger.service.js';
import type { ContractRow, InstalmentRow, ProcurementRepository } from './procurement.repository.js';
import { contractWeights, instalmentParts, splitByWeights, type MemberPart } from './procurement.shares.rules.js';
import { contractRef } from './procurement.views.js';
import type { PlanProjectInfo } from './procurement.ports.js';

/** A member's part of an area contract as the views show it. */
export interface MemberShareView {
  communityCode: string;
  communityName: string;
  amountFen: number;
  paidFen: number;
  outstandingFen: number;
  commitmentTransferId: string | null;
}

/**
 * Area contracts [N 2.3] (ADR 0014): a contract whose projects declare shares for more than one
 * member community is funded by each member in those shares. Each member's part is committed from
 * its own allocation into its own ledger contract account (`<ref>/<community>`), each instalment is
 * paid from the members in proportion to what they still have committed
 * (`<ref>:instalment-<seq>:<community>`), and cancelling releases each member's rest. The ledger's
 * own rules (no overdraft, no overpayment) hold per member. Used inside the callers' transactions.
 */
export class AreaContracts {
  constructor(
    private readonly repo: ProcurementRepository,
    private readonly ledger: LedgerService,
  ) {}

  /** [N 2.3] The members' parts of a new contract: its amount split in the projects' shares; none when one community funds it. */
  partsOf(amountFen: number, projects: Pick<PlanProjectInfo, 'shares'>[]): MemberPart[] {
    const weights = contractWeights(projects);
    return weights.length > 1 ? splitByWeights(amountFen, weights) : [];
  }

  async isArea(db: Executor, contractId: number): Promise<boolean> {
    return (await this.repo.contractShares(db, [contractId])).length > 0;
  }

  /** [N 2.3] Signing: each member's part is committed from its allocation (the ledger refuses an overdraft, naming the community). */
  async commit(tx: Executor, c: ContractRow, actor: AuditActor): Promise<void> {
    const ref = contractRef(c);
    for (const s of await this.repo.contractShares(tx, [c.id])) {
      if (s.amountFen === 0) continue;
      const committed = await this.ledger.commit(
        tx,
        {
          id: `${ref}:commitment:${s.communityCode}`,
          fundYear: c.fundYear,
          communityCode: s.communityCode,
          contractRef: `${ref}/${s.communityCode}`,
          amount: s.amountFen,
          reference: `合同 ${ref} ${c.title}（片区份额）`,
        },
        actor,
      );
      await this.repo.updateContractShare(tx, c.id, s.communityCode, { commitmentTransferId: committed.transfer.id });
    }
  }

  /** [N 2.3], [N 3.3] One instalment paid from the members in proportion to their outstanding parts; returns the instalment's key. */
  async pay(tx: Executor, c: ContractRow, i: InstalmentRow, reference: string, actor: AuditActor): Promise<string> {
    const key = `${contractRef(c)}:instalment-${i.seq}`;
    const shares = await this.shareViews(tx, c);
    const parts = instalmentParts(
      i.amountFen,
      shares.map((s) => ({ communityCode: s.communityCode, amountFen: s.outstandingFen })),
    );
    for (const part of parts) {
      const share = shares.find((s) => s.communityCode === part.communityCode)!;
      await this.ledger.postPending(
        tx,
        { id: `${key}:${part.communityCode}`, pendingId: share.commitmentTransferId!, amount: part.amountFen, reference },
        actor,
      );
    }
    return key;
  }

  /** Cancelling or a failed final evaluation: each member's unpaid rest goes back to it; returns the release key, or null when nothing was left. */
  async release(tx: Executor, c: ContractRow, reference: string, actor: AuditActor): Promise<string | null> {
    const key = `${contractRef(c)}:release`;
    let released = false;
    for (const s of await this.shareViews(tx, c)) {
      if (!s.commitmentTransferId || s.outstandingFen === 0) continue;
      const t = await this.ledger.voidPending(tx, { id: `${key}:${s.communityCode}`, pendingId: s.commitmentTransferId, reference }, actor);
      await this.repo.updateContractShare(tx, c.id, s.communityCode, { releaseTransferId: t.transfer.id });
      released = true;
    }
    return released ? key : null;
  }

  /** Each member's part with what the ledger paid of it and what is still committed. */
  async shareViews(db: Executor, c: ContractRow, instalments?: InstalmentRow[]): Promise<MemberShareView[]> {
    const shares = await this.repo.contractShares(db, [c.id]);
    if (!shares.length) return [];
    const paid = (instalments ?? (await this.repo.instalments(db, [c.id]))).filter((i) => i.status === 'paid' && i.transferId);
    const ids = paid.flatMap((i) => shares.map((s) => `${i.transferId}:${s.communityCode}`));
    const posts = ids.length ? await this.ledger.existingTransfers(db, ids) : [];
    const names = await this.repo.regionNames(
      db,
      shares.map((s) => s.communityCode),
    );
    return shares.map((s) => {
      const paidFen = posts.filter((t) => t.pendingId === s.commitmentTransferId).reduce((sum, t) => sum + t.amount, 0);
      const live = !!s.commitmentTransferId && !s.releaseTransferId;
      return {
        communityCode: s.communityCode,
        communityName: names.get(s.communityCode) ?? s.communityCode,
        amountFen: s.amountFen,
        paidFen,
        outstandingFen: live ? s.amountFen - paidFen : 0,
        commitmentTransferId: s.commitmentTransferId,
      };
    });
  }
}
