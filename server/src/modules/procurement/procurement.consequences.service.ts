import type { Executor } from '../../db/client.js';
import { todayInChina } from '../../common/dates.js';
import type { Now } from '../../common/clock.js';
import type { AuditActor, AuditService } from '../audit/audit.service.js';
import type { LedgerService } from '../ledger/ledger.service.js';
import { AreaContracts } from './procurement.area.service.js';
import { ProcurementRepository, type ContractRow, type IneligibilityRow } from './procurement.repository.js';
import { ELIGIBILITY_CLAUSE, remainderVoidOf } from './procurement.rules.js';
import type { RemainderVoidView } from './procurement.schemas.js';
import type { ProvidersService } from './procurement.providers.service.js';
import { contractRef } from './procurement.views.js';

/**
 * What evaluation results do to contracts and providers [N 3.2], for the evaluation module inside
 * its transaction: the providers of evaluated projects, next year's ineligibility after a 不合格
 * final evaluation, and the void of the unpaid remainder. Needs no evaluation outcomes itself, so
 * it is built before the evaluation service (which the payment conditions need afterwards).
 */
export class EvaluationConsequencesService {
  private readonly repo = new ProcurementRepository();

  constructor(
    private readonly audit: AuditService,
    private readonly ledger: LedgerService,
    private readonly providers: ProvidersService,
    private readonly clock: Now,
  ) {
    this.area = new AreaContracts(this.repo, ledger);
  }

  private readonly area: AreaContracts;

  /**
   * [N 3.2] After a 不合格 final evaluation in year Y, record the provider as ineligible for Y + 1.
   * Idempotent per provider, year and source.
   */
  recordIneligibility(
    tx: Executor,
    input: { providerId: number; year: number; reason: string; source: 'final_evaluation' | 'manual'; sourceRef: string | null },
    actor: AuditActor,
  ): Promise<IneligibilityRow | null> {
    return this.providers.recordIneligibility(tx, input, actor);
  }

  /**
   * [N 3.2] "An evaluation failure voids the rest" (spec §2, ledger): for the evaluation module,
   * inside its transaction, when a plan project's final evaluation is graded 不合格. Every contract
   * covering the project loses its unpaid instalments (void) and the pending commitment for them is
   * voided in the ledger, back to the community's available balance; paid instalments stay paid.
   * What applies to which contract (several projects, drafts) is `remainderVoidOf`. Idempotent: a
   * contract whose remainder was voided is skipped.
   */
  async voidRemainderAfterFailedEvaluation(
    tx: Executor,
    input: { planProjectId: number; reason: string; sourceRef: string; on?: string },
    actor: AuditActor,
  ): Promise<RemainderVoidView[]> {
    const out: RemainderVoidView[] = [];
    const today = input.on ?? todayInChina(this.clock());
    for (const link of await this.repo.liveContractsCovering(tx, [input.planProjectId])) {
      const c = (await this.repo.contract(tx, link.contractId, true))!;
      if (c.remainderVoidedOn) continue;
      const effect = remainderVoidOf(c, await this.repo.instalments(tx, [c.id]));
      if (!effect.applies) continue;
      const ref = contractRef(c);
      let release: string | null = null;
      if (c.status === 'signed' && (await this.area.isArea(tx, c.id))) {
        release = await this.area.release(tx, c, `合同 ${ref} 终期评估不合格，未拨付余额作废 [N 3.2]`, actor);
      } else if (c.status === 'signed' && c.commitmentTransferId) {
        release = (
          await this.ledger.voidPending(
            tx,
            { id: `${ref}:release`, pendingId: c.commitmentTransferId, reference: `合同 ${ref} 终期评估不合格，未拨付余额作废 [N 3.2]` },
            actor,
          )
        ).transfer.id;
      }
      await this.repo.rejectLiveRequests(tx, c.id, '终期评估不合格，本期已作废 [N 3.2]', today, actor.userId);
      await this.repo.voidOpenInstalments(tx, c.id);
      const { status, voidSeqs: voided, paidFen } = effect;
      await this.repo.updateContract(tx, c.id, {
        status,
        remainderVoidedOn: today,
        remainderVoidReason: input.reason,
        releaseTransferId: release,
        ...(status === 'cancelled' ? { cancelledOn: today, cancelReason: input.reason } : {}),
      });
      if (status === 'cancelled') await this.repo.endContractProjects(tx, c.id);
      const releasedFen = release ? effect.releasedFen : 0;
      await this.audit.record(tx, actor, {
        action: 'contract.void_remainder',
        entityType: 'contract',
        entityId: String(c.id),
        regionPath: c.regionPath,
        before: { status: c.status, unpaidInstalments: voided },
        after: {
          status,
          reason: input.reason,
          source: input.sourceRef,
          planProjectId: input.planProjectId,
          release,
          releasedFen,
          paidFen,
          voidedInstalments: voided,
          clause: ELIGIBILITY_CLAUSE,
        },
      });
      out.push({ contractId: c.id, ref, status, releasedFen, releaseTransferId: release, voidedInstalments: voided });
    }
    return out;
  }

  /** For the evaluation module and dashboard (issue 8): live contracts covering these plan projects, with their provider. No access check. */
  async providersOfProjects(db: Executor, projectIds: number[]) {
    const out: { contractId: number; planProjectId: number; providerId: number; status: ContractRow['status']; amountFen: number }[] = [];
    for (const link of await this.repo.liveContractsCovering(db, projectIds)) {
      const c = await this.repo.contract(db, link.contractId);
      if (c)
        out.push({
          contractId: c.id,
          planProjectId: link.planProjectId,
          providerId: c.providerId,
          status: c.status,
          amountFen: c.amountFen,
        });
    }
    return out;
  }
}
