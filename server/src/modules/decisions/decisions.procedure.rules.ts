import { DomainError } from '../../common/errors.js';
import { ACCEPTED, refuse, unwrap, type Refusal, type Verdict } from '../../common/verdict.js';
import { reachesShare } from '../policy/policy.rules.js';
import type { PolicyDocument } from '../policy/policy.schemas.js';

/** The refusal of a rule's error (same code, message, kind, clause, field and details). */
const refusal = (e: DomainError): Refusal =>
  refuse({ code: e.code, zh: e.messageZh, en: e.messageEn, kind: e.kind, clause: e.clause, field: e.field, details: e.details });

/**
 * Pure rules of the democratic decision's procedure ([N 3], [N 3.1.2(1)]): the order of the
 * major-matters procedure, the bodies, attendance and dates, the council's quorum and pass rule.
 * Numbers come from the fund year's policy; nothing here reads a literal share.
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

/** [N 3] The steps of a procedure, in order. */
export function stepsOf(kind: ProcedureKind): readonly ProcedureStep[] {
  return kind === 'major' ? MAJOR_PROCEDURE_STEPS : SIMPLIFIED_PROCEDURE_STEPS;
}

/** [N 3] The step that must be recorded next, or null when the procedure is complete. */
export function nextStep(kind: ProcedureKind, done: readonly ProcedureStep[]): ProcedureStep | null {
  const steps = stepsOf(kind);
  for (let i = 0; i < done.length; i++) {
    if (done[i] !== steps[i]) throw new RangeError(`recorded steps are out of order at ${i}: ${done[i]}`);
  }
  return steps[done.length] ?? null;
}

/** [N 3] Refuses a step recorded out of order, naming the one that is due. */
export function stepOrderVerdict(kind: ProcedureKind, done: readonly ProcedureStep[], step: ProcedureStep): Verdict {
  const due = nextStep(kind, done);
  if (due === null) {
    return refusal(
      new DomainError(
        'PROCEDURE_COMPLETE',
        { zh: '议事程序已完成，不能再添加步骤', en: 'The procedure is already complete' },
        { kind: 'conflict', clause: '[N 3]' },
      ),
    );
  }
  if (step !== due) {
    return refusal(
      new DomainError(
        'PROCEDURE_OUT_OF_ORDER',
        { zh: `应先完成"${STEP_LABELS[due]}"，再进行"${STEP_LABELS[step]}"`, en: `The next step is ${due}, not ${step}` },
        { kind: 'rule', clause: '[N 3]', details: { due, step } },
      ),
    );
  }
  return ACCEPTED;
}

/** [N 3] The order check, throwing the refusal as its DomainError. */
export function assertStepInOrder(kind: ProcedureKind, done: readonly ProcedureStep[], step: ProcedureStep): void {
  unwrap(stepOrderVerdict(kind, done, step));
}

/** [N 3] The simplified procedure is only for internal matters, and never for an enhancement project. */
export function simplifiedVerdict(
  projects: readonly { name: string; category: 'basic' | 'enhancement'; internalMatter: boolean }[],
): Verdict {
  const enhancement = projects.find((p) => p.category === 'enhancement');
  if (enhancement) {
    return refusal(
      new DomainError(
        'SIMPLIFIED_NOT_ALLOWED',
        {
          zh: `提升类项目"${enhancement.name}"必须履行重大事项决策程序，不得适用简易程序`,
          en: `Enhancement project "${enhancement.name}" must take the major-matters procedure`,
        },
        { kind: 'rule', clause: '[N 3]' },
      ),
    );
  }
  const external = projects.find((p) => !p.internalMatter);
  if (external) {
    return refusal(
      new DomainError(
        'SIMPLIFIED_NOT_ALLOWED',
        { zh: `项目"${external.name}"不属于内部事务，不得适用简易程序`, en: `Project "${external.name}" is not an internal matter` },
        { kind: 'rule', clause: '[N 3]' },
      ),
    );
  }
  return ACCEPTED;
}

/** [N 3] The simplified-procedure check, throwing the refusal as its DomainError. */
export function checkSimplifiedAllowed(
  projects: readonly { name: string; category: 'basic' | 'enhancement'; internalMatter: boolean }[],
): void {
  unwrap(simplifiedVerdict(projects));
}

export interface Attendance {
  members: number;
  present: number;
}

/** [N 3.1.2(1)] [L] Quorum of the council: the policy's share of its members present (过半数 by default). */
export function quorumMet(policy: Pick<PolicyDocument, 'councilQuorum'>, attendance: Attendance): boolean {
  return attendance.members > 0 && reachesShare(attendance.present, attendance.members, policy.councilQuorum);
}

export interface Votes {
  for: number;
  against: number;
  abstain: number;
}

/** [N 3.1.2(1)] The vote counts of a project: whole numbers, together not above those present. */
export function votesVerdict(votes: Votes, present: number, project = ''): Verdict {
  for (const [k, v] of Object.entries(votes)) {
    if (!Number.isInteger(v) || v < 0)
      return refusal(
        new DomainError(
          'INVALID_VOTES',
          { zh: `票数无效：${k}`, en: `Invalid vote count: ${k}` },
          { kind: 'invalid', field: `votes.${k}` },
        ),
      );
  }
  if (votes.for + votes.against + votes.abstain > present) {
    return refusal(
      new DomainError(
        'VOTES_EXCEED_PRESENT',
        { zh: `${project}赞成、反对、弃权票合计超过实到人数 ${present}`, en: `${project} votes exceed the ${present} members present` },
        { kind: 'rule', clause: '[N 3.1.2(1)]' },
      ),
    );
  }
  return ACCEPTED;
}

/** [N 3.1.2(1)] The vote count check, throwing the refusal as its DomainError. */
export function checkVotes(votes: Votes, present: number, project = ''): void {
  unwrap(votesVerdict(votes, present, project));
}

/** [N 3.1.2(1)] [L] A project passes with the policy's share of those present (过半数 by default). */
export function projectPasses(policy: Pick<PolicyDocument, 'councilPass'>, votes: Votes, present: number): boolean {
  return present > 0 && reachesShare(votes.for, present, policy.councilPass);
}

// ---- the decisive vote (issue 5) ----

export const DECISION_CLAUSE = '[N 3.1.2(1)]';
export const PROCEDURE_CLAUSE = '[N 3]';

/** Who takes the decisive vote: the council, a residents' or a representatives' meeting; the committees under the simplified procedure. */
export const DECISION_BODIES = ['council', 'residents_meeting', 'representatives_meeting', 'committees'] as const;
export type DecisionBody = (typeof DECISION_BODIES)[number];
export const BODY_LABELS: Record<DecisionBody, string> = {
  council: '居民议事会',
  residents_meeting: '居民会议',
  representatives_meeting: '居民代表会议',
  committees: '社区"两委"会议',
};

/** The retaken vote after objections: by the council or by a representatives' meeting [N 3.1.2(1)]. */
export const REVOTE_STEP = 'objection_revote';
/** [N 3.1.2(1)] The council's new round after the community reopened a concluded decision for more projects (issue 19). */
export const REOPEN_STEP = 'reopen_revote';
export const REVOTE_BODIES = ['council', 'representatives_meeting'] as const satisfies readonly DecisionBody[];

/** [N 3] The procedure's decisive step: the last one. */
export function decisiveStep(kind: ProcedureKind): ProcedureStep {
  const steps = stepsOf(kind);
  return steps[steps.length - 1]!;
}

/** [N 3] The bodies that may take the decisive step of a procedure. */
export function bodyVerdict(kind: ProcedureKind, body: DecisionBody): Verdict {
  const ok = kind === 'simplified' ? body === 'committees' : body !== 'committees';
  if (!ok) {
    return refusal(
      new DomainError(
        'BODY_NOT_ALLOWED',
        kind === 'simplified'
          ? { zh: '简易程序由社区"两委"会议决定', en: 'Under the simplified procedure the committees decide' }
          : {
              zh: `重大事项须由居民议事会、居民会议或居民代表会议决议，不能由${BODY_LABELS[body]}决定`,
              en: `The major-matters procedure is decided by the council, a residents' or representatives' meeting, not by ${body}`,
            },
        { kind: 'rule', clause: PROCEDURE_CLAUSE, field: 'body' },
      ),
    );
  }
  return ACCEPTED;
}

/** [N 3] The decisive body check, throwing the refusal as its DomainError. */
export function checkBodyFor(kind: ProcedureKind, body: DecisionBody): void {
  unwrap(bodyVerdict(kind, body));
}

/** [N 2.1] A project's category from the year's catalogue: basic items are mandatory, the rest enhancement. */
export function categoryOf(policy: Pick<PolicyDocument, 'catalogue'>, catalogueCode: string): 'basic' | 'enhancement' {
  return policy.catalogue.basic.some((c) => c.code === catalogueCode) ? 'basic' : 'enhancement';
}

/** [N 3.1.2(1)] Attendance 应到/实到: whole numbers, present never above expected. */
export function attendanceVerdict(expected: number, present: number): Verdict {
  if (!Number.isInteger(expected) || expected < 0)
    return refusal(
      new DomainError(
        'INVALID_INPUT',
        { zh: '字段 expectedAttendance 无效：应到人数须为非负整数', en: 'Field expectedAttendance is invalid' },
        { kind: 'invalid', field: 'expectedAttendance' },
      ),
    );
  if (!Number.isInteger(present) || present < 0 || present > expected) {
    return refusal(
      new DomainError(
        'INVALID_INPUT',
        {
          zh: `字段 actualAttendance 无效：实到人数须在 0 到应到人数 ${expected} 之间`,
          en: `Field actualAttendance is invalid: must be between 0 and the ${expected} expected`,
        },
        { kind: 'invalid', field: 'actualAttendance' },
      ),
    );
  }
  return ACCEPTED;
}

/** [N 3.1.2(1)] The attendance check, throwing the refusal as its DomainError. */
export function checkAttendance(expected: number, present: number): void {
  unwrap(attendanceVerdict(expected, present));
}

/** [N 3] Steps happen in time order and never in the future (China date). */
export function stepDateVerdict(heldOn: string, previous: string | null, today: string): Verdict {
  if (heldOn > today) {
    return refusal(
      new DomainError(
        'INVALID_INPUT',
        { zh: `字段 heldOn 无效：会议日期 ${heldOn} 晚于今天 ${today}`, en: `Field heldOn is invalid: ${heldOn} is after today ${today}` },
        { kind: 'invalid', field: 'heldOn' },
      ),
    );
  }
  if (previous && heldOn < previous) {
    return refusal(
      new DomainError(
        'STEP_DATE_BEFORE_PREVIOUS',
        {
          zh: `会议日期 ${heldOn} 早于上一步骤的日期 ${previous}，程序须依次进行`,
          en: `${heldOn} is before the previous step's date ${previous}`,
        },
        { kind: 'rule', clause: PROCEDURE_CLAUSE, field: 'heldOn' },
      ),
    );
  }
  return ACCEPTED;
}

/** [N 3] The step date check, throwing the refusal as its DomainError. */
export function checkStepDate(heldOn: string, previous: string | null, today: string): void {
  unwrap(stepDateVerdict(heldOn, previous, today));
}
