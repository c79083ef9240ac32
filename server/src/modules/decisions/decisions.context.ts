import type { Db, Executor } from '../../db/client.js';
import { requirePermission, type Actor, type Permission } from '../../common/access.js';
import { todayInChina } from '../../common/dates.js';
import type { Now } from '../../common/clock.js';
import { DomainError, notFoundOrHidden, notFound } from '../../common/errors.js';
import type { AuditService } from '../audit/audit.service.js';
import type { CalendarService } from '../calendar/calendar.service.js';
import type { HouseholdsService } from '../households/households.service.js';
import type { NeedsService } from '../needs/needs.service.js';
import type { PolicyService } from '../policy/policy.service.js';
import type { RegionsService } from '../regions/regions.service.js';
import type { LedgerService } from '../ledger/ledger.service.js';
import type { RatingsService } from '../ratings/ratings.service.js';
import type { DecisionRow, DecisionsRepository, NoticeRow, StepRow } from './decisions.repository.js';
import {
  daysLeft,
  noticeStatusOn,
  PROCEDURE_CLAUSE,
  REOPEN_STEP,
  REVOTE_STEP,
  STEP_LABELS,
  stepsOf,
  type DecisionBody,
  type ProcedureKind,
  type ProcedureStep,
} from './decisions.rules.js';
import type { NoticeCoreView } from './decisions.schemas.js';

export const STEP_NAMES: Record<string, string> = {
  ...STEP_LABELS,
  [REVOTE_STEP]: '针对异议重新表决',
  [REOPEN_STEP]: '重新提交议事会表决（增补项目）',
};
export const decisionNotFound = () => notFoundOrHidden({ zh: '决策记录', en: 'Decision' });

/** Steps that count toward the order: approved preparatory steps and decisive votes of the procedure. */
export function doneSteps(kind: ProcedureKind, steps: StepRow[]): ProcedureStep[] {
  const own = new Set<string>(stepsOf(kind));
  return steps.filter((s) => own.has(s.step) && s.outcome !== 'returned').map((s) => s.step as ProcedureStep);
}

/** A step or the decisive vote is recorded only while the procedure is in progress. */
export function requireInProgress(d: DecisionRow) {
  if (d.status !== 'in_progress') {
    throw new DomainError(
      'PROCEDURE_COMPLETE',
      { zh: '决议已作出，议事程序不能再添加步骤', en: 'The decision has been taken; the procedure is complete' },
      { kind: 'conflict', clause: PROCEDURE_CLAUSE },
    );
  }
}
export const noticeNotFound = () => notFound({ zh: '公示', en: 'Notice' });

/** What the use cases of the decision share: the modules they read, the decision in scope, rosters, and the notice as read on a day. */
export class DecisionsContext {
  constructor(
    readonly db: Db,
    readonly repo: DecisionsRepository,
    readonly audit: AuditService,
    readonly regions: RegionsService,
    readonly policy: PolicyService,
    readonly calendar: CalendarService,
    readonly households: HouseholdsService,
    readonly needs: NeedsService,
    private readonly clock: Now,
    readonly ledger: LedgerService,
    readonly ratings: RatingsService,
  ) {}

  /**
   * [N 1] The community's allocation for the fund year: what is posted to its account, else (not
   * yet allocated) the amount of its star tier in the year's policy (0 when unrated).
   */
  async allocationOf(db: Executor, communityCode: string, fundYear: number) {
    const [account, policy, community] = await Promise.all([
      this.ledger.communityAccount(db, fundYear, communityCode),
      this.policy.forYear(fundYear, db),
      this.regions.find(communityCode, db),
    ]);
    const rated = community ? await this.ratings.ratingsUnder(db, policy.ratingYear, community.path) : [];
    const stars = rated.find((r) => r.communityCode === communityCode)?.stars ?? null;
    if (account && account.creditsPosted > 0) return { allocationFen: account.creditsPosted, stars, allocated: true };
    return { allocationFen: policy.tiers.find((t) => t.stars === stars)?.amountFen ?? 0, stars, allocated: false };
  }

  now(): Date {
    return this.clock();
  }

  /** Today's date in China by the service's clock. */
  today(): string {
    return todayInChina(this.clock());
  }

  async scoped(actor: Actor, id: number, permission: Permission) {
    requirePermission(actor, permission);
    const found = await this.repo.decision(this.db, id);
    if (!found) throw decisionNotFound();
    const community = await this.regions.requireInScope(actor, found.communityCode).catch(() => {
      throw decisionNotFound();
    });
    return { decision: found, community };
  }

  /**
   * [N 3.1.2(1)] The roster of a body as it stood on a day (ADR 0013): the terms in office on the
   * meeting date when the community has ever had terms on that body, else the profile's count.
   */
  async rosterOf(db: Executor, communityCode: string, body: DecisionBody, on: string) {
    if (body !== 'council' && body !== 'representatives_meeting') return { members: null, count: null };
    const roster = await this.households.terms.rosterOn(db, communityCode, body === 'council' ? 'council_member' : 'representative', on);
    if (roster.hasTerms) {
      const members = roster.members.map((t) => ({ householdId: t.householdId, householdNo: t.householdNo ?? '', name: t.personName }));
      return { members, count: members.length };
    }
    const profile = await this.regions.profileOf(communityCode, db);
    return { members: null, count: (body === 'council' ? profile?.councilMembers : profile?.representatives) ?? 0 };
  }

  /** [N 3.1.2(1)] Representatives the objection threshold counts against: those in office on the posting day, else the profile. */
  async representativesOf(db: Executor, communityCode: string, on: string): Promise<number> {
    return (await this.rosterOf(db, communityCode, 'representatives_meeting', on)).count ?? 0;
  }

  /** [N 3.1.2(1)] Until when a paper objection received in the window may be entered: the window's end plus the policy's grace in working days. */
  async paperEntryUntil(notice: Pick<NoticeRow, 'windowEnd'>, fundYear: number, db: Executor = this.db) {
    const policy = await this.policy.forYear(fundYear, db);
    return this.calendar.addWorkdaysDetailed(notice.windowEnd, policy.objectionEntryGraceWorkdays, db);
  }

  noticeView(n: NoticeRow, objectors: number, today: string): NoticeCoreView {
    const status = noticeStatusOn(n, today);
    return {
      id: n.id,
      round: n.round,
      postedOn: n.postedOn,
      windowEnd: n.windowEnd,
      windowEndProvisional: n.windowEndProvisional,
      status,
      daysLeft: status === 'open' ? daysLeft(n.windowEnd, today) : 0,
      projects: n.projects,
      totalBudgetFen: n.projects.reduce((s, p) => s + p.estimatedBudgetFen, 0),
      representatives: n.representatives,
      objectorsNeeded: n.objectorsNeeded,
      objectors,
      suspendedAt: n.suspendedAt ? n.suspendedAt.toISOString() : null,
      suspendReason: n.suspendReason ?? null,
    };
  }

  /** The decision's status on a day: a notice whose window ended unobjected makes it ready for review. */
  effectiveStatus(d: DecisionRow, current: NoticeRow | undefined, today: string): DecisionRow['status'] {
    if (d.status === 'noticed' && current && noticeStatusOn(current, today) === 'closed') return 'ready_for_review';
    return d.status;
  }
}
