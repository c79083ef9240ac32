import type { Db, Executor } from '../../db/client.js';
import type { DocumentRef, ProcurementCandidate } from '../../db/schema/procurement.js';
import { pathInScope, requirePermission, type Actor } from '../../common/access.js';
import { DomainError } from '../../common/errors.js';
import { refusalError } from '../../common/verdict.js';
import { heldOnce } from '../../common/at-most-one.js';
import { IdempotencyService } from '../idempotency/idempotency.service.js';
import type { AuditService } from '../audit/audit.service.js';
import type { PolicyService } from '../policy/policy.service.js';
import type { RegionsService } from '../regions/regions.service.js';
import { ProcurementRepository, type ProcurementRow } from './procurement.repository.js';
import { checkProcurementMethod, PROCUREMENT_CLAUSE, PROCUREMENT_METHOD_LABELS } from './procurement.rules.js';
import type {
  ContractableProjectsView,
  CreateProcurementBody,
  ProcurementListView,
  ProcurementsQuery,
  ProcurementView,
} from './procurement.schemas.js';
import type { ProvidersService } from './procurement.providers.service.js';
import { listScope, procurementNotFound, visibleTo } from './procurement.views.js';
import type { PlanProjectInfo, PlanProjectSource } from './procurement.ports.js';

/**
 * Procurement records [N 3.1.3]: how the provider of filed projects was chosen (method within the
 * policy's threshold, candidates, an eligible selected provider), and the filed projects a
 * purchaser may procure.
 */
export class PurchasesService {
  private readonly repo = new ProcurementRepository();
  private readonly idem = new IdempotencyService();

  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly regions: RegionsService,
    private readonly policy: PolicyService,
    private readonly plans: PlanProjectSource,
    private readonly providers: ProvidersService,
  ) {}

  async listProcurements(actor: Actor, filter: ProcurementsQuery): Promise<ProcurementListView> {
    requirePermission(actor, 'procurement:read');
    const { items, total } = await this.repo.procurements(this.db, listScope(actor), {
      fundYear: filter.fundYear,
      limit: Math.min(filter.limit ?? 50, 500),
      offset: filter.offset ?? 0,
    });
    return { total, items: await this.procurementViews(items) };
  }

  async getProcurement(actor: Actor, id: number): Promise<ProcurementView> {
    requirePermission(actor, 'procurement:read');
    const row = await this.repo.procurement(this.db, id);
    if (!row || !visibleTo(actor, { regionPath: row.regionPath, providerId: row.selectedProviderId })) throw procurementNotFound();
    return (await this.procurementViews([row]))[0]!;
  }

  async createProcurement(actor: Actor, input: CreateProcurementBody): Promise<ProcurementView> {
    requirePermission(actor, 'procurement:write');
    const { requestId, ...request } = input;
    const keyed = { scope: 'procurement.create', key: requestId, userId: actor.userId, request };
    const replayed = await this.idem.replay<ProcurementView>(this.db, keyed);
    if (replayed) return replayed;
    const purchaser = await this.regions.requireInScope(actor, input.purchaserCode);
    if (purchaser.level !== 'community' && purchaser.level !== 'street') {
      throw new DomainError(
        'INVALID_PURCHASER',
        { zh: '采购人应为社区或街道', en: 'The purchaser is a community or a street' },
        { kind: 'invalid', field: 'purchaserCode', clause: PROCUREMENT_CLAUSE },
      );
    }
    const projects = await this.filedProjects(input.projectIds, input.fundYear, purchaser);
    const budgetFen = projects.reduce((s, p) => s + p.budgetFen, 0);
    const policy = await this.policy.forYear(input.fundYear);
    const method = checkProcurementMethod(input.method, budgetFen, policy.smallPurchaseThresholdFen);
    if (!method.ok) throw refusalError(method);
    const selected = await this.repo.provider(this.db, input.selectedProviderId);
    if (!selected)
      throw new DomainError(
        'PROVIDER_NOT_FOUND',
        { zh: '选定的承接主体未登记', en: 'The selected provider is not registered' },
        { kind: 'invalid', field: 'selectedProviderId' },
      );
    if (!input.candidates.some((c) => c.providerId === input.selectedProviderId)) {
      throw new DomainError(
        'SELECTED_NOT_CANDIDATE',
        { zh: '选定的承接主体应在候选名单中', en: 'The selected provider must be one of the candidates' },
        { kind: 'invalid', field: 'candidates', clause: PROCUREMENT_CLAUSE },
      );
    }
    const candidateIds = input.candidates.map((c) => c.providerId).filter((x): x is number => x !== null);
    if ((await this.repo.providersByIds(this.db, candidateIds)).length !== new Set(candidateIds).size) {
      throw new DomainError(
        'PROVIDER_NOT_FOUND',
        { zh: '候选名单中有未登记的承接主体', en: 'A candidate provider id is not registered' },
        { kind: 'invalid', field: 'candidates' },
      );
    }
    await this.providers.requireEligible(this.db, selected.id, input.fundYear);
    return heldOnce(
      this.db.transaction(async (tx) =>
        this.idem.once(tx, keyed, 201, async () => {
          const row = await this.repo.insertProcurement(tx, {
            fundYear: input.fundYear,
            purchaserKind: purchaser.level as 'community' | 'street',
            purchaserCode: purchaser.code,
            regionPath: purchaser.path,
            method: input.method,
            projectIds: [...new Set(input.projectIds)],
            budgetFen,
            candidates: input.candidates.map((c): ProcurementCandidate => ({
              providerId: c.providerId,
              name: c.name,
              quoteFen: c.quoteFen ?? null,
              note: c.note ?? '',
            })),
            selectedProviderId: selected.id,
            selectionReason: input.selectionReason,
            documents: (input.documents ?? []).map((d): DocumentRef => ({ name: d.name, kind: d.kind, ref: d.ref ?? null })),
            decidedOn: input.decidedOn,
            createdByUserId: actor.userId,
          });
          await this.audit.record(tx, actor, {
            action: 'procurement.create',
            entityType: 'procurement',
            entityId: String(row.id),
            regionPath: row.regionPath,
            after: {
              method: row.method,
              projectIds: row.projectIds,
              budgetFen,
              selectedProviderId: selected.id,
              selectionReason: row.selectionReason,
            },
          });
          return (await this.procurementViews([row], tx))[0]!;
        }),
      ),
    );
  }

  /** Projects of filed plans in the caller's area, with the live contract covering each (for the procurement form). */
  async contractableProjects(actor: Actor, fundYear: number): Promise<ContractableProjectsView> {
    requirePermission(actor, 'procurement:read');
    if (actor.role === 'provider' || !actor.scopePath) return { items: [] };
    const projects = await this.plans.filedProjects(this.db, { regionPrefix: actor.scopePath, fundYear });
    const covered = new Map(
      (
        await this.repo.liveContractsCovering(
          this.db,
          projects.map((p) => p.projectId),
        )
      ).map((c) => [c.planProjectId, c.contractId]),
    );
    return {
      items: projects.map((p) => ({
        projectId: p.projectId,
        planId: p.planId,
        fundYear: p.fundYear,
        title: p.title,
        catalogueCode: p.catalogueCode,
        budgetFen: p.budgetFen,
        communityCodes: p.communityCodes,
        contractId: covered.get(p.projectId) ?? null,
      })),
    };
  }

  /** Each project: exists, its plan filed for the fund year, within the purchaser's area [N 3.1.3]. */
  async filedProjects(
    ids: number[],
    fundYear: number,
    purchaser: { code: string; path: string; level: string },
  ): Promise<PlanProjectInfo[]> {
    const out: PlanProjectInfo[] = [];
    for (const [i, id] of [...new Set(ids)].entries()) {
      const found = await this.plans.getProject(this.db, id);
      const inArea =
        found &&
        (pathInScope(purchaser.path, found.regionPath) ||
          found.communityCodes.includes(purchaser.code) ||
          (pathInScope(found.regionPath, purchaser.path) && purchaser.level === 'street'));
      if (!found || !inArea)
        throw new DomainError(
          'PROJECT_NOT_FOUND',
          { zh: `项目 ${id} 不存在或不属于采购人`, en: `Project ${id} not found for this purchaser` },
          { kind: 'invalid', field: `projectIds.${i}` },
        );
      if (found.status !== 'filed' || found.fundYear !== fundYear) {
        throw new DomainError(
          'PROJECT_NOT_FILED',
          {
            zh: `项目“${found.title}”所在的使用方案尚未备案（或不属于 ${fundYear} 年度），不能采购`,
            en: `Project ${id} is not in a filed plan of ${fundYear}`,
          },
          { kind: 'rule', clause: PROCUREMENT_CLAUSE, field: `projectIds.${i}` },
        );
      }
      out.push(found);
    }
    return out;
  }

  private async procurementViews(rows: ProcurementRow[], db: Executor = this.db): Promise<ProcurementView[]> {
    const providers = new Map(
      (
        await this.repo.providersByIds(
          db,
          rows.map((r) => r.selectedProviderId),
        )
      ).map((p) => [p.id, p]),
    );
    return rows.map((r) => ({
      id: r.id,
      fundYear: r.fundYear,
      purchaserKind: r.purchaserKind,
      purchaserCode: r.purchaserCode,
      regionPath: r.regionPath,
      method: r.method,
      methodLabel: PROCUREMENT_METHOD_LABELS[r.method],
      projectIds: r.projectIds,
      budgetFen: r.budgetFen,
      candidates: r.candidates,
      selectedProviderId: r.selectedProviderId,
      selectedProviderName: providers.get(r.selectedProviderId)?.name ?? '',
      selectionReason: r.selectionReason,
      documents: r.documents,
      decidedOn: r.decidedOn,
      createdAt: r.createdAt.toISOString(),
    }));
  }
}
