import type { Db } from '../../db/client.js';
import { hasPermission, requirePermission, type Actor } from '../../common/access.js';
import { todayInChina } from '../../common/dates.js';
import type { Now } from '../../common/clock.js';
import { DomainError, invalidField } from '../../common/errors.js';
import { VersionedCache } from '../../common/versioned-cache.js';
import { buildCsv, buildWorkbook, type CellValue } from '../../common/xlsx.js';
import { CITY_CODE } from '../../seed/demo-city.js';
import type { AuditService } from '../audit/audit.service.js';
import type { DecisionsService } from '../decisions/decisions.service.js';
import type { FundsService } from '../ledger/funds.service.js';
import type { NeedsService } from '../needs/needs.service.js';
import type { PlansService } from '../plans/plans.service.js';
import type { PolicyService } from '../policy/policy.service.js';
import type { ProcurementService } from '../procurement/procurement.service.js';
import type { RatingsService } from '../ratings/ratings.service.js';
import type { RegionsService } from '../regions/regions.service.js';
import type { RegionSummary } from '../regions/regions.repository.js';
import { DisclosureRepository } from './disclosure.repository.js';
import {
  currentStep,
  DISCLOSURE_CLAUSE,
  DISCLOSURE_LABELS,
  disclosureChecklist,
  PORTAL_STEPS,
  STAGE_LABELS,
  type DisclosureItem,
  OPEN_DATASETS,
  type OpenDataset,
  type OpenFormat,
  type RecordedKind,
} from './disclosure.rules.js';


/** Community pages kept (a few kB each): the communities being looked at, not every one. */
const COMMUNITY_PAGES_KEPT = 2_000;
/** Region views kept for breadcrumbs: the city, districts and streets above the pages looked at. */
const ANCESTOR_VIEWS_KEPT = 2_000;


/**
 * Extension point for evaluations (issue 8): published grades of a community's contracts and
 * projects in a fund year. Replaced in services.ts once the evaluations module exists.
 */
export interface PublicEvaluationSource {
  ofCommunity(communityCode: string, fundYear: number): Promise<{ contractId: number | null; projectId: number | null; stage: 'midterm' | 'final'; grade: string; evaluatedOn: string; evaluatorName: string }[]>;
}
/** Extension point for model cases [N 4.4] (issue 8). */
export interface PublicModelCaseSource {
  ofCommunity(communityCode: string, fundYear: number): Promise<{ id: number; title: string; summary: string; publishedOn: string; projectId: number | null }[]>;
}
export const NO_PUBLIC_EVALUATIONS: PublicEvaluationSource = { ofCommunity: async () => [] };
export const NO_MODEL_CASES: PublicModelCaseSource = { ofCommunity: async () => [] };

type GradeSource = { gradesOf(db: Db, projectIds: number[], fundYear?: number): Promise<{ planProjectId: number; kind: string; grade: string | null }[]> };
type PublicContract = Awaited<ReturnType<ProcurementService['publicContracts']>>[number];

const notFound = (what: string, en: string) => new DomainError('NOT_FOUND', { zh: `${what}不存在或未公开`, en: `${en} not found` }, { kind: 'not_found' });

export interface DisclosureRecordInput {
  communityCode: string;
  fundYear: number;
  kind: RecordedKind;
  publishedOn: string;
  title: string;
  url?: string | null;
}

/** [N 4.2] The public portal, disclosure monitoring, open data and the published audit heads. */
export class DisclosureService {
  readonly repo = new DisclosureRepository();
  evaluations: PublicEvaluationSource = NO_PUBLIC_EVALUATIONS;
  private grades: { source: GradeSource; labels: Record<string, string> } | null = null;
  modelCases: PublicModelCaseSource = NO_MODEL_CASES;

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
    public clock: Now,
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

  private async region(code: string): Promise<RegionSummary> {
    const [found] = await this.regions.byCodes([code]);
    if (!found) throw notFound('区域', 'Region');
    return found;
  }

  /**
   * Views of the regions above a page's region, kept like the pages: a view carries its community
   * count, which for the city (or a whole country) counts every community, on every page.
   */
  private readonly ancestorViews = new VersionedCache<{ view: ReturnType<typeof regionView>; depth: number } | null>(() => this.audit.version(), ANCESTOR_VIEWS_KEPT);

  private async ancestorsOf(r: RegionSummary) {
    const codes = r.path.split('/').slice(0, -1);
    const found = await Promise.all(codes.map((code) => this.ancestorViews.get(code, async () => {
      const [a] = await this.regions.byCodes([code]);
      return a ? { view: regionView(a), depth: a.path.length } : null;
    })));
    return found.filter((a) => a !== null).sort((a, b) => a.depth - b.depth).map((a) => a.view);
  }

  private async moneyUnder(fundYear: number, path: string) {
    const rows = await this.funds.publicFigures(fundYear, path);
    return rows;
  }

  /** 沈阳市: its districts with community counts and allocation totals for a fund year. */
  async city(year?: number) {
    const { years, fundYear } = await this.years(year);
    const city = await this.region(CITY_CODE);
    return { ...(await this.regionPage(city, fundYear)), years, fundYear };
  }

  /** A district (its streets) or a street (its communities), with money per child. */
  async regionOverview(code: string, year?: number) {
    const { years, fundYear } = await this.years(year);
    const r = await this.region(code);
    if (r.level === 'community') throw notFound('区域', 'Region');
    return { ...(await this.regionPage(r, fundYear)), years, fundYear };
  }

  private async regionPage(r: RegionSummary, fundYear: number) {
    const [ancestors, children, money] = await Promise.all([this.ancestorsOf(r), this.regions.childrenOf(r.code), this.moneyUnder(fundYear, r.path)]);
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
      totals: { allocatedFen: total.allocatedFen, committedFen: total.committedFen, paidFen: total.paidFen, fundedCommunities: total.communities },
      children: children
        .sort((a, b) => a.code.localeCompare(b.code))
        .map((c) => {
          const t = sum(c.path);
          return { ...regionView(c), allocatedFen: t.allocatedFen, committedFen: t.committedFen, paidFen: t.paidFen, fundedCommunities: t.communities };
        }),
    };
  }

  async search(q: string) {
    const query = q.trim();
    if (!query) return { items: [] };
    const city = await this.region(CITY_CODE);
    const rows = await this.regions.searchCommunities(city.path, query, 30);
    return { items: rows.map((r) => ({ code: r.code, name: r.name, streetCode: r.streetCode, streetName: r.streetName, districtCode: r.districtCode, districtName: r.districtName })) };
  }

  // ---------------------------------------------------------------- community and project pages

  /**
   * Community pages served again while the audit version stands (exact: see VersionedCache), keyed by
   * every date the page reads: the portal's, the decisions' (notice countdowns) and the real
   * date (a campaign's online window).
   */
  readonly communityPageCache = new VersionedCache<Awaited<ReturnType<DisclosureService['communityPage']>>>(() => this.audit.version(), COMMUNITY_PAGES_KEPT);

  /** Everything public about one community in one fund year. */
  async community(code: string, year?: number) {
    const key = JSON.stringify([code, year ?? null, this.today(), this.decisions.today()]);
    return this.communityPageCache.get(key, () => this.communityPage(code, year));
  }

  private async communityPage(code: string, year?: number) {
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

  private async communityFacts(r: RegionSummary, fundYear: number) {
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
      this.evaluations.ofCommunity(code, fundYear),
      this.modelCases.ofCommunity(code, fundYear),
      this.policy.forYear(fundYear),
    ]);
    const m = money.find((x) => x.code === code);
    const allocation = m ? { allocatedFen: m.figures.allocated, committedFen: m.figures.committed, paidFen: m.figures.paid, availableFen: m.figures.available } : null;

    let campaign = null;
    if (draft) {
      const c = await this.needs.publicCampaign(draft.campaignId);
      campaign = { id: c.id, title: c.title, opensOn: c.opensOn, closesOn: c.closesOn, status: c.status, acceptingOnline: c.acceptingOnline, coverage: c.coverage, link: `/r/${c.id}` };
    }
    const live = overview.filter((d) => d.status !== 'rejected').at(-1) ?? overview.at(-1) ?? null;
    const notices = allNotices
      .filter((n) => n.fundYear === fundYear)
      .sort((a, b) => a.round - b.round)
      .map((n) => ({ id: n.id, round: n.round, postedOn: n.postedOn, windowEnd: n.windowEnd, status: n.status, daysLeft: n.daysLeft, objectors: n.objectors, objectorsNeeded: n.objectorsNeeded, totalBudgetFen: n.totalBudgetFen, projectCount: n.projects.length, link: `/n/${n.id}` }));
    let decidedOn: string | null = null;
    if (live?.noticeId) decidedOn = (await this.decisions.publicNotice(live.noticeId)).decision.heldOn;
    const decision = live
      ? {
          status: live.status, round: live.round, decidedOn,
          projects: live.passedProjects.map((p) => ({ decisionProjectId: p.projectId, title: p.title, catalogueCode: p.catalogueCode, category: p.category, estimatedBudgetFen: p.estimatedBudgetFen, votesFor: p.votesFor, votesAgainst: p.votesAgainst, votesAbstain: p.votesAbstain })),
        }
      : null;
    const own = plans.filter((p) => p.communityCodes.includes(code));
    const pl = own.find((p) => p.status === 'filed') ?? own.at(-1) ?? null;
    const plan = pl
      ? {
          id: pl.id, title: pl.title, kind: pl.kind, status: pl.status, filingLevel: pl.filingLevel, submittedOn: pl.submittedOn, filedOn: pl.filedOn,
          // Projects are public once the plan is filed [N 4.2]; before, only the count.
          projectCount: pl.projects.length,
          projects: pl.status === 'filed' ? pl.projects.filter((x) => x.communityCodes.includes(code) || pl.kind === 'community').map((x) => ({ id: x.id, title: x.title, content: x.content, catalogueCode: x.catalogueCode, category: x.category, budgetFen: x.budgetFen, link: `/portal/p/${x.id}` })) : [],
        }
      : null;
    const payments = contracts.flatMap((c) => c.instalments.filter((i) => i.status === 'paid').map((i) => ({ contractId: c.id, contractRef: c.ref, providerName: c.provider?.name ?? '', seq: i.seq, amountFen: i.amountFen, paidOn: i.paidOn }))).sort((a, b) => (a.paidOn ?? '').localeCompare(b.paidOn ?? ''));
    const signed = contracts.map((c) => c.signedOn).filter((d): d is string => !!d).sort();
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
        midtermEvaluatedOn: evaluations.filter((e) => e.stage === 'midterm').map((e) => e.evaluatedOn).sort()[0] ?? null,
        finalEvaluatedOn: evaluations.filter((e) => e.stage === 'final').map((e) => e.evaluatedOn).sort()[0] ?? null,
        firstPaymentOn: payments[0]?.paidOn ?? null,
        recorded,
      },
      { graceDays: policy.disclosureGraceDays, today: this.today() },
    );
    return { allocation, campaign, draft, decision, notices, plan, planRow: pl, contracts, payments, evaluations, modelCases, checklist, records: records.filter((x) => x.communityCode === code) };
  }

  /** A filed plan's project: its trail from residents' opinions (counts only) to the plan, contracts and payments. */
  async project(projectId: number) {
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
      project: { id: p.projectId, title: p.title, content: planProject?.content ?? '', catalogueCode: p.catalogueCode, category: p.category, budgetFen: p.budgetFen, fundYear: p.fundYear, providerKind: p.providerKind },
      community: regionView(first),
      ancestors: await this.ancestorsOf(first),
      communities: communities.map(regionView),
      trail: {
        needs: facts.campaign ? { campaignId: facts.campaign.id, title: facts.campaign.title, opensOn: facts.campaign.opensOn, closesOn: facts.campaign.closesOn, coverage: facts.campaign.coverage, households: proposal?.householdCount ?? null, opinions: proposal?.opinionIds.length ?? null } : null,
        decision: decided && facts.decision ? { decidedOn: facts.decision.decidedOn, votesFor: decided.votesFor, votesAgainst: decided.votesAgainst, votesAbstain: decided.votesAbstain, estimatedBudgetFen: decided.estimatedBudgetFen } : null,
        notices: facts.notices,
        plan: facts.plan ? { id: facts.plan.id, title: facts.plan.title, filedOn: facts.plan.filedOn, filingLevel: facts.plan.filingLevel } : null,
        contracts: contracts.map(contractPublicView),
        payments: facts.payments.filter((x) => contracts.some((c) => c.id === x.contractId)),
        evaluations: facts.evaluations.filter((e) => e.projectId === projectId || contracts.some((c) => c.id === e.contractId)),
        modelCases: facts.modelCases.filter((mc) => mc.projectId === projectId),
      },
    };
  }

  // ---------------------------------------------------------------- disclosure monitoring [N 4.2]

  /** For a street or district (or the city): each community's required disclosures in a fund year, flagged when late or missing. */
  async monitor(actor: Actor, code: string | undefined, year?: number) {
    requirePermission(actor, 'plans:read');
    const { fundYear } = await this.years(year);
    const root = code ? await this.regions.requireInScope(actor, code) : await this.region(actor.scopePath!.split('/').pop()!);
    const rows = await this.monitorRows(root, fundYear);
    return { fundYear, today: this.today(), region: regionView(root), flagged: rows.reduce((s, r) => s + r.flagged, 0), communities: rows };
  }

  private async monitorRows(root: RegionSummary, fundYear: number) {
    const [overview, records, plans, contracts] = await Promise.all([
      this.decisions.overviewUnder(root.code, { fundYear }),
      this.repo.records(this.db, { pathPrefix: root.path, fundYear }),
      this.plans.plansUnder(root.level === 'community' ? root.path.split('/').slice(0, -1).join('/') : root.path, fundYear),
      this.procurement ? this.procurement.publicContracts({ pathPrefix: root.path, fundYear }) : Promise.resolve([] as PublicContract[]),
    ]);
    const codes = [...new Set([...overview.map((d) => d.communityCode), ...records.map((r) => r.communityCode), ...plans.flatMap((p) => p.communityCodes), ...contracts.map((c) => c.communityCode)])]
      .filter((c) => c === root.code || c.startsWith(root.code))
      .sort();
    const communities = await this.regions.byCodes(codes);
    const out: { code: string; name: string; streetName: string; items: (DisclosureItem & { stageLabel: string })[]; flagged: number }[] = [];
    const streets = await this.regions.byCodes([...new Set(communities.map((c) => c.parentCode!).filter(Boolean))]);
    for (const c of communities.sort((a, b) => a.code.localeCompare(b.code))) {
      const facts = await this.communityFacts(c, fundYear);
      const items = facts.checklist.map((i) => ({ ...i, stageLabel: STAGE_LABELS[i.stage] }));
      out.push({ code: c.code, name: c.name, streetName: streets.find((s) => s.code === c.parentCode)?.name ?? '', items, flagged: items.filter((i) => i.flagged).length });
    }
    return out;
  }

  /** To-do items for the street and district: late or missing disclosures in their region (called by the plans to-do centre). */
  async todoItems(actor: Actor, today: string) {
    if (!actor.scopePath || !(actor.role === 'street_office' || actor.role === 'district_bureau') || !hasPermission(actor, 'plans:read')) return [];
    const { fundYear } = await this.years();
    const root = await this.region(actor.scopePath.split('/').pop()!);
    const rows = await this.monitorRows(root, fundYear);
    return rows.flatMap((r) =>
      r.items
        .filter((i) => i.flagged)
        .map((i) => ({
          key: `disclosure:${r.code}:${fundYear}:${i.kind}`,
          kind: 'disclosure_flagged',
          title: i.status === 'missing' ? `信息公开缺失：${i.label}` : `信息公开逾期：${i.label}`,
          detail: `${r.streetName}${r.name} ${fundYear} 年度${i.label}应于 ${i.dueOn} 前公开${i.publishedOn ? `，实际 ${i.publishedOn} 公开` : '，尚未公开'} ${DISCLOSURE_CLAUSE}`,
          regionName: r.name,
          dueOn: i.dueOn,
          workdaysLeft: null,
          overdue: today > (i.dueOn ?? today),
          link: `/portal/c/${r.code}?year=${fundYear}`,
        })),
    );
  }

  /** The community (or its street) records a disclosure it published outside the system. */
  async record(actor: Actor, input: DisclosureRecordInput) {
    requirePermission(actor, 'plans:write');
    const community = await this.regions.requireInScope(actor, input.communityCode);
    if (community.level !== 'community') throw invalidField('communityCode', '只能为社区登记公开记录', 'disclosures are recorded per community');
    await this.years(input.fundYear);
    if (input.publishedOn > this.today()) throw invalidField('publishedOn', '公开日期不能晚于今天', 'publishedOn is in the future');
    return this.db.transaction(async (tx) => {
      const row = await this.repo.insertOnce(tx, { communityCode: community.code, fundYear: input.fundYear, kind: input.kind, publishedOn: input.publishedOn, title: input.title, url: input.url ?? null, regionPath: community.path, recordedByUserId: actor.userId });
      if (!row) throw new DomainError('DISCLOSURE_RECORDED', { zh: `${DISCLOSURE_LABELS[input.kind].label}的公开已登记`, en: 'This disclosure is already recorded' }, { kind: 'conflict', clause: DISCLOSURE_CLAUSE, field: 'kind' });
      await this.audit.record(tx, actor, { action: 'disclosure.record', entityType: 'disclosure_record', entityId: String(row.id), regionPath: community.path, after: { communityCode: row.communityCode, fundYear: row.fundYear, kind: row.kind, publishedOn: row.publishedOn, title: row.title, url: row.url } });
      return { id: row.id, communityCode: row.communityCode, fundYear: row.fundYear, kind: row.kind, publishedOn: row.publishedOn, title: row.title, url: row.url };
    });
  }

  /** For the seed: records a disclosure inside the caller's transaction. */
  async recordSeeded(tx: Parameters<Parameters<Db['transaction']>[0]>[0], row: { communityCode: string; regionPath: string; fundYear: number; kind: RecordedKind; publishedOn: string; title: string }) {
    return this.repo.insertOnce(tx, { ...row, url: null, recordedByUserId: null });
  }

  // ---------------------------------------------------------------- extension points (issue 8)

  /**
   * Connects the evaluations module: concluded grades of the community's filed projects. The
   * portal dates a grade by its round's due date in the policy ([N 3.2]), the date results are
   * disclosed against.
   */
  connectEvaluations(source: GradeSource, labels: Record<string, string>) {
    this.grades = { source, labels };
    this.evaluations = {
      ofCommunity: async (communityCode, fundYear) => {
        const projects = await this.plans.filedProjects(this.db, { communityCode, fundYear });
        const grades = await source.gradesOf(this.db, projects.map((p) => p.projectId), fundYear);
        const policy = await this.policy.forYear(fundYear);
        return grades
          .filter((g) => g.grade && (g.kind === 'midterm' || g.kind === 'final'))
          .map((g) => ({
            contractId: null, projectId: g.planProjectId, stage: g.kind as 'midterm' | 'final', grade: labels[g.grade!] ?? g.grade!,
            evaluatedOn: `${fundYear}-${g.kind === 'midterm' ? policy.midEvaluationDue : policy.finalEvaluationDue}`, evaluatorName: '',
          }));
      },
    };
  }

  /** Connects the published model cases [N 4.4]. */
  connectModelCases(source: { published(db: Db, filter: { communityCode?: string; fundYear?: number }): Promise<{ id: number; planProjectId: number; title: string; body: string; publishedOn: string | null }[]> }) {
    this.modelCases = {
      ofCommunity: async (communityCode, fundYear) =>
        (await source.published(this.db, { communityCode, fundYear })).map((m) => ({ id: m.id, title: m.title, summary: m.body.slice(0, 200), publishedOn: m.publishedOn ?? '', projectId: m.planProjectId })),
    };
  }

  // ---------------------------------------------------------------- verifiable record

  async auditDays() {
    const today = this.today();
    const days = await this.audit.dailyHeads();
    return { today, algorithm: 'sha256(prevHash + canonicalJSON(event)), see docs/open-data.md', days: days.map((d) => ({ ...d, complete: d.day < today })).reverse() };
  }

  // ---------------------------------------------------------------- open data

  async openDataIndex() {
    const { years } = await this.years();
    const datasets = OPEN_DATASETS;
    return {
      license: 'CC BY 4.0',
      years: years.map((y) => ({
        year: y,
        files: datasets.flatMap((d) => (['csv', 'xlsx', 'json'] as const).map((f) => ({ dataset: d, format: f, url: `/api/public/open-data/${y}/${d}.${f}` }))),
        ocds: `/api/public/open-data/${y}/ocds/release-package.json`,
      })),
    };
  }

  async openDataTable(fundYear: number, dataset: OpenDataset): Promise<{ title: string; columns: { key: string; header: string; money?: boolean }[]; rows: Record<string, CellValue>[] }> {
    await this.years(fundYear);
    const city = await this.region(CITY_CODE);
    const names = async (codes: string[]) => new Map((await this.regions.byCodes([...new Set(codes)])).map((r) => [r.code, r.name]));
    if (dataset === 'allocations') {
      const money = await this.moneyUnder(fundYear, city.path);
      const nm = await names(money.flatMap((m) => m.path.split('/').slice(1)));
      return {
        title: '社区专项资金分配',
        columns: [
          { key: 'community_code', header: '社区代码' }, { key: 'community_name', header: '社区' }, { key: 'street_name', header: '街道' }, { key: 'district_name', header: '区县' },
          { key: 'allocated_fen', header: '分配金额', money: true }, { key: 'committed_fen', header: '合同占用', money: true }, { key: 'paid_fen', header: '已拨付', money: true }, { key: 'available_fen', header: '可用余额', money: true },
        ],
        rows: money.map((m) => {
          const [, d, s] = m.path.split('/');
          return { community_code: m.code, community_name: nm.get(m.code) ?? m.code, street_name: nm.get(s!) ?? '', district_name: nm.get(d!) ?? '', allocated_fen: m.figures.allocated, committed_fen: m.figures.committed, paid_fen: m.figures.paid, available_fen: m.figures.available };
        }),
      };
    }
    if (dataset === 'projects') {
      const plans = (await this.plans.plansUnder(city.path, fundYear)).filter((p) => p.status === 'filed');
      const nm = await names(plans.flatMap((p) => p.projects.flatMap((x) => x.communityCodes)));
      return {
        title: '已备案项目',
        columns: [
          { key: 'project_id', header: '项目编号' }, { key: 'plan_id', header: '方案编号' }, { key: 'plan_title', header: '使用方案' }, { key: 'community_codes', header: '服务社区代码' }, { key: 'community_names', header: '服务社区' },
          { key: 'title', header: '项目名称' }, { key: 'catalogue_code', header: '目录编码' }, { key: 'category', header: '类别' }, { key: 'budget_fen', header: '预算', money: true }, { key: 'filed_on', header: '备案日期' }, { key: 'filing_level', header: '备案机关' },
        ],
        rows: plans.flatMap((p) => p.projects.map((x) => ({
          project_id: x.id, plan_id: p.id, plan_title: p.title, community_codes: x.communityCodes.join(';'), community_names: x.communityCodes.map((c) => nm.get(c) ?? c).join(';'),
          title: x.title, catalogue_code: x.catalogueCode, category: x.category, budget_fen: x.budgetFen, filed_on: p.filedOn, filing_level: p.filingLevel,
        }))),
      };
    }
    if (dataset === 'notices') {
      const overview = await this.decisions.overviewUnder(CITY_CODE, { fundYear });
      const codes = [...new Set(overview.map((d) => d.communityCode))].sort();
      const nm = await names(codes);
      const rows: Record<string, CellValue>[] = [];
      for (const code of codes) {
        for (const n of (await this.decisions.publicNoticesOf(code)).filter((x) => x.fundYear === fundYear).sort((a, b) => a.id - b.id)) {
          rows.push({ notice_id: n.id, community_code: code, community_name: nm.get(code) ?? code, round: n.round, posted_on: n.postedOn, window_end: n.windowEnd, status: n.status, objectors: n.objectors, objectors_needed: n.objectorsNeeded, projects: n.projects.length, total_budget_fen: n.totalBudgetFen, url: `/n/${n.id}` });
        }
      }
      return {
        title: '决策公示',
        columns: [
          { key: 'notice_id', header: '公示编号' }, { key: 'community_code', header: '社区代码' }, { key: 'community_name', header: '社区' }, { key: 'round', header: '轮次' }, { key: 'posted_on', header: '公示日期' }, { key: 'window_end', header: '公示截止' },
          { key: 'status', header: '状态' }, { key: 'objectors', header: '异议人数' }, { key: 'objectors_needed', header: '中止所需人数' }, { key: 'projects', header: '项目数' }, { key: 'total_budget_fen', header: '预算合计', money: true }, { key: 'url', header: '公示页面' },
        ],
        rows,
      };
    }
    if (dataset === 'evaluations') {
      const plans = (await this.plans.plansUnder(city.path, fundYear)).filter((p) => p.status === 'filed');
      const projects = plans.flatMap((p) => p.projects);
      const grades = this.grades ? await this.grades.source.gradesOf(this.db, projects.map((x) => x.id), fundYear) : [];
      const nm = await names(projects.flatMap((x) => x.communityCodes));
      return {
        title: '项目评估等次',
        columns: [
          { key: 'project_id', header: '项目编号' }, { key: 'title', header: '项目名称' }, { key: 'community_codes', header: '服务社区代码' }, { key: 'community_names', header: '服务社区' },
          { key: 'stage', header: '评估阶段' }, { key: 'grade', header: '等次' },
        ],
        rows: grades.filter((g) => g.grade).sort((a, b) => a.planProjectId - b.planProjectId || a.kind.localeCompare(b.kind)).map((g) => {
          const x = projects.find((p) => p.id === g.planProjectId)!;
          return { project_id: x.id, title: x.title, community_codes: x.communityCodes.join(';'), community_names: x.communityCodes.map((c) => nm.get(c) ?? c).join(';'), stage: g.kind, grade: this.grades!.labels[g.grade!] ?? g.grade };
        }),
      };
    }
    const contracts = this.procurement ? await this.procurement.publicContracts({ pathPrefix: city.path, fundYear }) : [];
    const nm = await names(contracts.map((c) => c.communityCode));
    if (dataset === 'contracts') {
      return {
        title: '服务合同',
        columns: [
          { key: 'contract_id', header: '合同编号' }, { key: 'ref', header: '合同号' }, { key: 'community_code', header: '社区代码' }, { key: 'community_name', header: '社区' }, { key: 'title', header: '合同名称' },
          { key: 'provider_name', header: '承接主体' }, { key: 'provider_credit_code', header: '统一社会信用代码' }, { key: 'amount_fen', header: '合同金额', money: true }, { key: 'signed_on', header: '签订日期' },
          { key: 'starts_on', header: '开始日期' }, { key: 'ends_on', header: '结束日期' }, { key: 'status', header: '状态' }, { key: 'paid_fen', header: '已拨付', money: true }, { key: 'project_ids', header: '项目编号' },
        ],
        rows: contracts.map((c) => ({
          contract_id: c.id, ref: c.ref, community_code: c.communityCode, community_name: nm.get(c.communityCode) ?? c.communityCode, title: c.title, provider_name: c.provider?.name ?? '', provider_credit_code: c.provider?.creditCode ?? '',
          amount_fen: c.amountFen, signed_on: c.signedOn, starts_on: c.startsOn, ends_on: c.endsOn, status: c.status, paid_fen: c.instalments.filter((i) => i.status === 'paid').reduce((s, i) => s + i.amountFen, 0), project_ids: c.projectIds.join(';'),
        })),
      };
    }
    return {
      title: '资金拨付',
      columns: [
        { key: 'contract_ref', header: '合同号' }, { key: 'community_code', header: '社区代码' }, { key: 'community_name', header: '社区' }, { key: 'provider_name', header: '收款承接主体' },
        { key: 'instalment', header: '期次' }, { key: 'condition', header: '拨付条件' }, { key: 'amount_fen', header: '金额', money: true }, { key: 'paid_on', header: '拨付日期' }, { key: 'transfer_id', header: '账本流水号' },
      ],
      rows: contracts.flatMap((c) => c.instalments.filter((i) => i.status === 'paid').map((i) => ({
        contract_ref: c.ref, community_code: c.communityCode, community_name: nm.get(c.communityCode) ?? c.communityCode, provider_name: c.provider?.name ?? '', instalment: i.seq, condition: i.conditionLabel, amount_fen: i.amountFen, paid_on: i.paidOn, transfer_id: i.transferId,
      }))),
    };
  }

  /**
   * The fund year's contracts as an Open Contracting Data Standard 1.1 release package: one
   * release per contract with planning (the filed projects' budget), tender, award, contract and
   * implementation transactions (paid instalments). Amounts in yuan (CNY), as OCDS expects.
   */
  async ocdsPackage(fundYear: number, baseUrl: string) {
    await this.years(fundYear);
    const city = await this.region(CITY_CODE);
    const contracts = this.procurement ? await this.procurement.publicContracts({ pathPrefix: city.path, fundYear }) : [];
    const regionNames = new Map((await this.regions.byCodes([...new Set(contracts.flatMap((c) => [c.purchaserCode, c.communityCode]))])).map((r) => [r.code, r.name]));
    const plans = (await this.plans.plansUnder(city.path, fundYear)).filter((p) => p.status === 'filed');
    const projects = new Map(plans.flatMap((p) => p.projects.map((x) => [x.id, { ...x, planTitle: p.title, filedOn: p.filedOn }] as const)));
    const yuan = (fen: number) => Math.round(fen) / 100;
    const at = (d: string | null | undefined) => `${d ?? `${fundYear}-01-01`}T00:00:00+08:00`;
    const METHOD: Record<string, 'open' | 'selective' | 'limited' | 'direct'> = { public_tender: 'open', invited_tender: 'selective', competitive_negotiation: 'limited', competitive_consultation: 'limited', single_source: 'direct', inquiry: 'limited', small_direct: 'direct' };
    const releases = contracts.map((c) => {
      const ocid = `ocds-sf2101-${c.ref}`;
      const buyer = { id: `CN-DIV-${c.purchaserCode}`, name: `${regionNames.get(c.purchaserCode) ?? c.purchaserCode}${c.purchaserKind === 'street' ? '' : '居民委员会'}` };
      const supplier = c.provider ? { id: `CN-USCC-${c.provider.creditCode}`, name: c.provider.name } : null;
      const items = c.projectIds.map((id) => projects.get(id)).filter((x) => !!x);
      const paid = c.instalments.filter((i) => i.status === 'paid');
      const status = c.status === 'cancelled' ? 'cancelled' : c.status === 'completed' ? 'terminated' : 'active';
      return {
        ocid,
        id: `${ocid}-${c.status}-${paid.length}`,
        date: at(paid.map((i) => i.paidOn!).sort().at(-1) ?? c.signedOn),
        tag: ['planning', 'tender', 'award', 'contract', ...(paid.length ? ['implementation'] : [])],
        initiationType: 'tender',
        language: 'zh',
        parties: [
          { ...buyer, roles: ['buyer', 'procuringEntity', 'payer'] },
          ...(supplier ? [{ ...supplier, identifier: { scheme: 'CN-USCC', id: c.provider!.creditCode, legalName: c.provider!.name }, roles: ['supplier', 'payee'] }] : []),
        ],
        buyer,
        planning: {
          rationale: items.map((x) => x.planTitle).filter((v, i, a) => a.indexOf(v) === i).join('；') || c.title,
          budget: { description: '星级社区"以奖代补"专项资金', amount: { amount: yuan(items.reduce((s, x) => s + x.budgetFen, 0)), currency: 'CNY' } },
        },
        tender: {
          id: `${ocid}-tender`, title: c.title, status: 'complete',
          ...(c.procurementMethod ? { procurementMethod: METHOD[c.procurementMethod] ?? 'limited', procurementMethodDetails: c.procurementMethod } : {}),
          items: items.map((x) => ({ id: String(x.id), description: x.title, classification: { scheme: 'x_StarFundCatalogue', id: x.catalogueCode } })),
        },
        awards: [{ id: `${ocid}-award`, title: c.title, status: c.status === 'cancelled' ? 'cancelled' : 'active', date: at(c.signedOn), value: { amount: yuan(c.amountFen), currency: 'CNY' }, suppliers: supplier ? [supplier] : [] }],
        contracts: [{
          id: `${ocid}-contract`, awardID: `${ocid}-award`, title: c.title, status, dateSigned: at(c.signedOn),
          period: { startDate: at(c.startsOn), endDate: at(c.endsOn) },
          value: { amount: yuan(c.amountFen), currency: 'CNY' },
          implementation: {
            transactions: paid.map((i) => ({ id: i.transferId ?? `${ocid}-t${i.seq}`, source: `${baseUrl}/api/public/open-data/${fundYear}/payments.json`, date: at(i.paidOn), value: { amount: yuan(i.amountFen), currency: 'CNY' }, payer: buyer, ...(supplier ? { payee: supplier } : {}) })),
          },
        }],
      };
    });
    return {
      uri: `${baseUrl}/api/public/open-data/${fundYear}/ocds/release-package.json`,
      version: '1.1',
      publishedDate: `${this.today()}T00:00:00+08:00`,
      publisher: { name: '沈阳市民政局 StarFund' },
      license: 'https://creativecommons.org/licenses/by/4.0/',
      publicationPolicy: `${baseUrl}/portal/open-data`,
      releases,
    };
  }

  async openDataFile(fundYear: number, dataset: OpenDataset, format: OpenFormat): Promise<{ filename: string; contentType: string; body: string | Buffer }> {
    const table = await this.openDataTable(fundYear, dataset);
    const filename = `starfund-${fundYear}-${dataset}.${format}`;
    if (format === 'json') {
      return { filename, contentType: 'application/json; charset=utf-8', body: JSON.stringify({ dataset, fundYear, title: table.title, license: 'CC BY 4.0', moneyUnit: 'fen', columns: table.columns.map((c) => ({ key: c.key, header: c.header })), rows: table.rows }) };
    }
    if (format === 'csv') {
      return { filename, contentType: 'text/csv; charset=utf-8', body: buildCsv(table.columns.map((c) => c.key), table.rows.map((r) => table.columns.map((c) => r[c.key]))) };
    }
    const buffer = await buildWorkbook([{ name: table.title, columns: table.columns.map((c) => ({ header: c.header, key: c.key, width: 18, money: c.money })), rows: table.rows }]);
    return { filename, contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', body: buffer };
  }
}

function regionView(r: RegionSummary) {
  return { code: r.code, name: r.name, level: r.level, kind: r.kind, parentCode: r.parentCode, communityCount: r.communityCount };
}

function contractPublicView(c: PublicContract) {
  return {
    id: c.id, ref: c.ref, title: c.title, amountFen: c.amountFen, signedOn: c.signedOn, startsOn: c.startsOn, endsOn: c.endsOn, status: c.status,
    provider: c.provider ? { name: c.provider.name, kind: c.provider.kind, creditCode: c.provider.creditCode } : null,
    projectIds: c.projectIds,
    paidFen: c.instalments.filter((i) => i.status === 'paid').reduce((s, i) => s + i.amountFen, 0),
    instalments: c.instalments.map((i) => ({ seq: i.seq, conditionLabel: i.conditionLabel, amountFen: i.amountFen, status: i.status, paidOn: i.paidOn })),
    // [N 3.2] A 不合格 final evaluation voided the unpaid instalments; the rest went back to the community.
    remainderVoidedOn: c.remainderVoidedOn, remainderVoidReason: c.remainderVoidReason,
    releasedFen: c.remainderVoidedOn && c.status === 'completed' ? c.amountFen - c.instalments.filter((i) => i.status === 'paid').reduce((s, i) => s + i.amountFen, 0) : 0,
  };
}

