import { DomainError } from '../../shared/errors.js';
import { reachesShare } from '../policy/policy.rules.js';
import type { PolicyDocument } from '../policy/policy.schema.js';

/**
 * Pure rules of the democratic decision ([N 3], [N 3.1.2(1)]): the order of the major-matters
 * procedure, the council's quorum and pass rule, and the objection threshold. Numbers come from
 * the fund year's policy; nothing here reads a literal share.
 */

/** The major-matters procedure ("4+2"): each step in this order [N 3]. */
export const MAJOR_PROCEDURE_STEPS = [
  'party_proposal', // 社区党组织提议
  'committees_discussion', // 社区"两委"会议商议
  'party_members_review', // 党员大会审议
  'street_party_audit', // 街道党工委审核
  'resident_decision', // 居民议事会、居民会议或居民代表会议决议
] as const;

/** Internal matters may be decided by the committees and then published [N 3]. */
export const SIMPLIFIED_PROCEDURE_STEPS = ['committees_decision'] as const;

export type ProcedureKind = 'major' | 'simplified';
export type ProcedureStep = (typeof MAJOR_PROCEDURE_STEPS)[number] | (typeof SIMPLIFIED_PROCEDURE_STEPS)[number];

export const STEP_LABELS: Record<ProcedureStep, string> = {
  party_proposal: '社区党组织提议',
  committees_discussion: '社区"两委"会议商议',
  party_members_review: '党员大会审议',
  street_party_audit: '街道党工委审核',
  resident_decision: '居民议事会（居民会议、居民代表会议）决议',
  committees_decision: '社区"两委"决定（内部事务简易程序）',
};

export function stepsOf(kind: ProcedureKind): readonly ProcedureStep[] {
  return kind === 'major' ? MAJOR_PROCEDURE_STEPS : SIMPLIFIED_PROCEDURE_STEPS;
}

/** The step that must be recorded next, or null when the procedure is complete. */
export function nextStep(kind: ProcedureKind, done: readonly ProcedureStep[]): ProcedureStep | null {
  const steps = stepsOf(kind);
  for (let i = 0; i < done.length; i++) {
    if (done[i] !== steps[i]) throw new RangeError(`recorded steps are out of order at ${i}: ${done[i]}`);
  }
  return steps[done.length] ?? null;
}

/** Refuses a step recorded out of order, naming the one that is due. */
export function assertStepInOrder(kind: ProcedureKind, done: readonly ProcedureStep[], step: ProcedureStep): void {
  const due = nextStep(kind, done);
  if (due === null) {
    throw new DomainError('PROCEDURE_COMPLETE', { zh: '议事程序已完成，不能再添加步骤', en: 'The procedure is already complete' }, { kind: 'conflict', clause: '[N 3]' });
  }
  if (step !== due) {
    throw new DomainError(
      'PROCEDURE_OUT_OF_ORDER',
      { zh: `应先完成"${STEP_LABELS[due]}"，再进行"${STEP_LABELS[step]}"`, en: `The next step is ${due}, not ${step}` },
      { kind: 'rule', clause: '[N 3]', details: { due, step } },
    );
  }
}

/** The simplified procedure is only for internal matters, and never for an enhancement project [N 3]. */
export function checkSimplifiedAllowed(projects: readonly { name: string; category: 'basic' | 'enhancement'; internalMatter: boolean }[]): void {
  const enhancement = projects.find((p) => p.category === 'enhancement');
  if (enhancement) {
    throw new DomainError(
      'SIMPLIFIED_NOT_ALLOWED',
      { zh: `提升类项目"${enhancement.name}"必须履行重大事项决策程序，不得适用简易程序`, en: `Enhancement project "${enhancement.name}" must take the major-matters procedure` },
      { kind: 'rule', clause: '[N 3]' },
    );
  }
  const external = projects.find((p) => !p.internalMatter);
  if (external) {
    throw new DomainError(
      'SIMPLIFIED_NOT_ALLOWED',
      { zh: `项目"${external.name}"不属于内部事务，不得适用简易程序`, en: `Project "${external.name}" is not an internal matter` },
      { kind: 'rule', clause: '[N 3]' },
    );
  }
}

export interface Attendance {
  members: number;
  present: number;
}

/** [L] Quorum of the council: the policy's share of its members present (过半数 by default). */
export function quorumMet(policy: Pick<PolicyDocument, 'councilQuorum'>, attendance: Attendance): boolean {
  return attendance.members > 0 && reachesShare(attendance.present, attendance.members, policy.councilQuorum);
}

export interface Votes {
  for: number;
  against: number;
  abstain: number;
}

export function checkVotes(votes: Votes, present: number, project = ''): void {
  for (const [k, v] of Object.entries(votes)) {
    if (!Number.isInteger(v) || v < 0) throw new DomainError('INVALID_VOTES', { zh: `票数无效：${k}`, en: `Invalid vote count: ${k}` }, { kind: 'invalid', field: `votes.${k}` });
  }
  if (votes.for + votes.against + votes.abstain > present) {
    throw new DomainError(
      'VOTES_EXCEED_PRESENT',
      { zh: `${project}赞成、反对、弃权票合计超过实到人数 ${present}`, en: `${project} votes exceed the ${present} members present` },
      { kind: 'rule', clause: '[N 3.1.2(1)]' },
    );
  }
}

/** [L] A project passes with the policy's share of those present (过半数 by default). */
export function projectPasses(policy: Pick<PolicyDocument, 'councilPass'>, votes: Votes, present: number): boolean {
  return present > 0 && reachesShare(votes.for, present, policy.councilPass);
}

/**
 * [N 3.1.2(1)] Objections from one fifth *or more* of the representatives void the decision
 * ([L] 民法典 §1259: "以上" includes the number itself), i.e. 5 × objectors ≥ representatives.
 */
export function objectionThresholdReached(policy: Pick<PolicyDocument, 'objectionShare'>, objectors: number, representatives: number): boolean {
  if (representatives <= 0) return false;
  return reachesShare(objectors, representatives, { ...policy.objectionShare, strict: false });
}

/** The smallest number of objectors that reaches the threshold, for the notice's display. */
export function objectorsNeeded(policy: Pick<PolicyDocument, 'objectionShare'>, representatives: number): number {
  const { numerator, denominator } = policy.objectionShare;
  return Math.ceil((representatives * numerator) / denominator);
}
