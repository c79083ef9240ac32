import { DomainError } from '../../common/errors.js';
import { ACCEPTED, refuse, unwrap, type Refusal, type Verdict } from '../../common/verdict.js';
import { reachesShare } from '../policy/policy.rules.js';
import type { PolicyDocument } from '../policy/policy.schemas.js';
import { daysBetween, isIsoDate } from '../../common/dates.js';
import { DECISION_CLAUSE } from './decisions.procedure.rules.js';

/** The refusal of a rule's error (same code, message, kind, clause, field and details). */
const refusal = (e: DomainError): Refusal =>
  refuse({ code: e.code, zh: e.messageZh, en: e.messageEn, kind: e.kind, clause: e.clause, field: e.field, details: e.details });

/**
 * Pure rules of the public notice and objections [N 3.1.2(1)]: the objection threshold, the
 * notice's status on a day, the objection window, paper objections by received date.
 */

/**
 * [N 3.1.2(1)] Objections from one fifth *or more* of the representatives void the decision
 * ([L] 民法典 §1259: "以上" includes the number itself), i.e. 5 × objectors ≥ representatives.
 */
export function objectionThresholdReached(
  policy: Pick<PolicyDocument, 'objectionShare'>,
  objectors: number,
  representatives: number,
): boolean {
  if (representatives <= 0) return false;
  return reachesShare(objectors, representatives, { ...policy.objectionShare, strict: false });
}

/** [N 3.1.2(1)] The smallest number of objectors that reaches the threshold, for the notice's display. */
export function objectorsNeeded(policy: Pick<PolicyDocument, 'objectionShare'>, representatives: number): number {
  const { numerator, denominator } = policy.objectionShare;
  return Math.ceil((representatives * numerator) / denominator);
}

export type NoticeStatus = 'open' | 'suspended' | 'voided' | 'closed';

/** [N 3.1.2(1)] The notice's status on a day: an open notice whose window has ended is closed (read lazily). */
export function noticeStatusOn(notice: { status: NoticeStatus; windowEnd: string }, today: string): NoticeStatus {
  return notice.status === 'open' && today > notice.windowEnd ? 'closed' : notice.status;
}

/** [N 3.1.2(1)] Days left to object, counting today: the last day of the window shows 1, a closed window 0. */
export function daysLeft(windowEnd: string, today: string): number {
  return today > windowEnd ? 0 : daysBetween(today, windowEnd) + 1;
}

/** [N 3.1.2(1)] Objections are taken from the posting day to the window's end, both included, on an open notice. */
export function objectionOpenVerdict(notice: { status: NoticeStatus; postedOn: string; windowEnd: string }, today: string): Verdict {
  if (notice.status === 'open' && today > notice.windowEnd) {
    return refusal(
      new DomainError(
        'OBJECTION_LATE',
        {
          zh: `公示期已于 ${notice.windowEnd} 届满，不再受理异议`,
          en: `The notice window ended on ${notice.windowEnd}; objections are no longer taken`,
        },
        { kind: 'rule', clause: DECISION_CLAUSE, details: { windowEnd: notice.windowEnd, today } },
      ),
    );
  }
  if (notice.status !== 'open') {
    return refusal(
      new DomainError(
        'NOTICE_NOT_OPEN',
        {
          zh: notice.status === 'suspended' ? '异议人数已达居民代表的五分之一，决议已中止，待重新表决' : '该公示已失效，请查看最新公示',
          en: `The notice is ${notice.status}`,
        },
        { kind: 'conflict', clause: DECISION_CLAUSE },
      ),
    );
  }
  if (today < notice.postedOn) {
    return refusal(
      new DomainError(
        'NOTICE_NOT_POSTED',
        { zh: `公示自 ${notice.postedOn} 起`, en: `The notice is posted on ${notice.postedOn}` },
        { kind: 'rule', clause: DECISION_CLAUSE },
      ),
    );
  }
  return ACCEPTED;
}

/** [N 3.1.2(1)] The objection window check, throwing the refusal as its DomainError. */
export function checkObjectionOpen(notice: { status: NoticeStatus; postedOn: string; windowEnd: string }, today: string): void {
  unwrap(objectionOpenVerdict(notice, today));
}

// ---- paper objections by received date (issue 16) ----

/**
 * [N 3.1.2(1)] A written objection counts by the day it was received, not the day it is typed in:
 * it must be received from the posting day to the window's end (both included), never after today,
 * and be entered at the latest on `entryUntil` (the window's end plus the policy's
 * `objectionEntryGraceWorkdays` working days). Only an open notice, or one that closed unobjected,
 * takes it; a suspended or voided notice does not.
 */
export function paperObjectionVerdict(
  notice: { status: NoticeStatus; postedOn: string; windowEnd: string },
  receivedOn: string,
  today: string,
  entryUntil: string,
): Verdict {
  if (notice.status === 'suspended' || notice.status === 'voided') {
    const open = objectionOpenVerdict(notice, today);
    if (!open.ok) return open;
  }
  const invalid = (code: string, zh: string, en: string, details: Record<string, string>) =>
    new DomainError(
      code,
      { zh: `字段 receivedOn 无效：${zh}`, en: `Field receivedOn is invalid: ${en}` },
      { kind: 'invalid', field: 'receivedOn', clause: DECISION_CLAUSE, details },
    );
  if (!isIsoDate(receivedOn))
    return refusal(invalid('INVALID_INPUT', `${receivedOn} 不是有效日期`, `${receivedOn} is not a valid date`, { receivedOn }));
  if (receivedOn > today) {
    return refusal(
      invalid('RECEIVED_IN_FUTURE', `收到日期 ${receivedOn} 晚于今天 ${today}`, `the received date ${receivedOn} is after today ${today}`, {
        receivedOn,
        today,
      }),
    );
  }
  if (receivedOn < notice.postedOn) {
    return refusal(
      invalid(
        'RECEIVED_BEFORE_NOTICE',
        `收到日期 ${receivedOn} 早于公示日 ${notice.postedOn}`,
        `the received date ${receivedOn} is before the notice was posted on ${notice.postedOn}`,
        { receivedOn, postedOn: notice.postedOn },
      ),
    );
  }
  if (receivedOn > notice.windowEnd) {
    return refusal(
      invalid(
        'RECEIVED_OUTSIDE_WINDOW',
        `收到日期 ${receivedOn} 不在公示期 ${notice.postedOn} 至 ${notice.windowEnd} 内，公示期满后收到的异议不计入`,
        `the received date ${receivedOn} is outside the notice window ${notice.postedOn}–${notice.windowEnd}`,
        { receivedOn, postedOn: notice.postedOn, windowEnd: notice.windowEnd },
      ),
    );
  }
  if (today > entryUntil) {
    return refusal(
      new DomainError(
        'OBJECTION_ENTRY_LATE',
        {
          zh: `字段 receivedOn 无效：书面异议的补录期限已于 ${entryUntil} 届满（公示期满 ${notice.windowEnd} 后的宽限工作日），不能再录入`,
          en: `Field receivedOn is invalid: paper objections could be entered until ${entryUntil} (the grace after the window ending ${notice.windowEnd})`,
        },
        {
          kind: 'rule',
          field: 'receivedOn',
          clause: DECISION_CLAUSE,
          details: { receivedOn, windowEnd: notice.windowEnd, entryUntil, today },
        },
      ),
    );
  }
  return ACCEPTED;
}

/** [N 3.1.2(1)] The paper objection check, throwing the refusal as its DomainError. */
export function checkPaperObjection(
  notice: { status: NoticeStatus; postedOn: string; windowEnd: string },
  receivedOn: string,
  today: string,
  entryUntil: string,
): void {
  unwrap(paperObjectionVerdict(notice, receivedOn, today, entryUntil));
}

/** [N 3.1.2(1)] An objection entered after the window's end (received inside it) is a late entry. */
export function enteredLate(notice: { windowEnd: string }, enteredOn: string): boolean {
  return enteredOn > notice.windowEnd;
}

/** [N 3.1.2(1)] The suspension's reason, shown on the decision (zh). */
export function suspendReasonOf(input: {
  objectors: number;
  representatives: number;
  share: { numerator: number; denominator: number };
  channel: 'online' | 'paper';
  receivedOn: string;
  enteredOn: string;
  windowEnd: string;
}): string {
  const threshold = `异议人数 ${input.objectors} 人达到居民代表 ${input.representatives} 人的 ${input.share.numerator}/${input.share.denominator}`;
  if (enteredLate(input, input.enteredOn)) {
    return `书面异议于公示期内 ${input.receivedOn} 收到、${input.enteredOn} 补录（公示期 ${input.windowEnd} 届满后的补录期内），按收到日期计入；${threshold}，决议自补录时起中止 ${DECISION_CLAUSE}`;
  }
  return `${threshold}，决议中止，待重新表决 ${DECISION_CLAUSE}`;
}
