import type { Db } from '../../db/client.js';
import type { Now } from '../../common/clock.js';
import { VersionedCache } from '../../common/versioned-cache.js';
import type { AuditService } from '../audit/audit.service.js';
import type { DecisionsService } from '../decisions/decisions.service.js';
import type { FundsService } from '../ledger/funds.service.js';
import type { NeedsService } from '../needs/needs.service.js';
import type { PlansService } from '../plans/plans.service.js';
import type { PolicyService } from '../policy/policy.service.js';
import type { ProcurementService } from '../procurement/procurement.service.js';
import type { RatingsService } from '../ratings/ratings.service.js';
import type { RegionsService, RegionSummary } from '../regions/regions.service.js';
import { notFound, PortalContext } from './disclosure.context.js';
import { CommunityFactsService, type PublicGradeSource, type PublishedModelCases } from './disclosure.facts.service.js';
import { RegionPagesService } from './disclosure.region-pages.service.js';
import { contractPublicView, regionView } from './disclosure.views.js';
import { currentStep, PORTAL_STEPS, STAGE_LABELS } from './disclosure.rules.js';
import type { AuditDaysView, CommunityPageView, ProjectPageView } from './disclosure.schemas.js';

export { notFound } from './disclosure.context.js';
export type { PublicGradeSource, PublishedModelCases } from './disclosure.facts.service.js';
export { contractPublicView, PUBLIC_GRADE_LABELS, regionView, type PublicContract } from './disclosure.views.js';

/** Community pages kept (a few kB each): the communities being looked at, not every one. */
const COMMUNITY_PAGES_KEPT = 2_000;

/**
 * [N 4.2] The public portal (no login, no personal data): the city, district and street pages
 * (`RegionPagesService`), community and project pages built from the community's facts
 * (`CommunityFactsService`), the published audit heads. The open data and the monitoring read
 * fund years, regions and community facts through it.
 */
export class PortalService {
  private readonly ctx: PortalContext;
  private readonly facts: CommunityFactsService;
  private readonly regionPages: RegionPagesService;

  constructor(
    db: Db,
    audit: AuditService,
    private readonly regions: RegionsService,
    private readonly policy: PolicyService,
    private readonly ratings: RatingsService,
    funds: FundsService,
    needs: NeedsService,
    private readonly decisions: DecisionsService,
    private readonly plans: PlansService,
    procurement: ProcurementService | null,
    evaluations: PublicGradeSource,
    modelCases: PublishedModelCases,
    clock: Now,
  ) {
    this.ctx = new PortalContext(db, audit, regions, policy, funds, clock);
    this.facts = new CommunityFactsService(this.ctx, policy, needs, decisions, plans, procurement, evaluations, modelCases);
    this.regionPages = new RegionPagesService(this.ctx, regions);
  }

  today(): string {
    return this.ctx.today();
  }

  // ---------------------------------------------------------------- years, regions and facts (also for open data and monitoring)

  /** Fund years with a policy, newest first, and the default: the latest not after this year. */
  years(requested?: number) {
    return this.ctx.years(requested);
  }

  /** A region by code, or 404. */
  region(code: string): Promise<RegionSummary> {
    return this.ctx.region(code);
  }

  /** Money figures of the funded communities under a path in a fund year. */
  moneyUnder(fundYear: number, path: string) {
    return this.ctx.moneyUnder(fundYear, path);
  }

  /** Everything the pages and the monitoring judge about one community in one fund year. */
  communityFacts(r: RegionSummary, fundYear: number) {
    return this.facts.communityFacts(r, fundYear);
  }

  // ---------------------------------------------------------------- city, district and street pages

  city(year?: number) {
    return this.regionPages.city(year);
  }

  regionOverview(code: string, year?: number) {
    return this.regionPages.regionOverview(code, year);
  }

  search(q: string) {
    return this.regionPages.search(q);
  }

  // ---------------------------------------------------------------- community and project pages

  /**
   * Community pages served again while the audit version stands (exact: see VersionedCache), keyed by
   * every date the page reads: the portal's, the decisions' (notice countdowns) and the real
   * date (a campaign's online window).
   */
  readonly communityPageCache = new VersionedCache<CommunityPageView>(() => this.ctx.pageVersion(), COMMUNITY_PAGES_KEPT);

  /**
   * The version every public page is computed from (the audit version on the pages' database
   * handle, and the portal's date): one small read, made before a page is built (its ETag).
   */
  pageVersion(): Promise<string> {
    return this.ctx.pageVersion();
  }

  /**
   * Everything public about one community in one fund year. `version`: the `pageVersion()` the
   * caller has just read (the request's ETag), so a kept page costs no second read.
   */
  async community(code: string, year?: number, version?: string): Promise<CommunityPageView> {
    const key = JSON.stringify([code, year ?? null, this.ctx.today(), this.decisions.today()]);
    return this.communityPageCache.get(key, () => this.communityPage(code, year, version), version);
  }

  private async communityPage(code: string, year?: number, version?: string): Promise<CommunityPageView> {
    const { years, fundYear } = await this.ctx.years(year);
    const r = await this.ctx.region(code);
    if (r.level !== 'community') throw notFound('社区', 'Community');
    const facts = await this.facts.communityFacts(r, fundYear);
    const ratingYear = (await this.policy.forYear(fundYear)).ratingYear;
    const stars = (await this.ratings.ratingsUnder(this.ctx.db, ratingYear, r.path)).find((x) => x.communityCode === code)?.stars ?? null;
    const step = currentStep({
      campaign: facts.campaign !== null,
      decisionStatus: facts.decision?.status ?? null,
      planStatus: facts.plan?.status ?? null,
      signedContracts: facts.contracts.filter((c) => c.status === 'signed' || c.status === 'completed').length,
      paidInstalments: facts.payments.length,
      projects: facts.evaluationProgress.projects,
      finalEvaluatedProjects: facts.evaluationProgress.finalEvaluated,
    });
    return {
      community: { ...regionView(r), stars, ratingYear },
      ancestors: await this.ctx.ancestorsOf(r, version),
      years,
      fundYear,
      step: { code: step, label: PORTAL_STEPS.find((s) => s.code === step)!.label },
      steps: PORTAL_STEPS.map((s) => ({ code: s.code, label: s.label })),
      allocation: facts.allocation,
      needs: facts.campaign,
      decision: facts.decision,
      notices: facts.notices,
      plan: facts.plan,
      contracts: facts.contracts.map(contractPublicView),
      payments: facts.payments,
      evaluations: facts.evaluations,
      evaluationProgress: facts.evaluationProgress,
      modelCases: facts.modelCases,
      disclosures: facts.checklist.map((i) => ({ ...i, stageLabel: STAGE_LABELS[i.stage] })),
    };
  }
  /** A filed plan's project: its trail from residents' opinions (counts only) to the plan, contracts and payments. */
  async project(projectId: number): Promise<ProjectPageView> {
    const p = await this.plans.getProject(this.ctx.db, projectId);
    if (!p || p.status !== 'filed') throw notFound('项目', 'Project');
    const communities = await this.regions.byCodes(p.communityCodes);
    const first = communities[0];
    if (!first) throw notFound('项目', 'Project');
    const facts = await this.facts.communityFacts(first, p.fundYear);
    const planProject = facts.planRow?.projects.find((x) => x.id === projectId);
    const decided = facts.decision?.projects.find((d) => d.decisionProjectId === planProject?.decisionProjectId) ?? null;
    // Opinions behind the decided project: the needs proposal the decision list was drawn from (counts only).
    const proposal = decided && facts.draft ? facts.draft.items.find((i) => i.title === decided.title) : undefined;
    const contracts = facts.contracts.filter((c) => c.projectIds.includes(projectId));
    return {
      project: {
        id: p.projectId,
        title: p.title,
        content: planProject?.content ?? '',
        catalogueCode: p.catalogueCode,
        category: p.category,
        budgetFen: p.budgetFen,
        fundYear: p.fundYear,
        providerKind: p.providerKind,
      },
      community: regionView(first),
      ancestors: await this.ctx.ancestorsOf(first),
      communities: communities.map(regionView),
      trail: {
        needs: facts.campaign
          ? {
              campaignId: facts.campaign.id,
              title: facts.campaign.title,
              opensOn: facts.campaign.opensOn,
              closesOn: facts.campaign.closesOn,
              coverage: facts.campaign.coverage,
              households: proposal?.householdCount ?? null,
              opinions: proposal?.opinionIds.length ?? null,
            }
          : null,
        decision:
          decided && facts.decision
            ? {
                decidedOn: facts.decision.decidedOn,
                votesFor: decided.votesFor,
                votesAgainst: decided.votesAgainst,
                votesAbstain: decided.votesAbstain,
                estimatedBudgetFen: decided.estimatedBudgetFen,
              }
            : null,
        notices: facts.notices,
        plan: facts.plan
          ? { id: facts.plan.id, title: facts.plan.title, filedOn: facts.plan.filedOn, filingLevel: facts.plan.filingLevel }
          : null,
        contracts: contracts.map(contractPublicView),
        payments: facts.payments.filter((x) => contracts.some((c) => c.id === x.contractId)),
        evaluations: facts.evaluations.filter((e) => e.projectId === projectId || contracts.some((c) => c.id === e.contractId)),
        modelCases: facts.modelCases.filter((mc) => mc.projectId === projectId),
      },
    };
  }
  // ---------------------------------------------------------------- verifiable record

  async auditDays(): Promise<AuditDaysView> {
    const today = this.ctx.today();
    const days = await this.ctx.audit.dailyHeads();
    return {
      today,
      algorithm: 'sha256(prevHash + canonicalJSON(event)), see docs/open-data.md',
      days: days.map((d) => ({ ...d, complete: d.day < today })).reverse(),
    };
  }
}
