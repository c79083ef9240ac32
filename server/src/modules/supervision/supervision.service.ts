import type { Db, Executor } from '../../db/client.js';
import { todayInChina } from '../../common/dates.js';
import type { Now } from '../../common/clock.js';
import type { AuditService } from '../audit/audit.service.js';
import type { CalendarService } from '../calendar/calendar.service.js';
import type { PlansService } from '../plans/plans.service.js';
import type { PolicyService } from '../policy/policy.service.js';
import type { RatingsService } from '../ratings/ratings.service.js';
import type { RegionsService } from '../regions/regions.service.js';
import { SupervisionRepository } from './supervision.repository.js';
import { SupervisionContext } from './supervision.context.js';
import { FindingsService } from './supervision.findings.service.js';
import { SpotChecksService } from './supervision.spot-checks.service.js';
import { VisitsService } from './supervision.visits.service.js';
import type { FindingView } from './supervision.schemas.js';

export type { FindingInput, SpotCheckInput } from './supervision.schemas.js';

/**
 * Supervision [N 4.3], the module's outward service: the city bureau's spot checks (a sample drawn
 * from a published seed that anyone can redraw, `SpotChecksService`), street supervision visits
 * (`VisitsService`), findings with rectification deadlines in working days, the community's
 * response and closure (`FindingsService`).
 */
export class SupervisionService {
  private readonly repo = new SupervisionRepository();
  private readonly ctx: SupervisionContext;
  private readonly spotChecks: SpotChecksService;
  private readonly findings: FindingsService;
  private readonly visits: VisitsService;

  constructor(
    db: Db,
    audit: AuditService,
    regions: RegionsService,
    policy: PolicyService,
    calendar: CalendarService,
    ratings: RatingsService,
    plans: PlansService,
    private readonly clock: Now,
  ) {
    // The use cases read "now" through this service's clock.
    const now: Now = () => this.clock();
    this.ctx = new SupervisionContext(db, this.repo, audit, regions, calendar, now);
    this.spotChecks = new SpotChecksService(this.ctx, regions, policy, ratings, plans);
    this.findings = new FindingsService(this.ctx, regions);
    this.visits = new VisitsService(this.ctx, regions);
  }

  today(): string {
    return todayInChina(this.clock());
  }

  /**
   * The version the public spot checks are computed from (their ETag, http-cache.ts): the audit version
   * read on this service's own database handle, and today's date. One small read, before the answer is built.
   */
  async publicVersion(): Promise<string> {
    return `${await this.ctx.audit.version(this.ctx.db)}|${this.today()}`;
  }

  // ---------------------------------------------------------------- spot checks

  /** The population of a spot check: funded (rated) communities, or projects of filed plans, of the fund year. */
  population(...a: Parameters<SpotChecksService['population']>) {
    return this.spotChecks.population(...a);
  }
  createSpotCheck(...a: Parameters<SpotChecksService['createSpotCheck']>) {
    return this.spotChecks.createSpotCheck(...a);
  }
  listSpotChecks(...a: Parameters<SpotChecksService['listSpotChecks']>) {
    return this.spotChecks.listSpotChecks(...a);
  }
  getSpotCheck(...a: Parameters<SpotChecksService['getSpotCheck']>) {
    return this.spotChecks.getSpotCheck(...a);
  }
  publicSpotCheck(...a: Parameters<SpotChecksService['publicSpotCheck']>) {
    return this.spotChecks.publicSpotCheck(...a);
  }

  // ---------------------------------------------------------------- findings

  addSpotCheckFinding(...a: Parameters<FindingsService['addSpotCheckFinding']>) {
    return this.findings.addSpotCheckFinding(...a);
  }
  /** Findings not closed whose rectification deadline was computed through an unpublished calendar year (ADR 0009). */
  provisionalDueDates(...a: Parameters<FindingsService['provisionalDueDates']>) {
    return this.findings.provisionalDueDates(...a);
  }
  rescheduleDueDate(...a: Parameters<FindingsService['rescheduleDueDate']>) {
    return this.findings.rescheduleDueDate(...a);
  }
  listFindings(...a: Parameters<FindingsService['listFindings']>) {
    return this.findings.listFindings(...a);
  }
  respond(...a: Parameters<FindingsService['respond']>) {
    return this.findings.respond(...a);
  }
  close(...a: Parameters<FindingsService['close']>) {
    return this.findings.close(...a);
  }

  // ---------------------------------------------------------------- street visits

  createVisit(...a: Parameters<VisitsService['createVisit']>) {
    return this.visits.createVisit(...a);
  }
  listVisits(...a: Parameters<VisitsService['listVisits']>) {
    return this.visits.listVisits(...a);
  }

  // ---------------------------------------------------------------- for the dashboard

  async overdueFindings(db: Executor, pathPrefix: string): Promise<FindingView[]> {
    return this.ctx.findingViews(await this.repo.overdueFindings(db, pathPrefix, this.ctx.today()), db);
  }

  // ---------------------------------------------------------------- for the demo seed

  /** For the demo seed: a spot check as drawn, inside the seed's transaction. */
  async insertSpotCheckSeeded(tx: Executor, row: Parameters<SupervisionRepository['insertSpotCheck']>[1]) {
    return this.repo.insertSpotCheck(tx, row);
  }

  /** For the demo seed: a finding as recorded, inside the seed's transaction. */
  async insertFindingSeeded(tx: Executor, row: Parameters<SupervisionRepository['insertFinding']>[1]) {
    return this.repo.insertFinding(tx, row);
  }
}
