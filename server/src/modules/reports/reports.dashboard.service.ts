import type { Db } from '../../db/client.js';
import { requirePermission, type Actor } from '../../common/access.js';
import { todayInChina } from '../../common/dates.js';
import type { Now } from '../../common/clock.js';
import { VersionedCache } from '../../common/versioned-cache.js';
import type { AuditService } from '../audit/audit.service.js';
import type { EvaluationService } from '../evaluation/evaluation.service.js';
import type { FundsService } from '../ledger/funds.service.js';
import type { PlansService } from '../plans/plans.service.js';
import type { PolicyService } from '../policy/policy.service.js';
import type { ProcurementService } from '../procurement/procurement.service.js';
import type { ProgressService } from '../progress/progress.service.js';
import type { RegionsService } from '../regions/regions.service.js';
import type { SupervisionService } from '../supervision/supervision.service.js';
import { DASHBOARD_DISTRICTS_PER_PAGE, type DashboardQuery as DashboardQuerySchema, type DashboardView } from './reports.schemas.js';
import type { Static } from 'typebox';

type DashboardQuery = Static<typeof DashboardQuerySchema>;

/** Dashboards kept: one per caller scope, region drilled into and fund year in use. */
const DASHBOARDS_KEPT = 256;

/** The steps of the funnel, in the order of the procedure (spec §4). */
export const FUNNEL_STEPS = [
  { key: 'allocated', label: '资金下达' },
  { key: 'needs', label: '需求征集' },
  { key: 'decided', label: '民主决策' },
  { key: 'filed', label: '方案备案' },
  { key: 'contracted', label: '签订合同' },
  { key: 'midterm', label: '中期评估' },
  { key: 'final', label: '终期评估' },
] as const;

/** The city dashboard: the funnel of every community through the procedure, money, overdue items, grades, open findings. */
export class DashboardService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly regions: RegionsService,
    private readonly policy: PolicyService,
    private readonly progress: ProgressService,
    private readonly plans: PlansService,
    private readonly procurement: ProcurementService,
    private readonly funds: FundsService,
    private readonly evaluation: EvaluationService,
    private readonly supervision: SupervisionService,
    private readonly clock: Now,
  ) {}

  today(): string {
    return todayInChina(this.clock());
  }

  /**
   * Kept per caller visibility (role and scope: overdue reviews are the caller's own), region,
   * fund year and the dates of every clock the figures read; exact while the audit version stands.
   */
  readonly dashboardCache = new VersionedCache<DashboardView>(() => this.audit.version(), DASHBOARDS_KEPT);

  private readonly dashboardTexts = new WeakMap<object, Map<string, string>>();

  /** The dashboard as JSON text, serialized once per kept result and page rather than once per request. */
  async dashboardText(actor: Actor, query: DashboardQuery): Promise<string> {
    const value = await this.dashboard(actor, { fundYear: query.fundYear, code: query.code });
    const page = pageOf(query);
    let texts = this.dashboardTexts.get(value);
    if (!texts) {
      texts = new Map();
      this.dashboardTexts.set(value, texts);
    }
    const pageKey = `${page.offset}:${page.limit}`;
    let text = texts.get(pageKey);
    if (text === undefined) {
      text = JSON.stringify(paged(value, page));
      texts.set(pageKey, text);
    }
    return text;
  }

  /** Every district of the scope (the kept result); callers send a page of it (`paged`). */
  async dashboard(actor: Actor, query: { fundYear: number; code?: string }): Promise<DashboardView> {
    requirePermission(actor, 'dashboard:read');
    const root = await this.regions.inScopePlain(actor, query.code || undefined);
    const key = JSON.stringify([
      actor.role,
      actor.scopePath,
      root.code,
      query.fundYear,
      this.today(),
      this.plans.today(),
      this.evaluation.today(),
      this.supervision.today(),
    ]);
    return this.dashboardCache.get(key, () => this.computeDashboard(actor, root, query.fundYear));
  }

  /**
   * Read from the progress rows (ADR 0023): one row per rated community, kept by the writers, so a
   * dashboard after a write groups those rows instead of joining every module's tables.
   */
  private async computeDashboard(
    actor: Actor,
    root: { code: string; name: string; level: string; path: string },
    fundYear: number,
  ): Promise<DashboardView> {
    const prefix = root.path;
    const policy = await this.policy.forYear(fundYear);
    // Per-community lists only below the city; the city gets counts per district and step.
    const cityWide = root.level === 'city';
    const [listed, counted, types, grades, money, overdueRounds, overdueFindings, overdueReviews] = await Promise.all([
      cityWide ? Promise.resolve([]) : this.progress.funnelCommunities(fundYear, prefix),
      cityWide ? this.progress.funnelByDistrict(fundYear, prefix) : Promise.resolve([]),
      this.plans.filedTypes(this.db, fundYear, prefix, this.procurement.liveContractLinks()),
      this.progress.gradeTotals(fundYear, prefix),
      this.funds.byStars(actor, fundYear, root.code),
      this.evaluation.overdueRounds(this.db, fundYear, prefix),
      this.supervision.overdueFindings(this.db, prefix),
      this.plans.overdueReviews(actor, fundYear),
    ]);
    const names = await this.regions.namesOf([
      ...counted.map((g) => g.districtCode),
      ...listed.flatMap((c) => [c.code, c.streetCode, c.districtCode]),
    ]);
    const nameOf = (code: string) => names.get(code)?.name ?? code;
    const orderOf = (code: string) => names.get(code)?.sortOrder ?? 0;
    const byCode = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    // Rated communities are listed by district order, then code.
    const communities = listed
      .sort((a, b) => orderOf(a.districtCode) - orderOf(b.districtCode) || byCode(a.code, b.code))
      .map((c) => ({
        code: c.code,
        name: nameOf(c.code),
        streetName: nameOf(c.streetCode),
        districtCode: c.districtCode,
        districtName: nameOf(c.districtCode),
        stars: c.stars,
        step: c.step,
      }));
    const groups = cityWide
      ? counted
      : communities.map((c) => ({ districtCode: c.districtCode, step: c.step, firstCode: c.code, communities: 1 }));
    // Districts as first met in that list: by district order, then their first community's code.
    const districts = new Map<string, { districtCode: string; districtName: string; firstCode: string; counts: number[] }>();
    for (const g of groups) {
      const d = districts.get(g.districtCode) ?? {
        districtCode: g.districtCode,
        districtName: nameOf(g.districtCode),
        firstCode: g.firstCode,
        counts: FUNNEL_STEPS.map(() => 0),
      };
      if (g.firstCode < d.firstCode) d.firstCode = g.firstCode;
      // A community at step s has passed every step up to s.
      for (let i = 0; i <= g.step; i++) d.counts[i]! += g.communities;
      districts.set(g.districtCode, d);
    }
    const byDistrict = [...districts.values()].sort(
      (a, b) => orderOf(a.districtCode) - orderOf(b.districtCode) || byCode(a.firstCode, b.firstCode),
    );
    const funnel = FUNNEL_STEPS.map((s, i) => ({ ...s, communities: byDistrict.reduce((n, d) => n + d.counts[i]!, 0) }));
    const catalogue = [...policy.catalogue.basic, ...policy.catalogue.enhancement];
    const byType = new Map<
      string,
      { catalogueCode: string; category: string; projects: number; budgetFen: number; contractedFen: number; first: number[] }
    >();
    for (const t of types) {
      const seen = byType.get(t.catalogueCode);
      if (!seen) {
        byType.set(t.catalogueCode, { ...t });
        continue;
      }
      // The type's category is its first listed project's; the contracted amount is per type.
      if (compareKeys(t.first, seen.first) < 0) Object.assign(seen, { category: t.category, first: t.first });
      seen.projects += t.projects;
      seen.budgetFen += t.budgetFen;
    }
    return {
      fundYear,
      region: { code: root.code, name: root.name, level: root.level },
      today: this.today(),
      funnel,
      byDistrict: byDistrict.map((d) => ({
        districtCode: d.districtCode,
        districtName: d.districtName,
        steps: FUNNEL_STEPS.map((s, i) => ({ key: s.key, communities: d.counts[i]! })),
      })),
      communities: communities.map((c) => ({ ...c, stepKey: FUNNEL_STEPS[c.step]!.key, stepLabel: FUNNEL_STEPS[c.step]!.label })),
      districtPage: { offset: 0, limit: byDistrict.length, total: byDistrict.length },
      money: { levels: money.levels, total: sumFigures(money.rows.map((r) => r.total)), byDistrict: money.rows },
      byType: [...byType.values()]
        .map((t) => ({
          catalogueCode: t.catalogueCode,
          category: t.category,
          projects: t.projects,
          budgetFen: t.budgetFen,
          contractedFen: t.contractedFen,
          name: catalogue.find((c) => c.code === t.catalogueCode)?.name ?? t.catalogueCode,
        }))
        .sort((a, b) => a.catalogueCode.localeCompare(b.catalogueCode)),
      grades,
      overdue: {
        reviews: overdueReviews.map((p) => ({ id: p.id, title: p.title, reviewDueOn: p.reviewDueOn, link: `/plans/${p.id}` })),
        evaluationRounds: overdueRounds.map((r) => ({
          id: r.id,
          districtName: r.districtName,
          kindLabel: r.kindLabel,
          dueOn: r.dueOn,
          outstanding: r.counts.outstanding,
          link: `/evaluations/rounds/${r.id}`,
        })),
        findings: overdueFindings.map((f) => ({
          id: f.id,
          communityName: f.communityName,
          deadlineOn: f.deadlineOn,
          description: f.description,
          link: f.spotCheckId ? `/supervision/spot-checks/${f.spotCheckId}` : '/supervision/visits',
        })),
      },
    };
  }
}

/** Lexicographic order of (plan id, sort order, project id) keys. */
function compareKeys(a: number[], b: number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

function pageOf(query: { districtOffset?: number; districtLimit?: number }) {
  return { offset: query.districtOffset ?? 0, limit: query.districtLimit ?? DASHBOARD_DISTRICTS_PER_PAGE };
}

/**
 * One page of districts (in the order of byDistrict) in both district lists; the funnel, the
 * money total and everything else are the whole scope's. Keeps a national dashboard small.
 */
export function paged(view: DashboardView, page: { offset: number; limit: number }): DashboardView {
  const byDistrict = view.byDistrict.slice(page.offset, page.offset + page.limit);
  const codes = new Set(byDistrict.map((d) => d.districtCode));
  return {
    ...view,
    byDistrict,
    districtPage: { offset: page.offset, limit: page.limit, total: view.byDistrict.length },
    money: { ...view.money, byDistrict: view.money.byDistrict.filter((d) => codes.has(d.districtCode)) },
  };
}

function sumFigures(rows: { allocated: number; committed: number; paid: number; available: number }[]) {
  const total = { allocated: 0, committed: 0, paid: 0, available: 0 };
  for (const r of rows) {
    total.allocated += r.allocated;
    total.committed += r.committed;
    total.paid += r.paid;
    total.available += r.available;
  }
  return total;
}
