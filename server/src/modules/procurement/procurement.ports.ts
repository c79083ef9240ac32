import type { Executor } from '../../db/client.js';
import type { EvaluationOutcome } from './procurement.rules.js';

// What the procurement module needs from other modules, declared here and passed at construction.

/** A plan project with its plan's status and region, as the plans service gives it. */
export interface PlanProjectInfo {
  projectId: number;
  planId: number;
  fundYear: number;
  communityCodes: string[];
  /** [N 2.3] Each served community's share of the budget (fen). */
  shares: { communityCode: string; shareFen: number }[];
  catalogueCode: string;
  title: string;
  budgetFen: number;
  status: string;
  regionPath: string;
}

/** What this module needs from the plans module (issue 6): `services.plans`. */
export interface PlanProjectSource {
  getProject(db: Executor, projectId: number): Promise<PlanProjectInfo | null | undefined>;
  filedProjects(db: Executor, filter: { communityCode?: string; regionPrefix?: string; fundYear?: number }): Promise<PlanProjectInfo[]>;
}

/**
 * [N 3.3] What the payment conditions need from the evaluation module: the mid-term and final
 * outcomes of a contract's projects. Declared here, provided by `services.evaluation`.
 */
export interface EvaluationOutcomes {
  outcomes(
    db: Executor,
    contract: { id: number; fundYear: number; projectIds: number[] },
  ): Promise<{ midterm: EvaluationOutcome; final: EvaluationOutcome }>;
}
