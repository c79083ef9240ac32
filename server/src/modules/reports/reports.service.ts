import type { Db, Executor } from '../../db/client.js';
import type { EvaluationKind } from '../evaluation/evaluation.schemas.js';
import type { Actor } from '../../common/access.js';
import { todayInChina } from '../../common/dates.js';
import type { Now } from '../../common/clock.js';
import type { AuditService } from '../audit/audit.service.js';
import type { EvaluationService } from '../evaluation/evaluation.service.js';
import type { FundsService } from '../ledger/funds.service.js';
import type { PlansService } from '../plans/plans.service.js';
import type { PolicyService } from '../policy/policy.service.js';
import type { ProcurementService } from '../procurement/procurement.service.js';
import type { ProgressService } from '../progress/progress.service.js';
import type { RegionsService } from '../regions/regions.service.js';
import type { SupervisionService } from '../supervision/supervision.service.js';
import { ReportsRepository } from './reports.repository.js';
import { ReportsContext } from './reports.context.js';
import { DashboardService } from './reports.dashboard.service.js';
import { ReportExportService } from './reports.export.service.js';
import { ReportFilingService } from './reports.filing.service.js';

export { FUNNEL_STEPS } from './reports.dashboard.service.js';

/**
 * District reports [N 3.2] compiled from evaluations (`ReportsContext.compile`), drafted, filed with
 * the city bureau and acknowledged (`ReportFilingService`), exported as workbooks
 * (`ReportExportService`), and the city dashboard (`DashboardService`): the funnel of every
 * community through the procedure, money, overdue items, grades. The module's outward service.
 */
export class ReportsService {
  private readonly repo = new ReportsRepository();
  private readonly ctx: ReportsContext;
  private readonly filing: ReportFilingService;
  private readonly exporter: ReportExportService;
  private readonly dashboards: DashboardService;

  constructor(
    db: Db,
    audit: AuditService,
    regions: RegionsService,
    policy: PolicyService,
    progress: ProgressService,
    plans: PlansService,
    procurement: ProcurementService,
    funds: FundsService,
    evaluation: EvaluationService,
    supervision: SupervisionService,
    private readonly clock: Now,
  ) {
    // The use cases read "now" through this service's clock.
    const now: Now = () => this.clock();
    this.ctx = new ReportsContext(db, this.repo, audit, regions, plans, evaluation, now);
    this.filing = new ReportFilingService(this.ctx, regions);
    this.exporter = new ReportExportService(this.filing);
    this.dashboards = new DashboardService(db, audit, regions, policy, progress, plans, procurement, funds, evaluation, supervision, now);
  }

  today(): string {
    return todayInChina(this.clock());
  }

  // ---------------------------------------------------------------- district reports

  /** Compiled now from the district's filed projects and evaluations of the report's kind. */
  compile(db: Executor, fundYear: number, kind: EvaluationKind, districtPath: string) {
    return this.ctx.compile(db, fundYear, kind, districtPath);
  }
  list(...a: Parameters<ReportFilingService['list']>) {
    return this.filing.list(...a);
  }
  create(...a: Parameters<ReportFilingService['create']>) {
    return this.filing.create(...a);
  }
  get(...a: Parameters<ReportFilingService['get']>) {
    return this.filing.get(...a);
  }
  update(...a: Parameters<ReportFilingService['update']>) {
    return this.filing.update(...a);
  }
  /** Files the report with the city bureau: its figures are frozen as compiled at that moment. */
  file(...a: Parameters<ReportFilingService['file']>) {
    return this.filing.file(...a);
  }
  acknowledge(...a: Parameters<ReportFilingService['acknowledge']>) {
    return this.filing.acknowledge(...a);
  }
  export(actor: Actor, id: number) {
    return this.exporter.export(actor, id);
  }

  /** For the demo seed: a report as filed, inside the seed's transaction. */
  async insertSeeded(tx: Executor, row: Parameters<ReportsRepository['insert']>[1]) {
    return this.repo.insert(tx, row);
  }

  // ---------------------------------------------------------------- city dashboard

  /** Dashboards kept per caller visibility, region, fund year and dates (see `DashboardService`). */
  get dashboardCache() {
    return this.dashboards.dashboardCache;
  }
  dashboardText(...a: Parameters<DashboardService['dashboardText']>) {
    return this.dashboards.dashboardText(...a);
  }
  dashboard(...a: Parameters<DashboardService['dashboard']>) {
    return this.dashboards.dashboard(...a);
  }
}
