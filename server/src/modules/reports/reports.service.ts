import type { Db, Executor } from '../../db/client.js';
import type { EvaluationKind } from '../evaluation/evaluation.schemas.js';
import { pathInScope, requirePermission, type Actor } from '../../common/access.js';
import { todayInChina } from '../../common/dates.js';
import type { Now } from '../../common/clock.js';
import { DomainError } from '../../common/errors.js';
import { VersionedCache } from '../../common/versioned-cache.js';
import { buildWorkbook } from '../../common/xlsx.js';
import type { AuditService } from '../audit/audit.service.js';
import type { DecisionsService } from '../decisions/decisions.service.js';
import type { EvaluationService } from '../evaluation/evaluation.service.js';
import { formatScore, GRADE_LABELS, KIND_LABELS } from '../evaluation/evaluation.rules.js';
import type { FundsService } from '../ledger/funds.service.js';
import type { NeedsService } from '../needs/needs.service.js';
import type { PlansService } from '../plans/plans.service.js';
import type { PolicyService } from '../policy/policy.service.js';
import type { ProcurementService } from '../procurement/procurement.service.js';
import type { RatingsService } from '../ratings/ratings.service.js';
import type { RegionsService } from '../regions/regions.service.js';
import type { SupervisionService } from '../supervision/supervision.service.js';
import { projectFlags, ReportsRepository, type FunnelRelations, type ReportRow } from './reports.repository.js';
import { compileFigures, REPORT_CLAUSE, type ReportFigures } from './reports.rules.js';
import type { DashboardView, ReportListView, ReportSummary, ReportView } from './reports.schemas.js';

const reportNotFound = () =>
  new DomainError('NOT_FOUND', { zh: '评估报告不存在或无权查看', en: 'Report not found' }, { kind: 'not_found' });
const STATUS_LABELS = { draft: '编写中', filed: '已报送', acknowledged: '市局已确认' } as const;
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

/**
 * District reports [N 3.2] compiled from evaluations and filed with the city bureau, and the city
 * dashboard: the funnel of every community through the procedure, money, overdue items, grades.
 */
export class ReportsService {
  private readonly repo = new ReportsRepository();

  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly regions: RegionsService,
    private readonly policy: PolicyService,
    private readonly ratings: RatingsService,
    private readonly needs: NeedsService,
    private readonly decisions: DecisionsService,
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

  // ---------------------------------------------------------------- district reports

  private async reportFor(actor: Actor, id: number, db: Executor = this.db, forUpdate = false) {
    requirePermission(actor, 'reports:read');
    const r = await this.repo.get(db, id, forUpdate);
    if (!r || !pathInScope(actor.scopePath, r.regionPath)) throw reportNotFound();
    // The city sees a district's report once it is filed; drafts are the district's own.
    if (r.status === 'draft' && !(actor.scopePath ?? '').includes('/')) throw reportNotFound();
    return r;
  }

  /** Compiled now from the district's filed projects and evaluations of the report's kind. */
  async compile(db: Executor, fundYear: number, kind: EvaluationKind, districtPath: string) {
    const [projects, data] = await Promise.all([
      this.plans.filedProjects(db, { regionPrefix: districtPath, fundYear }),
      this.evaluation.roundData(db, fundYear, kind, districtPath),
    ]);
    return {
      figures: compileFigures(projects, data.assignments),
      round: data.round ? { id: data.round.id, dueOn: data.round.dueOn, openedOn: data.round.openedOn } : null,
      assignments: data.assignments,
    };
  }

  async list(actor: Actor, filter: { fundYear?: number; kind?: EvaluationKind }): Promise<ReportListView> {
    requirePermission(actor, 'reports:read');
    if (!actor.scopePath) return { items: [] };
    const cityWide = !actor.scopePath.includes('/');
    const rows = await this.repo.list(this.db, {
      pathPrefix: actor.scopePath,
      fundYear: filter.fundYear,
      kind: filter.kind,
      status: cityWide ? ['filed', 'acknowledged'] : undefined,
    });
    const names = await this.regions.byCodes([...new Set(rows.map((r) => r.districtCode))]);
    return { items: rows.map((r) => this.summary(r, names.find((n) => n.code === r.districtCode)?.name ?? r.districtCode)) };
  }

  private summary(r: ReportRow, districtName: string): ReportSummary {
    return {
      id: r.id,
      fundYear: r.fundYear,
      kind: r.kind,
      kindLabel: KIND_LABELS[r.kind],
      districtCode: r.districtCode,
      districtName,
      status: r.status,
      statusLabel: STATUS_LABELS[r.status],
      filedOn: r.filedOn,
      acknowledgedOn: r.acknowledgedOn,
      acknowledgementNote: r.acknowledgementNote,
    };
  }

  async create(actor: Actor, input: { fundYear: number; kind: EvaluationKind; districtCode: string }): Promise<ReportView> {
    requirePermission(actor, 'reports:write');
    const district = await this.regions.requireInScope(actor, input.districtCode);
    if (district.level !== 'district')
      throw new DomainError(
        'NOT_A_DISTRICT',
        { zh: '评估报告按区（县、市）编写', en: 'Reports are per district' },
        { kind: 'invalid', field: 'districtCode' },
      );
    return this.db.transaction(async (tx) => {
      const row = await this.repo.insert(tx, {
        fundYear: input.fundYear,
        kind: input.kind,
        districtCode: district.code,
        regionPath: district.path,
      });
      if (!row)
        throw new DomainError(
          'REPORT_EXISTS',
          { zh: `${district.name} ${input.fundYear} 年度${KIND_LABELS[input.kind]}报告已存在`, en: 'The report already exists' },
          { kind: 'conflict', clause: REPORT_CLAUSE },
        );
      await this.audit.record(tx, actor, {
        action: 'report.create',
        entityType: 'district_report',
        entityId: String(row.id),
        after: { fundYear: row.fundYear, kind: row.kind, districtCode: row.districtCode },
      });
      return this.view(tx, row);
    });
  }

  async get(actor: Actor, id: number): Promise<ReportView> {
    return this.view(this.db, await this.reportFor(actor, id));
  }

  private async view(db: Executor, r: ReportRow): Promise<ReportView> {
    const district = (await this.regions.byCodes([r.districtCode], db))[0];
    const live = await this.compile(db, r.fundYear, r.kind, r.regionPath);
    const figures = (r.figures as ReportFigures | null) ?? live.figures;
    return {
      ...this.summary(r, district?.name ?? r.districtCode),
      narrative: r.narrative,
      round: live.round,
      figures,
      frozen: r.figures !== null,
      gradeLabels: GRADE_LABELS,
      assignments: live.assignments.map((a) => ({
        id: a.id,
        projectTitle: a.projectTitle,
        communityName: a.communityName,
        budgetFen: a.budgetFen,
        method: a.method,
        status: a.status,
        score: a.score,
        grade: a.grade,
        gradeLabel: a.gradeLabel,
        problems: a.problems,
      })),
    };
  }

  async update(actor: Actor, id: number, input: { narrative: string }): Promise<ReportView> {
    requirePermission(actor, 'reports:write');
    await this.reportFor(actor, id);
    return this.db.transaction(async (tx) => {
      const r = (await this.repo.get(tx, id, true))!;
      if (r.status !== 'draft')
        throw new DomainError('REPORT_FILED', { zh: '报告已报送，不能修改', en: 'The report is filed' }, { kind: 'conflict' });
      await this.repo.update(tx, id, { narrative: input.narrative });
      await this.audit.record(tx, actor, {
        action: 'report.edit',
        entityType: 'district_report',
        entityId: String(id),
        after: { narrativeLength: input.narrative.length },
      });
      return this.view(tx, (await this.repo.get(tx, id))!);
    });
  }

  /** Files the report with the city bureau: its figures are frozen as compiled at that moment. */
  async file(actor: Actor, id: number): Promise<ReportView> {
    requirePermission(actor, 'reports:write');
    await this.reportFor(actor, id);
    return this.db.transaction(async (tx) => {
      const r = (await this.repo.get(tx, id, true))!;
      if (r.status !== 'draft')
        throw new DomainError('REPORT_FILED', { zh: '报告已报送', en: 'The report is already filed' }, { kind: 'conflict' });
      if (!r.narrative.trim())
        throw new DomainError(
          'NARRATIVE_REQUIRED',
          { zh: '请先填写报告正文', en: 'Write the narrative first' },
          { kind: 'invalid', field: 'narrative', clause: REPORT_CLAUSE },
        );
      const { figures, round } = await this.compile(tx, r.fundYear, r.kind, r.regionPath);
      if (!round)
        throw new DomainError(
          'NO_ROUND',
          { zh: `本区尚未开展${KIND_LABELS[r.kind]}，不能报送报告`, en: 'No evaluation round of that kind yet' },
          { kind: 'rule', clause: REPORT_CLAUSE },
        );
      await this.repo.update(tx, id, { status: 'filed', figures, filedOn: this.today(), filedByUserId: actor.userId });
      await this.audit.record(tx, actor, {
        action: 'report.file',
        entityType: 'district_report',
        entityId: String(id),
        before: { status: 'draft' },
        after: { status: 'filed', concluded: figures.concluded, byGrade: figures.byGrade },
      });
      return this.view(tx, (await this.repo.get(tx, id))!);
    });
  }

  async acknowledge(actor: Actor, id: number, input: { note?: string }): Promise<ReportView> {
    requirePermission(actor, 'reports:acknowledge');
    await this.reportFor(actor, id);
    return this.db.transaction(async (tx) => {
      const r = (await this.repo.get(tx, id, true))!;
      if (r.status !== 'filed')
        throw new DomainError(
          'REPORT_NOT_FILED',
          { zh: '报告尚未报送或已确认', en: 'The report is not awaiting acknowledgement' },
          { kind: 'conflict' },
        );
      await this.repo.update(tx, id, { status: 'acknowledged', acknowledgedOn: this.today(), acknowledgementNote: input.note ?? '' });
      await this.audit.record(tx, actor, {
        action: 'report.acknowledge',
        entityType: 'district_report',
        entityId: String(id),
        before: { status: 'filed' },
        after: { status: 'acknowledged' },
      });
      return this.view(tx, (await this.repo.get(tx, id))!);
    });
  }

  async export(actor: Actor, id: number): Promise<{ filename: string; buffer: Buffer }> {
    const v = await this.get(actor, id);
    const f = v.figures;
    const summary = [
      ['区（县、市）', v.districtName],
      ['年度', v.fundYear],
      ['报告', v.kindLabel],
      ['状态', v.statusLabel],
      ['报送日期', v.filedOn ?? ''],
      ['备案项目数', f.projectsFiled],
      ['备案项目预算（元）', f.budgetFiledFen / 100],
      ['涉及社区数', f.communitiesFiled],
      ['安排评估项目数', f.assigned],
      ['第三方评估', f.thirdParty],
      ['评审会评估', f.reviewMeetings],
      ['已出具结论', f.concluded],
      ['未完成', f.outstanding],
      ['已评估项目预算（元）', f.budgetEvaluatedFen / 100],
      ['评估覆盖率（‰）', f.coveragePermille],
      ['服务覆盖人数', f.peopleCovered],
      ['平均得分', f.averageScoreBp === null ? '' : formatScore(f.averageScoreBp)],
      ['优秀', f.byGrade.excellent],
      ['良好', f.byGrade.good],
      ['合格', f.byGrade.pass],
      ['不合格', f.byGrade.fail],
      ['报告正文', v.narrative],
    ];
    const buffer = await buildWorkbook([
      {
        name: '汇总',
        columns: [
          { header: '项目', key: 'k', width: 24 },
          { header: '数值', key: 'v', width: 60 },
        ],
        rows: summary.map(([k, val]) => ({ k: String(k), v: val as string | number })),
      },
      {
        name: '评估明细',
        columns: [
          { header: '项目', key: 'title', width: 30 },
          { header: '社区', key: 'community', width: 20 },
          { header: '预算（元）', key: 'budget', money: true },
          { header: '方式', key: 'method' },
          { header: '得分', key: 'score' },
          { header: '等次', key: 'grade' },
          { header: '发现问题', key: 'problems', width: 40 },
        ],
        rows: v.assignments.map((a) => ({
          title: a.projectTitle,
          community: a.communityName,
          budget: a.budgetFen,
          method: a.method === 'third_party' ? '第三方评估' : '评审会',
          score: a.score ?? '',
          grade: a.gradeLabel ?? '未完成',
          problems: a.problems,
        })),
        totals: { title: '合计', budget: v.assignments.reduce((s, a) => s + a.budgetFen, 0) },
      },
    ]);
    return { filename: `${v.districtName}${v.fundYear}年度${v.kindLabel}报告.xlsx`, buffer };
  }

  /** For the demo seed: a report as filed, inside the seed's transaction. */
  async insertSeeded(tx: Executor, row: Parameters<ReportsRepository['insert']>[1]) {
    return this.repo.insert(tx, row);
  }

  // ---------------------------------------------------------------- city dashboard

  /**
   * Kept per caller visibility (role and scope: overdue reviews are the caller's own), region,
   * fund year and the dates of every clock the figures read; exact while the audit version stands.
   */
  readonly dashboardCache = new VersionedCache<DashboardView>(() => this.audit.version(), DASHBOARDS_KEPT);

  private readonly dashboardTexts = new WeakMap<object, string>();

  /** The dashboard as JSON text, serialized once per kept result rather than once per request. */
  async dashboardText(actor: Actor, query: { fundYear: number; code?: string }): Promise<string> {
    const value = await this.dashboard(actor, query);
    let text = this.dashboardTexts.get(value);
    if (text === undefined) {
      text = JSON.stringify(value);
      this.dashboardTexts.set(value, text);
    }
    return text;
  }

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

  /** Counted in the database: every module contributes an aggregate, never its rows one by one. */
  private async computeDashboard(
    actor: Actor,
    root: { code: string; name: string; level: string; path: string },
    fundYear: number,
  ): Promise<DashboardView> {
    const prefix = root.path;
    const policy = await this.policy.forYear(fundYear);
    const funnelOf: FunnelRelations = {
      rated: this.ratings.ratedRelation(policy.ratingYear, prefix),
      campaign: this.needs.campaignCommunities(fundYear),
      decided: this.decisions.decidedCommunities(fundYear),
      projectFacts: this.plans.filedCommunityFacts(
        fundYear,
        prefix,
        projectFlags(this.procurement.signedProjects(), this.evaluation.concludedProjects(fundYear)),
      ),
    };
    // Per-community lists only below the city; the city gets counts per district and step.
    const cityWide = root.level === 'city';
    const [listed, counted, types, gradeRows, money, overdueRounds, overdueFindings, overdueReviews] = await Promise.all([
      cityWide ? Promise.resolve([]) : this.repo.funnelCommunities(this.db, funnelOf),
      cityWide ? this.repo.funnelByDistrict(this.db, funnelOf) : Promise.resolve([]),
      this.plans.filedTypes(this.db, fundYear, prefix, this.procurement.liveContractLinks()),
      this.evaluation.gradeCounts(this.db, fundYear, prefix),
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
    const gradeSummary = (kind: EvaluationKind) => {
      const rows = gradeRows.filter((g) => g.kind === kind);
      const count = (grade: string) => rows.filter((g) => g.grade === grade).reduce((s, g) => s + g.n, 0);
      return {
        excellent: count('excellent'),
        good: count('good'),
        pass: count('pass'),
        fail: count('fail'),
        outstanding: rows.filter((g) => g.status !== 'concluded').reduce((s, g) => s + g.n, 0),
      };
    };
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
      money: { levels: money.levels, byDistrict: money.rows },
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
      grades: { midterm: gradeSummary('midterm'), final: gradeSummary('final') },
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
