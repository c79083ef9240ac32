import type { Db } from '../../db/client.js';
import { todayInChina } from '../../common/dates.js';
import type { Now } from '../../common/clock.js';
import { DomainError } from '../../common/errors.js';
import { VersionedCache } from '../../common/versioned-cache.js';
import { CITY_CODE } from '../../seed/demo-city.js';
import type { AuditService } from '../audit/audit.service.js';
import type { DecisionsService } from '../decisions/decisions.service.js';
import { GRADE_LABELS } from '../evaluation/evaluation.rules.js';
import type { FundsService } from '../ledger/funds.service.js';
import type { NeedsService } from '../needs/needs.service.js';
import type { PlansService } from '../plans/plans.service.js';
import type { PolicyService } from '../policy/policy.service.js';
import type { ProcurementService } from '../procurement/procurement.service.js';
import type { RatingsService } from '../ratings/ratings.service.js';
import type { RegionsService } from '../regions/regions.service.js';
import type { RegionSummary } from '../regions/regions.service.js';
import { DisclosureRepository } from './disclosure.repository.js';
import { currentStep, disclosureChecklist, PORTAL_STEPS, STAGE_LABELS, type RecordedKind } from './disclosure.rules.js';
import type {
  AuditDaysView,
  CommunityPageView,
  PortalRegionView,
  ProjectPageView,
  PublicContractView,
  PublicEvaluationView,
  PublicModelCaseSummary,
  RegionPageView,
  SearchView,
} from './disclosure.schemas.js';

/** Community pages kept (a few kB each): the communities being looked at, not every one. */
const COMMUNITY_PAGES_KEPT = 2_000;
/** Region views kept for breadcrumbs: the city, districts and streets above the pages looked at. */
const ANCESTOR_VIEWS_KEPT = 2_000;

/** What the portal reads of evaluations (issue 8): concluded grades of projects, by kind. */
export interface PublicGradeSource {
  gradesOf(db: Db, projectIds: number[], fundYear?: number): Promise<{ planProjectId: number; kind: string; grade: string | null }[]>;
}

/** What the portal reads of model cases [N 4.4]: the published ones. */
export interface PublishedModelCases {
  published(
    db: Db,
    filter: { communityCode?: string; fundYear?: number },
  ): Promise<{ id: number; planProjectId: number; title: string; body: string; publishedOn: string | null }[]>;
}

/** The labels of evaluation grades, as published (优秀, 良好, 合格, 不合格). */
export const PUBLIC_GRADE_LABELS: Record<string, string> = GRADE_LABELS;

export type PublicContract = Awaited<ReturnType<ProcurementService['publicContracts']>>[number];

export const notFound = (what: string, en: string) =>
  new DomainError('NOT_FOUND', { zh: `${what}不存在或未公开`, en: `${en} not found` }, { kind: 'not_found' });

/** [N 4.2] The public portal (no login, no personal data): regions, community and project pages, the published audit heads. */
export class PortalService {
  private readonly repo = new DisclosureRepository();

  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly regions: RegionsService,
    private readonly policy: PolicyService,
    private readonly ratings: RatingsService,
    private readonly funds: FundsService,
    private readonly needs: NeedsService,
    private readonly decisions: DecisionsService,
    private readonly plans: PlansService,
    private readonly procurement: ProcurementService | null,
    private readonly evaluations: PublicGradeSource,
    private readonly modelCases: PublishedModelCases,
    private readonly clock: Now,
  ) {}

  today(): string {
    return todayInChina(this.clock());
  }

  // ---------------------------------------------------------------- years and regions

  /** Fund years with a policy, newest first, and the default: the latest not after this year. */
  async years(requested?: number) {
    const all = (await this.policy.listYears()).map((y) => y.year).sort((a, b) => b - a);
    const thisYear = Number(this.today().slice(0, 4));
    const fallback = all.find((y) => y <= thisYear) ?? all[0] ?? thisYear;
    if (requested !== undefined && !all.includes(requested)) throw notFound(`${requested} 年度`, `Fund year ${requested}`);
    return { years: all, fundYear: requested ?? fallback };
  }

  /** A region by code, or 404 (for the open data and monitoring too). */
  async region(code: string): Promise<RegionSummary> {
    const [found] = await this.regions.byCodes([code]);
    if (!found) throw notFound('区域', 'Region');
    return found;
  }

  /**
   * Views of the regions above a page's region, kept like the pages: a view carries its community
   * count, which for the city (or a whole country) counts every community, on every page.
   */
  private readonly ancestorViews = new VersionedCache<{ view: PortalRegionView; depth: number } | null>(
    () => this.audit.version(),
    ANCESTOR_VIEWS_KEPT,
  );

  private async ancestorsOf(r: RegionSummary) {
    const codes = r.path.split('/').slice(0, -1);
    const found = await Promise.all(
      codes.map((code) =>
        this.ancestorViews.get(code, async () => {
          const [a] = await this.regions.byCodes([code]);
          return a ? { view: regionView(a), depth: a.path.length } : null;
        }),
      ),
    );
    return found
      .filter((a) => a !== null)
      .sort((a, b) => a.depth - b.depth)
      .map((a) => a.view);
  }

  /** Money figures of the funded communities under a path in a fund year. */
  async moneyUnder(fundYear: number, path: string) {
    const rows = await this.funds.publicFigures(fundYear, path);
    return rows;
  }

  /** 沈阳市: its districts with community counts and allocation totals for a fund year. */
  async city(year?: number): Promise<RegionPageView> {
    const { years, fundYear } = await this.years(year);
    const city = await this.region(CITY_CODE);
    return { ...(await this.regionPage(city, fundYear)), years, fundYear };
  }

  /** A district (its streets) or a street (its communities), with money per child. */
  async regionOverview(code: string, year?: number): Promise<RegionPageView> {
    const { years, fundYear } = await this.years(year);
    const r = await this.region(code);
    if (r.level === 'community') throw notFound('区域', 'Region');
    return { ...(await this.regionPage(r, fundYear)), years, fundYear };
  }

  private async regionPage(r: RegionSummary, fundYear: number) {
    const [ancestors, children, money] = await Promise.all([
      this.ancestorsOf(r),
      this.regions.childrenOf(r.code),
      this.moneyUnder(fundYear, r.path),
    ]);
    const sum = (prefix: string) => {
      const t = { allocatedFen: 0, committedFen: 0, paidFen: 0, communities: 0 };
      for (const m of money) {
        if (m.path !== prefix && !m.path.startsWith(`${prefix}/`)) continue;
        t.allocatedFen += m.figures.allocated;
        t.committedFen += m.figures.committed;
        t.paidFen += m.figures.paid;
        t.communities++;
      }
      return t;
    };
    const total = sum(r.path);
    return {
      region: regionView(r),
      ancestors,
      totals: {
        allocatedFen: total.allocatedFen,
        committedFen: total.committedFen,
        paidFen: total.paidFen,
        fundedCommunities: total.communities,
      },
      children: children
        .sort((a, b) => a.code.localeCompare(b.code))
        .map((c) => {
          const t = sum(c.path);
          return {
            ...regionView(c),
            allocatedFen: t.allocatedFen,
            committedFen: t.committedFen,
            paidFen: t.paidFen,
            fundedCommunities: t.communities,
          };
        }),
    };
  }

  async search(q: string): Promise<SearchView> {
    const query = q.trim();
    if (!query) return { items: [] };
    const city = await this.region(CITY_CODE);
    const rows = await this.regions.searchCommunities(city.path, query, 30);
    return {
      items: rows.map((r) => ({
        code: r.code,
        name: r.name,
        streetCode: r.streetCode,
        streetName: r.streetName,
        districtCode: r.districtCode,
        districtName: r.districtName,
      })),
    };
  }

  // ---------------------------------------------------------------- community and project pages

  /**
   * Community pages served again while the audit version stands (exact: see VersionedCache), keyed by
   * every date the page reads: the portal's, the decisions' (notice countdowns) and the real
   * date (a campaign's online window).
   */
  readonly communityPageCache = new VersionedCache<CommunityPageView>(() => this.audit.version(), COMMUNITY_PAGES_KEPT);

  /** Everything public about one community in one fund year. */
  async community(code: string, year?: number): Promise<CommunityPageView> {
    const key = JSON.stringify([code, year ?? null, this.today(), this.decisions.today()]);
    return this.communityPageCache.get(key, () => this.communityPage(code, year));
  }

  private async communityPage(code: string, year?: number): Promise<CommunityPageView> {
    const { years, fundYear } = await this.years(year);
    const r = await this.region(code);
    if (r.level !== 'community') throw notFound('社区', 'Community');
    const facts = await this.communityFacts(r, fundYear);
    const ratingYear = (await this.policy.forYear(fundYear)).ratingYear;
    const stars = (await this.ratings.ratingsUnder(this.db, ratingYear, r.path)).find((x) => x.communityCode === code)?.stars ?? null;
    const step = currentStep({
      campaign: facts.campaign !== null,
      decisionStatus: facts.decision?.status ?? null,
      planStatus: facts.plan?.status ?? null,
      signedContracts: facts.contracts.filter((c) => c.status === 'signed' || c.status === 'completed').length,
      paidInstalments: facts.payments.length,
      finalEvaluated: facts.evaluations.some((e) => e.stage === 'final'),
    });
    return {
      community: { ...regionView(r), stars, ratingYear },
      ancestors: await this.ancestorsOf(r),
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
      modelCases: facts.modelCases,
      disclosures: facts.checklist.map((i) => ({ ...i, stageLabel: STAGE_LABELS[i.stage] })),
    };
  }

  /** Everything the pages and the monitoring judge about one community in one fund year. */
  async communityFacts(r: RegionSummary, fundYear: number) {
    const code = r.code;
    const streetPath = r.path.split('/').slice(0, -1).join('/');
    const [money, draft, overview, allNotices, plans, contracts, records, evaluations, modelCases, policy] = await Promise.all([
      this.moneyUnder(fundYear, r.path),
      this.needs.draftListOf(code, fundYear),
      this.decisions.overviewUnder(code, { fundYear }),
      this.decisions.publicNoticesOf(code),
      this.plans.plansOfCommunity(code, streetPath, fundYear),
      this.procurement ? this.procurement.publicContracts({ pathPrefix: r.path, fundYear }) : Promise.resolve([] as PublicContract[]),
      this.repo.records(this.db, { pathPrefix: r.path, fundYear }),
      this.evaluationsOf(code, fundYear),
      this.modelCasesOf(code, fundYear),
      this.policy.forYear(fundYear),
    ]);
    const m = money.find((x) => x.code === code);
    const allocation = m
      ? { allocatedFen: m.figures.allocated, committedFen: m.figures.committed, paidFen: m.figures.paid, availableFen: m.figures.available }
      : null;

    let campaign = null;
    if (draft) {
      const c = await this.needs.publicCampaign(draft.campaignId);
      campaign = {
        id: c.id,
        title: c.title,
        opensOn: c.opensOn,
        closesOn: c.closesOn,
        status: c.status,
        acceptingOnline: c.acceptingOnline,
        coverage: c.coverage,
        link: `/r/${c.id}`,
      };
    }
    const live = overview.filter((d) => d.status !== 'rejected').at(-1) ?? overview.at(-1) ?? null;
    const notices = allNotices
      .filter((n) => n.fundYear === fundYear)
      .sort((a, b) => a.round - b.round)
      .map((n) => ({
        id: n.id,
        round: n.round,
        postedOn: n.postedOn,
        windowEnd: n.windowEnd,
        status: n.status,
        daysLeft: n.daysLeft,
        objectors: n.objectors,
        objectorsNeeded: n.objectorsNeeded,
        totalBudgetFen: n.totalBudgetFen,
        projectCount: n.projects.length,
        link: `/n/${n.id}`,
      }));
    let decidedOn: string | null = null;
    if (live?.noticeId) decidedOn = (await this.decisions.publicNotice(live.noticeId)).decision.heldOn;
    const decision = live
      ? {
          status: live.status,
          round: live.round,
          decidedOn,
          projects: live.passedProjects.map((p) => ({
            decisionProjectId: p.projectId,
            title: p.title,
            catalogueCode: p.catalogueCode,
            category: p.category,
            estimatedBudgetFen: p.estimatedBudgetFen,
            votesFor: p.votesFor,
            votesAgainst: p.votesAgainst,
            votesAbstain: p.votesAbstain,
          })),
        }
      : null;
    const own = plans.filter((p) => p.communityCodes.includes(code));
    const pl = own.find((p) => p.status === 'filed') ?? own.at(-1) ?? null;
    const plan = pl
      ? {
          id: pl.id,
          title: pl.title,
          kind: pl.kind,
          status: pl.status,
          filingLevel: pl.filingLevel,
          submittedOn: pl.submittedOn,
          filedOn: pl.filedOn,
          // Projects are public once the plan is filed [N 4.2]; before, only the count.
          projectCount: pl.projects.length,
          projects:
            pl.status === 'filed'
              ? pl.projects
                  .filter((x) => x.communityCodes.includes(code) || pl.kind === 'community')
                  .map((x) => ({
                    id: x.id,
                    title: x.title,
                    content: x.content,
                    catalogueCode: x.catalogueCode,
                    category: x.category,
                    budgetFen: x.budgetFen,
                    link: `/portal/p/${x.id}`,
                  }))
              : [],
        }
      : null;
    const payments = contracts
      .flatMap((c) =>
        c.instalments
          .filter((i) => i.status === 'paid')
          .map((i) => ({
            contractId: c.id,
            contractRef: c.ref,
            providerName: c.provider?.name ?? '',
            seq: i.seq,
            amountFen: i.amountFen,
            paidOn: i.paidOn,
          })),
      )
      .sort((a, b) => (a.paidOn ?? '').localeCompare(b.paidOn ?? ''));
    const signed = contracts
      .map((c) => c.signedOn)
      .filter((d): d is string => !!d)
      .sort();
    const midDate = `${fundYear}-${policy.midEvaluationDue}`;
    const recorded: Partial<Record<RecordedKind, string>> = {};
    for (const rec of records) if (rec.communityCode === code) recorded[rec.kind as RecordedKind] = rec.publishedOn;
    const checklist = disclosureChecklist(
      {
        decidedOn,
        noticePostedOn: notices[0]?.postedOn ?? null,
        planFiledOn: pl?.status === 'filed' ? pl.filedOn : null,
        firstContractSignedOn: signed[0] ?? null,
        progressDueOn: signed[0] ? (signed[0] > midDate ? signed[0] : midDate) : null,
        midtermEvaluatedOn:
          evaluations
            .filter((e) => e.stage === 'midterm')
            .map((e) => e.evaluatedOn)
            .sort()[0] ?? null,
        finalEvaluatedOn:
          evaluations
            .filter((e) => e.stage === 'final')
            .map((e) => e.evaluatedOn)
            .sort()[0] ?? null,
        firstPaymentOn: payments[0]?.paidOn ?? null,
        recorded,
      },
      { graceDays: policy.disclosureGraceDays, today: this.today() },
    );
    return {
      allocation,
      campaign,
      draft,
      decision,
      notices,
      plan,
      planRow: pl,
      contracts,
      payments,
      evaluations,
      modelCases,
      checklist,
      records: records.filter((x) => x.communityCode === code),
    };
  }

  /** A filed plan's project: its trail from residents' opinions (counts only) to the plan, contracts and payments. */
  async project(projectId: number): Promise<ProjectPageView> {
    const p = await this.plans.getProject(this.db, projectId);
    if (!p || p.status !== 'filed') throw notFound('项目', 'Project');
    const communities = await this.regions.byCodes(p.communityCodes);
    const first = communities[0];
    if (!first) throw notFound('项目', 'Project');
    const facts = await this.communityFacts(first, p.fundYear);
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
      ancestors: await this.ancestorsOf(first),
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

  // ---------------------------------------------------------------- evaluations and model cases (issue 8)

  /**
   * Concluded grades of the community's filed projects. The portal dates a grade by its round's
   * due date in the policy ([N 3.2]), the date results are disclosed against.
   */
  private async evaluationsOf(communityCode: string, fundYear: number): Promise<PublicEvaluationView[]> {
    const projects = await this.plans.filedProjects(this.db, { communityCode, fundYear });
    const grades = await this.evaluations.gradesOf(
      this.db,
      projects.map((p) => p.projectId),
      fundYear,
    );
    const policy = await this.policy.forYear(fundYear);
    return grades
      .filter((g) => g.grade && (g.kind === 'midterm' || g.kind === 'final'))
      .map((g) => ({
        contractId: null,
        projectId: g.planProjectId,
        stage: g.kind as 'midterm' | 'final',
        grade: PUBLIC_GRADE_LABELS[g.grade!] ?? g.grade!,
        evaluatedOn: `${fundYear}-${g.kind === 'midterm' ? policy.midEvaluationDue : policy.finalEvaluationDue}`,
        evaluatorName: '',
      }));
  }

  /** The community's published model cases [N 4.4]. */
  private async modelCasesOf(communityCode: string, fundYear: number): Promise<PublicModelCaseSummary[]> {
    return (await this.modelCases.published(this.db, { communityCode, fundYear })).map((m) => ({
      id: m.id,
      title: m.title,
      summary: m.body.slice(0, 200),
      publishedOn: m.publishedOn ?? '',
      projectId: m.planProjectId,
    }));
  }

  // ---------------------------------------------------------------- verifiable record

  async auditDays(): Promise<AuditDaysView> {
    const today = this.today();
    const days = await this.audit.dailyHeads();
    return {
      today,
      algorithm: 'sha256(prevHash + canonicalJSON(event)), see docs/open-data.md',
      days: days.map((d) => ({ ...d, complete: d.day < today })).reverse(),
    };
  }
}

export function regionView(r: RegionSummary): PortalRegionView {
  return { code: r.code, name: r.name, level: r.level, kind: r.kind, parentCode: r.parentCode, communityCount: r.communityCount };
}

export function contractPublicView(c: PublicContract): PublicContractView {
  return {
    id: c.id,
    ref: c.ref,
    title: c.title,
    amountFen: c.amountFen,
    signedOn: c.signedOn,
    startsOn: c.startsOn,
    endsOn: c.endsOn,
    status: c.status,
    provider: c.provider ? { name: c.provider.name, kind: c.provider.kind, creditCode: c.provider.creditCode } : null,
    projectIds: c.projectIds,
    paidFen: c.instalments.filter((i) => i.status === 'paid').reduce((s, i) => s + i.amountFen, 0),
    instalments: c.instalments.map((i) => ({
      seq: i.seq,
      conditionLabel: i.conditionLabel,
      amountFen: i.amountFen,
      status: i.status,
      paidOn: i.paidOn,
    })),
    // [N 3.2] A 不合格 final evaluation voided the unpaid instalments; the rest went back to the community.
    remainderVoidedOn: c.remainderVoidedOn,
    remainderVoidReason: c.remainderVoidReason,
    releasedFen:
      c.remainderVoidedOn && c.status === 'completed'
        ? c.amountFen - c.instalments.filter((i) => i.status === 'paid').reduce((s, i) => s + i.amountFen, 0)
        : 0,
  };
}
