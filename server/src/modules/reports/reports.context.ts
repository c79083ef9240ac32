import type { Db, Executor } from '../../db/client.js';
import type { EvaluationKind } from '../evaluation/evaluation.schemas.js';
import { pathInScope, requirePermission, type Actor } from '../../common/access.js';
import { todayInChina } from '../../common/dates.js';
import type { Now } from '../../common/clock.js';
import { notFoundOrHidden } from '../../common/errors.js';
import type { AuditService } from '../audit/audit.service.js';
import type { EvaluationService } from '../evaluation/evaluation.service.js';
import { GRADE_LABELS, KIND_LABELS } from '../evaluation/evaluation.rules.js';
import type { PlansService } from '../plans/plans.service.js';
import type { RegionsService } from '../regions/regions.service.js';
import type { ReportsRepository, ReportRow } from './reports.repository.js';
import { compileFigures, type ReportFigures } from './reports.rules.js';
import type { ReportSummary, ReportView } from './reports.schemas.js';

const reportNotFound = () => notFoundOrHidden({ zh: '评估报告', en: 'Report' });
const STATUS_LABELS = { draft: '编写中', filed: '已报送', acknowledged: '市局已确认' } as const;

/** What the district report use cases share [N 3.2]: the report in scope, its figures compiled from evaluations, its view. */
export class ReportsContext {
  constructor(
    readonly db: Db,
    readonly repo: ReportsRepository,
    readonly audit: AuditService,
    private readonly regions: RegionsService,
    private readonly plans: PlansService,
    private readonly evaluation: EvaluationService,
    private readonly clock: Now,
  ) {}

  today(): string {
    return todayInChina(this.clock());
  }

  async reportFor(actor: Actor, id: number, db: Executor = this.db, forUpdate = false) {
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

  summary(r: ReportRow, districtName: string): ReportSummary {
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

  async view(db: Executor, r: ReportRow): Promise<ReportView> {
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
}
