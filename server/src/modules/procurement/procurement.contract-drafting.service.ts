import { formatYuanPlain } from '../../common/money.js';
import type { Db } from '../../db/client.js';
import { pathInScope, requirePermission, type Actor } from '../../common/access.js';
import { DomainError } from '../../common/errors.js';
import { refusalError } from '../../common/verdict.js';
import { atMostOneError, heldOnce } from '../../common/at-most-one.js';
import { IdempotencyService } from '../idempotency/idempotency.service.js';
import type { AuditService } from '../audit/audit.service.js';
import type { RegionsService } from '../regions/regions.service.js';
import { ProcurementRepository } from './procurement.repository.js';
import { checkInstalments, PROCUREMENT_CLAUSE } from './procurement.rules.js';
import type { ContractView, CreateContractBody } from './procurement.schemas.js';
import type { ContractsService } from './procurement.contracts.service.js';
import type { ProvidersService } from './procurement.providers.service.js';
import type { PurchasesService } from './procurement.purchases.service.js';
import { contractRef, procurementNotFound } from './procurement.views.js';

/**
 * Drafting a service contract [N 3.1.3]: within the projects' budget, at most one live contract per
 * project [N 4.1], instalments whose conditions the payment rules know, once per request id.
 */
export class ContractDraftingService {
  private readonly repo = new ProcurementRepository();
  private readonly idem = new IdempotencyService();

  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly regions: RegionsService,
    private readonly providers: ProvidersService,
    private readonly purchases: PurchasesService,
    private readonly contracts: ContractsService,
  ) {}

  async createContract(actor: Actor, input: CreateContractBody): Promise<ContractView> {
    requirePermission(actor, 'procurement:write');
    const { requestId, ...request } = input;
    const keyed = { scope: 'contract.create', key: requestId, userId: actor.userId, request };
    const replayed = await this.idem.replay<ContractView>(this.db, keyed);
    if (replayed) return replayed;
    const proc = await this.repo.procurement(this.db, input.procurementId);
    if (!proc || !pathInScope(actor.scopePath, proc.regionPath)) throw procurementNotFound();
    const community = await this.regions.requireInScope(actor, input.communityCode);
    if (community.level !== 'community')
      throw new DomainError(
        'INVALID_COMMUNITY',
        { zh: '资金来源应为社区', en: 'The funding region must be a community' },
        { kind: 'invalid', field: 'communityCode' },
      );
    const projectIds = [...new Set(input.projectIds ?? proc.projectIds)];
    if (projectIds.length === 0 || projectIds.some((p) => !proc.projectIds.includes(p))) {
      throw new DomainError(
        'PROJECT_NOT_PROCURED',
        { zh: '合同项目应来自本次采购', en: 'The contract covers projects of its procurement' },
        { kind: 'invalid', field: 'projectIds', clause: PROCUREMENT_CLAUSE },
      );
    }
    const projects = await this.purchases.filedProjects(projectIds, proc.fundYear, {
      code: proc.purchaserCode,
      path: proc.regionPath,
      level: proc.purchaserKind,
    });
    // [N 2.3] Projects whose shares name several members make an area contract: the amount is split in those shares.
    const parts = this.contracts.area.partsOf(input.amountFen, projects);
    const notServed = parts.length
      ? parts.some((x) => x.communityCode === community.code)
        ? undefined
        : projects[0]
      : projects.find((p) => !p.communityCodes.includes(community.code));
    if (notServed) {
      throw new DomainError(
        'COMMUNITY_NOT_SERVED',
        {
          zh: `项目“${notServed.title}”不服务社区 ${community.name}`,
          en: `Project ${notServed.projectId} does not serve ${community.code}`,
        },
        { kind: 'rule', clause: '[N 2.3]', field: 'communityCode' },
      );
    }
    if (input.startsOn > input.endsOn)
      throw new DomainError(
        'INVALID_PERIOD',
        { zh: '合同开始日期不能晚于结束日期', en: 'The contract starts after it ends' },
        { kind: 'invalid', field: 'endsOn' },
      );
    const budget = projects.reduce((s, p) => s + p.budgetFen, 0);
    if (input.amountFen > budget) {
      throw new DomainError(
        'CONTRACT_OVER_BUDGET',
        {
          zh: `合同金额超过所含项目的预算合计（${formatYuanPlain(budget)} 元）`,
          en: `The amount exceeds the projects' budget of ${budget} fen`,
        },
        { kind: 'rule', clause: '[N 4.1]', field: 'amountFen', details: { budgetFen: budget } },
      );
    }
    const inst = checkInstalments(input.amountFen, input.instalments, input);
    if (!inst.ok) throw refusalError({ ...inst, kind: inst.code === 'INSTALMENTS_SUM' ? 'rule' : 'invalid' });
    await this.providers.requireEligible(this.db, proc.selectedProviderId, proc.fundYear);
    const paths = await this.regions.byCodes(parts.map((x) => x.communityCode));
    // At most one live contract per plan project [N 4.1]: the check answers precisely; a twin
    // passing it at the same moment meets contract_project_live_idx (23505 → the same 409).
    return heldOnce(
      this.db.transaction(async (tx) =>
        this.idem.once(tx, keyed, 201, async () => {
          const taken = await this.repo.liveContractsCovering(tx, projectIds);
          if (taken.length) {
            throw atMostOneError('contract_project_live_idx', {
              message: {
                zh: `项目 ${taken.map((t) => t.planProjectId).join('、')} 已有合同（未终止），不能重复签订`,
                en: 'A project already has a contract',
              },
              details: taken,
            });
          }
          const row = await this.repo.insertContract(tx, {
            fundYear: proc.fundYear,
            procurementId: proc.id,
            purchaserKind: proc.purchaserKind,
            purchaserCode: proc.purchaserCode,
            communityCode: community.code,
            regionPath: community.path,
            providerId: proc.selectedProviderId,
            title: input.title,
            amountFen: input.amountFen,
            startsOn: input.startsOn,
            endsOn: input.endsOn,
            deliverables: input.deliverables,
            createdByUserId: actor.userId,
          });
          await this.repo.insertContractProjects(tx, row.id, projectIds);
          await this.repo.insertContractShares(
            tx,
            parts.map((x) => ({
              contractId: row.id,
              communityCode: x.communityCode,
              regionPath: paths.find((r) => r.code === x.communityCode)!.path,
              amountFen: x.amountFen,
            })),
          );
          await this.repo.insertInstalments(
            tx,
            input.instalments.map((p, i) => ({
              contractId: row.id,
              seq: i + 1,
              condition: p.condition,
              dueOn: p.dueOn ?? null,
              amountFen: p.amountFen,
            })),
          );
          await this.audit.record(tx, actor, {
            action: 'contract.create',
            entityType: 'contract',
            entityId: String(row.id),
            regionPath: row.regionPath,
            after: {
              ref: contractRef(row),
              providerId: row.providerId,
              amountFen: row.amountFen,
              projectIds,
              shares: parts,
              instalments: input.instalments,
            },
          });
          return this.contracts.contractView(tx, row);
        }),
      ),
    );
  }
}
