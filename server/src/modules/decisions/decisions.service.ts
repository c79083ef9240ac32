import type { SQL } from 'drizzle-orm';
import type { Db, Executor } from '../../db/client.js';
import type { Actor } from '../../common/access.js';
import type { Now } from '../../common/clock.js';
import type { ProvisionalDueDate } from '../calendar/due-dates.js';
import type { ComputedDate } from '../calendar/calendar.rules.js';
import type { AuditService } from '../audit/audit.service.js';
import type { CalendarService } from '../calendar/calendar.service.js';
import type { HouseholdsService } from '../households/households.service.js';
import type { NeedsService } from '../needs/needs.service.js';
import type { PolicyService } from '../policy/policy.service.js';
import type { RegionsService } from '../regions/regions.service.js';
import type { LedgerService } from '../ledger/ledger.service.js';
import type { RatingsService } from '../ratings/ratings.service.js';
import { DecisionsRepository, type NoticeRow } from './decisions.repository.js';
import { DecisionsContext } from './decisions.context.js';
import { DecisionProcedureService, type DecisionCreate, type StepInput } from './decisions.procedure.service.js';
import { DecisionVotesService, type VoteInput } from './decisions.votes.service.js';
import { DecisionReadingService } from './decisions.reading.service.js';
import { DecisionNoticesService, type ObjectionIdentity } from './decisions.notices.service.js';
import { DecisionReopenService, type PlansOfCommunityLock } from './decisions.reopen.service.js';

export type { DecisionCreate, ObjectionIdentity, StepInput, VoteInput };

/**
 * The democratic decision [N 3], the council's vote and the public notice with objections
 * [N 3.1.2(1)], as the routes and the other modules see it: composed of the use cases — the
 * procedure (decisions.procedure.service.ts), the vote
 * (decisions.votes.service.ts), reading (decisions.reading.service.ts) and notices with objections
 * (decisions.notices.service.ts). Each change of state is one transaction with its audit event.
 */
export class DecisionsService {
  private readonly repo = new DecisionsRepository();
  private readonly ctx: DecisionsContext;
  private readonly procedure: DecisionProcedureService;
  private readonly votes: DecisionVotesService;
  private readonly reading: DecisionReadingService;
  private readonly notices: DecisionNoticesService;
  private readonly reopening: DecisionReopenService;

  constructor(
    db: Db,
    audit: AuditService,
    regions: RegionsService,
    policy: PolicyService,
    calendar: CalendarService,
    households: HouseholdsService,
    needs: NeedsService,
    private readonly clock: Now,
    ledger: LedgerService,
    ratings: RatingsService,
  ) {
    // The use cases read the time through this service's clock.
    this.ctx = new DecisionsContext(
      db,
      this.repo,
      audit,
      regions,
      policy,
      calendar,
      households,
      needs,
      () => this.clock(),
      ledger,
      ratings,
    );
    this.reading = new DecisionReadingService(this.ctx);
    this.procedure = new DecisionProcedureService(this.ctx, this.reading);
    this.votes = new DecisionVotesService(this.ctx, this.reading);
    this.notices = new DecisionNoticesService(this.ctx);
    this.reopening = new DecisionReopenService(this.ctx, this.reading);
  }

  /** Wired by services.ts: the plans module's locked read of the plans holding a community (the reopen's guard). */
  usePlansOfCommunity(lock: PlansOfCommunityLock) {
    this.reopening.plansOfCommunity = lock;
  }

  /** [N 3.1.2(1)] The community reopens a concluded decision for more projects (issue 19). */
  reopen(actor: Actor, id: number, reason: string) {
    return this.reopening.reopen(actor, id, reason);
  }

  /** Today's date in China by the service's clock. */
  today(): string {
    return this.ctx.today();
  }

  /**
   * The version the public notices (countdown, objection count) are computed from (their ETag, http-cache.ts): the audit version
   * read on this service's own database handle, and today's date. One small read, before the answer is built.
   */
  async publicVersion(): Promise<string> {
    return `${await this.ctx.audit.version(this.ctx.db)}|${this.today()}`;
  }

  /** [N 3.1.2(1)] Representatives the objection threshold counts against: those in office on the day, else the profile. */
  representativesOf(db: Executor, communityCode: string, on: string): Promise<number> {
    return this.ctx.representativesOf(db, communityCode, on);
  }

  /** [N 3.1.2(1)] Until when a paper objection received in the window may be entered. */
  paperEntryUntil(notice: Pick<NoticeRow, 'windowEnd'>, fundYear: number, db?: Executor) {
    return this.ctx.paperEntryUntil(notice, fundYear, db);
  }

  // ---- procedure ----

  create(actor: Actor, input: DecisionCreate) {
    return this.procedure.create(actor, input);
  }

  recordStep(actor: Actor, id: number, input: StepInput) {
    return this.procedure.recordStep(actor, id, input);
  }

  vote(actor: Actor, id: number, input: VoteInput) {
    return this.votes.vote(actor, id, input);
  }

  revote(actor: Actor, id: number, input: VoteInput) {
    return this.votes.revote(actor, id, input);
  }

  get(actor: Actor, id: number) {
    return this.reading.get(actor, id);
  }

  list(actor: Actor, query: { communityCode?: string; fundYear?: number; status?: string; limit?: number; offset?: number }) {
    return this.reading.list(actor, query);
  }

  /** For the city dashboard: communities with a decision taken in the fund year, as a SQL relation (community_code). No access check. */
  decidedCommunities(fundYear: number): SQL {
    return this.reading.decidedCommunities(fundYear);
  }

  /** For the plans module (issue 6): decisions under a code prefix with their effective status and current notice. No access check. */
  overviewUnder(codePrefix: string, options: { fundYear?: number; today?: string } = {}, db?: Executor) {
    return this.reading.overviewUnder(codePrefix, options, db);
  }

  // ---- notices and objections ----

  provisionalDueDates(db: Executor): Promise<ProvisionalDueDate[]> {
    return this.notices.provisionalDueDates(db);
  }

  rescheduleDueDate(db: Executor, item: ProvisionalDueDate, due: ComputedDate) {
    return this.notices.rescheduleDueDate(db, item, due);
  }

  objectPublic(noticeId: number, identity: ObjectionIdentity, reason: string | null) {
    return this.notices.objectPublic(noticeId, identity, reason);
  }

  objectPaper(
    actor: Actor,
    noticeId: number,
    input: { householdNo: string; representativeName: string; reason?: string | null; receivedOn?: string },
  ) {
    return this.notices.objectPaper(actor, noticeId, input);
  }

  publicNotice(noticeId: number) {
    return this.notices.publicNotice(noticeId);
  }

  publicNoticesOf(communityCode: string) {
    return this.notices.publicNoticesOf(communityCode);
  }

  readyForReview(options: { codePrefix?: string; today?: string } = {}, db?: Executor) {
    return this.notices.readyForReview(options, db);
  }

  closeExpiredNotices(today?: string) {
    return this.notices.closeExpiredNotices(today);
  }
}
