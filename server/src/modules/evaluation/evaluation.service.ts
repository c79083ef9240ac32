import type { SQL } from 'drizzle-orm';
import type { Db, Executor } from '../../db/client.js';
import type { EvaluationKind } from '../../db/schema/evaluation.js';
import type { Actor } from '../../common/access.js';
import { todayInChina } from '../../common/dates.js';
import type { Now } from '../../common/clock.js';
import type { AuditService } from '../audit/audit.service.js';
import type { LedgerService } from '../ledger/ledger.service.js';
import type { PlansService } from '../plans/plans.service.js';
import type { PolicyService } from '../policy/policy.service.js';
import type { EvaluationOutcomes } from '../procurement/procurement.service.js';
import type { RemainderVoidView } from '../procurement/procurement.schemas.js';
import type { RegionsService } from '../regions/regions.service.js';
import { EvaluationRepository } from './evaluation.repository.js';
import { EvaluationViews } from './evaluation.views.js';
import { EvaluationContext } from './evaluation.context.js';
import { EvaluationFeesService } from './evaluation.fees.service.js';
import { EvaluationRoundsService } from './evaluation.rounds.service.js';
import { EvaluationScoringService } from './evaluation.scoring.service.js';
import { countdown, outcomeOf } from './evaluation.rules.js';

/**
 * What a concluded evaluation does to contracts and providers [N 3.2], as this module needs it from
 * the procurement module (provided by its `EvaluationConsequencesService`), inside this module's transaction.
 */
export interface ContractConsequences {
  providersOfProjects(db: Executor, projectIds: number[]): Promise<{ providerId: number }[]>;
  recordIneligibility(
    tx: Executor,
    input: { providerId: number; year: number; reason: string; source: 'final_evaluation'; sourceRef: string },
    actor: Actor,
  ): Promise<unknown>;
  voidRemainderAfterFailedEvaluation(
    tx: Executor,
    input: { planProjectId: number; reason: string; sourceRef: string; on: string },
    actor: Actor,
  ): Promise<RemainderVoidView[]>;
}

/**
 * Evaluation [N 3.2], the module's outward service: mid-term and final rounds per district and fund
 * year, each project assigned to a third-party evaluator or a review meeting (`EvaluationRoundsService`),
 * scored on the policy's weighted rubric and graded (`EvaluationScoringService`). The grades feed
 * payment conditions and next year's provider eligibility (procurement service), and the district
 * reports. Fees go to the non-fund evaluation-fee account [N 3.12] (`EvaluationFeesService`).
 */
export class EvaluationService implements EvaluationOutcomes {
  private readonly repo = new EvaluationRepository();
  private readonly ctx: EvaluationContext;
  private readonly rounds: EvaluationRoundsService;
  private readonly scoring: EvaluationScoringService;
  private readonly fees: EvaluationFeesService;

  constructor(
    db: Db,
    audit: AuditService,
    regions: RegionsService,
    policy: PolicyService,
    plans: PlansService,
    ledger: LedgerService,
    contracts: ContractConsequences,
    private readonly clock: Now,
  ) {
    // The use cases and views read "now" through this service's clock.
    const now: Now = () => this.clock();
    const views = new EvaluationViews(regions, policy, plans, now);
    this.ctx = new EvaluationContext(db, this.repo, audit, views, now);
    this.rounds = new EvaluationRoundsService(this.ctx, regions, policy, plans);
    this.scoring = new EvaluationScoringService(this.ctx, policy, contracts);
    this.fees = new EvaluationFeesService(this.ctx, regions, ledger);
  }

  today(): string {
    return todayInChina(this.clock());
  }

  // ---------------------------------------------------------------- rounds and assignment
  orgs(...a: Parameters<EvaluationRoundsService['orgs']>) {
    return this.rounds.orgs(...a);
  }
  listRounds(...a: Parameters<EvaluationRoundsService['listRounds']>) {
    return this.rounds.listRounds(...a);
  }
  openRound(...a: Parameters<EvaluationRoundsService['openRound']>) {
    return this.rounds.openRound(...a);
  }
  roundsToOpen(actor: Actor) {
    return this.rounds.roundsToOpen(actor);
  }
  getRound(...a: Parameters<EvaluationRoundsService['getRound']>) {
    return this.rounds.getRound(...a);
  }
  assign(...a: Parameters<EvaluationRoundsService['assign']>) {
    return this.rounds.assign(...a);
  }
  listAssignments(...a: Parameters<EvaluationRoundsService['listAssignments']>) {
    return this.rounds.listAssignments(...a);
  }
  getAssignment(...a: Parameters<EvaluationRoundsService['getAssignment']>) {
    return this.rounds.getAssignment(...a);
  }

  // ---------------------------------------------------------------- scoring and conclusion
  addEvidence(...a: Parameters<EvaluationScoringService['addEvidence']>) {
    return this.scoring.addEvidence(...a);
  }
  conclude(...a: Parameters<EvaluationScoringService['conclude']>) {
    return this.scoring.conclude(...a);
  }

  // ---------------------------------------------------------------- fees [N 3.12]
  recordFee(...a: Parameters<EvaluationFeesService['recordFee']>) {
    return this.fees.recordFee(...a);
  }

  // ---------------------------------------------------------------- for other modules

  /** [N 3.3] For the procurement service: the mid-term and final outcomes of a contract's projects. */
  async outcomes(db: Executor, contract: { id: number; fundYear: number; projectIds: number[] }) {
    const rows = await this.repo.gradesOf(db, contract.projectIds, contract.fundYear);
    const byKind = (kind: EvaluationKind) => new Map(rows.filter((x) => x.kind === kind).map((x) => [x.planProjectId, x.grade]));
    return { midterm: outcomeOf(contract.projectIds, byKind('midterm')), final: outcomeOf(contract.projectIds, byKind('final')) };
  }

  /** For district reports: rounds and assignments of a district, year and kind. No access check. */
  async roundData(db: Executor, fundYear: number, kind: EvaluationKind, districtPath: string) {
    const rounds = (await this.repo.rounds(db, { pathPrefix: districtPath, fundYear, kind })).filter((r) => r.regionPath === districtPath);
    const assignments = await this.repo.assignments(db, { roundIds: rounds.map((r) => r.id) });
    return { round: rounds[0] ?? null, assignments: await this.ctx.views.assignmentViews(db, assignments, rounds) };
  }

  /** For the dashboard: grade counts by kind under a region (SQL aggregate). No access check. */
  async gradeCounts(db: Executor, fundYear: number, pathPrefix: string) {
    return this.repo.gradeCounts(db, fundYear, pathPrefix);
  }

  /** For the portal and payment conditions: concluded grades of projects by kind. No access check. */
  async gradesOf(db: Executor, projectIds: number[], fundYear?: number) {
    return this.repo.gradesOf(db, projectIds, fundYear);
  }

  /** [N 3.2] For the year opening: the fund year's concluded final evaluations graded 不合格. No access check. */
  async failedFinals(db: Executor, fundYear: number) {
    return this.repo.failedFinals(db, fundYear);
  }

  /** For the dashboard: projects with a concluded evaluation in the fund year, as a SQL relation (plan_project_id, kind). No access check. */
  concludedProjects(fundYear: number): SQL {
    return this.repo.concludedProjectsRelation(fundYear);
  }

  /**
   * For the dashboard: open rounds under a region that are overdue, their assignments under the
   * region counted in SQL. Only an open round past its due date can be overdue, so only those
   * are counted. No access check.
   */
  async overdueRounds(db: Executor, fundYear: number, pathPrefix: string) {
    const today = this.today();
    const due = (await this.repo.rounds(db, { pathPrefix, fundYear })).filter(
      (r) => r.status === 'open' && countdown(today, r.dueOn, true).overdue,
    );
    const counts = await this.repo.assignmentCounts(
      db,
      due.map((r) => r.id),
      pathPrefix,
    );
    return (await this.ctx.views.roundViewsOf(due, counts, db)).filter((r) => r.overdue);
  }
}
