import type { SQL } from 'drizzle-orm';
import type { Db, Executor } from '../../db/client.js';
import { requirePermission, type Actor, type Permission } from '../../common/access.js';
import { todayInChina } from '../../common/dates.js';
import type { Now } from '../../common/clock.js';
import { DomainError } from '../../common/errors.js';
import type { AuditService } from '../audit/audit.service.js';
import type { LedgerService } from '../ledger/ledger.service.js';
import { ProcurementRepository, type ContractRow } from './procurement.repository.js';
import { INSTALMENT_CONDITION_LABELS, PROCUREMENT_CLAUSE } from './procurement.rules.js';
import { AreaContracts } from './procurement.area.service.js';
import type { ContractListView, ContractsQuery, ContractView, PublicContractView } from './procurement.schemas.js';
import type { ProvidersService } from './procurement.providers.service.js';
import {
  conditionFactsOf,
  contractNotFound,
  contractRef,
  contractSummary,
  instalmentView,
  listScope,
  requestView,
  visibleTo,
} from './procurement.views.js';
import type { EvaluationOutcomes, PlanProjectSource } from './procurement.ports.js';

/**
 * Service contracts [N 3.1.3] with instalments, once drafted (`ContractDraftingService`): signing
 * (commits the amount in the ledger [N 3.3]) and cancelling (releases what is not paid); the
 * contract views with their payment conditions.
 */
export class ContractsService {
  private readonly repo = new ProcurementRepository();

  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly ledger: LedgerService,
    private readonly plans: PlanProjectSource,
    private readonly providers: ProvidersService,
    private readonly evaluations: EvaluationOutcomes,
    private readonly clock: Now,
  ) {
    this.area = new AreaContracts(this.repo, ledger);
  }

  /** [N 2.3] Area contracts: the members' parts, committed and paid from each member's allocation. */
  readonly area: AreaContracts;

  private today(): string {
    return todayInChina(this.clock());
  }

  async listContracts(actor: Actor, filter: ContractsQuery): Promise<ContractListView> {
    requirePermission(actor, 'procurement:read');
    const { items, total } = await this.repo.contracts(this.db, listScope(actor), {
      ...filter,
      limit: Math.min(filter.limit ?? 50, 500),
      offset: filter.offset ?? 0,
    });
    const providers = new Map(
      (
        await this.repo.providersByIds(
          this.db,
          items.map((c) => c.providerId),
        )
      ).map((p) => [p.id, p]),
    );
    const instalments = await this.repo.instalments(
      this.db,
      items.map((c) => c.id),
    );
    const communityNames = await this.repo.regionNames(
      this.db,
      items.map((c) => c.communityCode),
    );
    return {
      total,
      items: items.map((c) => {
        const own = instalments.filter((i) => i.contractId === c.id);
        return {
          ...contractSummary(c),
          communityName: communityNames.get(c.communityCode) ?? c.communityCode,
          providerName: providers.get(c.providerId)?.name ?? '',
          paidFen: own.filter((i) => i.status === 'paid').reduce((s, i) => s + i.amountFen, 0),
        };
      }),
    };
  }

  /** A contract the caller may see (provider: its own; region roles: in scope), or 404. */
  async contractFor(actor: Actor, id: number, permission: Permission = 'procurement:read', db: Executor = this.db): Promise<ContractRow> {
    requirePermission(actor, permission);
    const row = await this.repo.contract(db, id);
    if (!row || !visibleTo(actor, row)) throw contractNotFound();
    return row;
  }

  /** The plan projects a contract covers (for delivery records). */
  async contractProjectIds(contractId: number, db: Executor = this.db): Promise<number[]> {
    return this.repo.contractProjectIds(db, contractId);
  }

  async getContract(actor: Actor, id: number): Promise<ContractView> {
    const row = await this.contractFor(actor, id);
    return this.contractView(this.db, row);
  }

  async signContract(actor: Actor, id: number, input: { signedOn?: string }): Promise<ContractView> {
    const found = await this.contractFor(actor, id, 'procurement:write');
    const signedOn = input.signedOn ?? this.today();
    if (signedOn > this.today())
      throw new DomainError(
        'DATE_IN_FUTURE',
        { zh: '签订日期不能晚于今天', en: 'The signing date is in the future' },
        { kind: 'invalid', field: 'signedOn' },
      );
    for (const pid of await this.repo.contractProjectIds(this.db, id)) {
      const p = await this.plans.getProject(this.db, pid);
      if (!p || p.status !== 'filed') {
        throw new DomainError(
          'PROJECT_NOT_FILED',
          { zh: `项目 ${pid} 所在的使用方案不在备案状态，不能签订合同`, en: `Project ${pid} is not in a filed plan` },
          { kind: 'rule', clause: PROCUREMENT_CLAUSE },
        );
      }
    }
    void found;
    return this.db.transaction(async (tx) => {
      const c = (await this.repo.contract(tx, id, true))!;
      if (c.status !== 'draft')
        throw new DomainError(
          'CONTRACT_NOT_DRAFT',
          { zh: '只有草拟中的合同可以签订', en: `The contract is ${c.status}` },
          { kind: 'conflict', details: { status: c.status } },
        );
      await this.providers.requireEligible(tx, c.providerId, c.fundYear);
      const ref = contractRef(c);
      let commitment: string | null = null;
      // [N 2.3] An area contract commits each member's part from its own allocation.
      if (await this.area.isArea(tx, c.id)) await this.area.commit(tx, c, actor);
      else {
        const committed = await this.ledger.commit(
          tx,
          {
            id: `${ref}:commitment`,
            fundYear: c.fundYear,
            communityCode: c.communityCode,
            contractRef: ref,
            amount: c.amountFen,
            reference: `合同 ${ref} ${c.title}`,
          },
          actor,
        );
        commitment = committed.transfer.id;
      }
      await this.repo.updateContract(tx, id, { status: 'signed', signedOn, commitmentTransferId: commitment });
      await this.audit.record(tx, actor, {
        action: 'contract.sign',
        entityType: 'contract',
        entityId: String(id),
        regionPath: c.regionPath,
        before: { status: 'draft' },
        after: { status: 'signed', signedOn, commitment, amountFen: c.amountFen },
      });
      return this.contractView(tx, (await this.repo.contract(tx, id))!);
    });
  }

  /** Cancelling releases what is not paid (void of the pending commitment); open instalments lapse. */
  async cancelContract(actor: Actor, id: number, input: { reason: string }): Promise<ContractView> {
    await this.contractFor(actor, id, 'procurement:write');
    return this.db.transaction(async (tx) => {
      const c = (await this.repo.contract(tx, id, true))!;
      if (c.status !== 'draft' && c.status !== 'signed')
        throw new DomainError(
          'CONTRACT_NOT_CANCELLABLE',
          { zh: '该合同已结束，不能终止', en: `The contract is ${c.status}` },
          { kind: 'conflict' },
        );
      const today = this.today();
      let release: string | null = null;
      if (c.status === 'signed' && (await this.area.isArea(tx, c.id))) {
        release = await this.area.release(tx, c, `合同 ${contractRef(c)} 终止：${input.reason}`, actor);
      } else if (c.status === 'signed' && c.commitmentTransferId) {
        const ref = contractRef(c);
        release = (
          await this.ledger.voidPending(
            tx,
            { id: `${ref}:release`, pendingId: c.commitmentTransferId, reference: `合同 ${ref} 终止：${input.reason}` },
            actor,
          )
        ).transfer.id;
      }
      await this.repo.rejectLiveRequests(tx, id, '合同已终止', today, actor.userId);
      await this.repo.voidOpenInstalments(tx, id);
      await this.repo.endContractProjects(tx, id);
      await this.repo.updateContract(tx, id, {
        status: 'cancelled',
        cancelledOn: today,
        cancelReason: input.reason,
        releaseTransferId: release,
      });
      await this.audit.record(tx, actor, {
        action: 'contract.cancel',
        entityType: 'contract',
        entityId: String(id),
        regionPath: c.regionPath,
        before: { status: c.status },
        after: { status: 'cancelled', reason: input.reason, release },
      });
      return this.contractView(tx, (await this.repo.contract(tx, id))!);
    });
  }

  /** What the payment conditions of a contract depend on (for its instalments and the payment requests). */
  async conditionFacts(db: Executor, c: ContractRow) {
    return conditionFactsOf(db, c, await this.repo.contractProjectIds(db, c.id), this.evaluations, this.today());
  }

  async contractView(db: Executor, c: ContractRow): Promise<ContractView> {
    // One after another: `db` may be a transaction (one connection).
    const provider = await this.repo.provider(db, c.providerId);
    const projectIds = await this.repo.contractProjectIds(db, c.id);
    const instalments = await this.repo.instalments(db, [c.id]);
    const requests = await this.repo.paymentRequestsOfContract(db, c.id);
    const account = await this.ledger.communityAccount(db, c.fundYear, c.communityCode);
    const projects = [];
    for (const pid of projectIds) {
      const p = await this.plans.getProject(db, pid);
      projects.push({
        id: pid,
        title: p?.title ?? '',
        budgetFen: p?.budgetFen ?? 0,
        catalogueCode: p?.catalogueCode ?? '',
        planId: p?.planId ?? null,
      });
    }
    const facts = await this.conditionFacts(db, c);
    const shares = await this.area.shareViews(db, c, instalments);
    const paidFen = instalments.filter((i) => i.status === 'paid').reduce((s, i) => s + i.amountFen, 0);
    const committedFen = (c.status === 'signed' || c.status === 'completed') && !c.releaseTransferId ? c.amountFen - paidFen : 0;
    return {
      ...contractSummary(c),
      provider: provider ? { id: provider.id, name: provider.name, kind: provider.kind, creditCode: provider.creditCode } : null,
      projects,
      instalments: instalments.map((i) => instalmentView(i, facts)),
      paymentRequests: requests.map(requestView),
      ledger: {
        commitmentTransferId: c.commitmentTransferId,
        releaseTransferId: c.releaseTransferId,
        paidFen,
        /** Still committed to the contract (pending in the ledger). */
        outstandingFen: committedFen,
        releasedFen: c.releaseTransferId ? c.amountFen - paidFen : 0,
        shares,
        community: account
          ? {
              code: c.communityCode,
              allocatedFen: account.creditsPosted,
              committedFen: account.debitsPending,
              paidFen: account.debitsPosted,
              availableFen: account.creditsPosted - account.debitsPosted - account.debitsPending,
            }
          : null,
      },
    };
  }

  /** For the public portal and open data (disclosure module): signed, completed or cancelled contracts under a region path, with provider, projects and instalments. No access check. */
  async publicContracts(
    filter: { pathPrefix: string; fundYear?: number; communityCode?: string },
    db: Executor = this.db,
  ): Promise<PublicContractView[]> {
    const { items } = await this.repo.contracts(
      db,
      { pathPrefix: filter.pathPrefix },
      { fundYear: filter.fundYear, communityCode: filter.communityCode, limit: 100_000, offset: 0 },
    );
    const shown = items.filter((c) => c.status !== 'draft');
    const providers = new Map(
      (
        await this.repo.providersByIds(
          db,
          shown.map((c) => c.providerId),
        )
      ).map((p) => [p.id, p]),
    );
    const instalments = await this.repo.instalments(
      db,
      shown.map((c) => c.id),
    );
    const out = [];
    for (const c of shown) {
      const p = providers.get(c.providerId);
      const shares = await this.area.shareViews(
        db,
        c,
        instalments.filter((i) => i.contractId === c.id),
      );
      out.push({
        ...contractSummary(c),
        shares: shares.map((s) => ({
          communityCode: s.communityCode,
          communityName: s.communityName,
          amountFen: s.amountFen,
          paidFen: s.paidFen,
        })),
        provider: p ? { id: p.id, name: p.name, kind: p.kind, creditCode: p.creditCode } : null,
        projectIds: await this.repo.contractProjectIds(db, c.id),
        procurementMethod: (await this.repo.procurement(db, c.procurementId))?.method ?? null,
        instalments: instalments
          .filter((i) => i.contractId === c.id)
          .map((i) => ({
            seq: i.seq,
            condition: i.condition,
            conditionLabel: INSTALMENT_CONDITION_LABELS[i.condition],
            amountFen: i.amountFen,
            status: i.status,
            paidOn: i.paidOn,
            transferId: i.transferId,
          })),
      });
    }
    return out;
  }

  /** For the dashboard: projects under a signed (or completed) contract, as a SQL relation (plan_project_id). No access check. */
  signedProjects(): SQL {
    return this.repo.coveredProjectsRelation(['signed', 'completed']);
  }

  /** For the dashboard: live contracts and the projects they cover, as a SQL relation (contract_id, plan_project_id, amount_fen). No access check. */
  liveContractLinks(): SQL {
    return this.repo.liveContractLinksRelation();
  }
}
