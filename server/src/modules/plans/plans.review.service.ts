import type { Executor } from '../../db/client.js';
import type { ReturnReason } from '../../db/schema/plans.js';
import { requirePermission, type Actor } from '../../common/access.js';
import { DomainError, invalidField } from '../../common/errors.js';
import type { ProvisionalDueDate } from '../calendar/due-dates.js';
import type { ComputedDate } from '../calendar/calendar.rules.js';
import type { AuditService } from '../audit/audit.service.js';
import { filingLevelOf, RULE_CLAUSES, returnStepOf, type RuleId } from './plans.rules.js';
import { FILING_CLAUSE, REVIEW_CLAUSE, wrongStatus, type PlanContext } from './plans.context.js';
import type { FilingInput, PlanView, ReviewInput } from './plans.schemas.js';

/** The dashboard lists overdue reviews from one page of the plan list (its largest page). */
const OVERDUE_REVIEWS_SHOWN = 500;

/**
 * The street's preliminary review [N 3.1.2(2)] and filing with the district or city bureau
 * [N 2.3]: approve or file, or return with reasons tied to the rules and the step to redo.
 */
export class PlanReviewService {
  constructor(
    private readonly ctx: PlanContext,
    private readonly audit: AuditService,
    /** The plan as the caller sees it after a decision. */
    private readonly planOf: (actor: Actor, id: number) => Promise<PlanView>,
  ) {}

  /** [N 3.1.2(2)] The due date of a street review: `reviewWorkdays` working days after submission. */
  async reviewDueDate(submittedOn: string, fundYear: number, db: Executor = this.ctx.db) {
    return (await this.ctx.reviewDueDateDetailed(submittedOn, fundYear, db)).date;
  }

  /** [N 3.1.2(2)] Plans under review whose due date was computed through an unpublished calendar year. */
  async provisionalDueDates(db: Executor): Promise<ProvisionalDueDate[]> {
    const rows = await this.ctx.repo.provisionalReviews(db);
    const out: ProvisionalDueDate[] = [];
    for (const r of rows) {
      if (!r.submittedOn || !r.reviewDueOn) continue;
      const policy = await this.ctx.deps.policy.forYear(r.fundYear, db);
      out.push({
        kind: 'plan_review',
        id: r.id,
        title: r.title,
        regionPath: r.regionPath,
        from: r.submittedOn,
        rule: 'workdays',
        days: policy.reviewWorkdays,
        dueOn: r.reviewDueOn,
        link: `/plans/${r.id}`,
      });
    }
    return out;
  }

  async rescheduleDueDate(db: Executor, item: ProvisionalDueDate, due: ComputedDate) {
    await this.ctx.repo.updatePlan(db, item.id, { reviewDueOn: due.date, reviewDueProvisional: due.provisional });
  }

  /**
   * For the dashboard: the caller's plans of the fund year whose street review is overdue, by due
   * date (at most 500, the page the dashboard has always shown).
   */
  async overdueReviews(actor: Actor, fundYear: number) {
    requirePermission(actor, 'plans:read');
    return this.ctx.scopedPlans(actor, {
      fundYear,
      status: ['submitted'],
      reviewDueBefore: this.ctx.today(),
      limit: OVERDUE_REVIEWS_SHOWN,
    });
  }

  private reasonsOf(reasons: ReviewInput['reasons']): ReturnReason[] {
    const list = reasons ?? [];
    if (!list.length) throw invalidField('reasons', '退回须写明理由', 'a return states its reasons');
    return list.map((r) => ({ rule: r.rule, clause: r.rule === 'other' ? REVIEW_CLAUSE : RULE_CLAUSES[r.rule], note: r.note.trim() }));
  }

  /** [N 3.1.2(2)] The street office approves, or returns with reasons tied to rules and the step to redo. */
  async review(actor: Actor, id: number, input: ReviewInput): Promise<PlanView> {
    const { db, repo } = this.ctx;
    requirePermission(actor, 'plans:review');
    const today = this.ctx.today();
    await db.transaction(async (tx) => {
      const { plan: p, members } = await this.ctx.scoped(actor, id, 'plans:review', tx, true);
      if (p.status !== 'submitted') throw wrongStatus(p.status, { zh: '初审', en: 'review it' });
      if (input.outcome === 'approve') {
        const policy = await this.ctx.deps.policy.forYear(p.fundYear, tx);
        const street = (await this.ctx.deps.regions.byCodes([p.streetCode], tx))[0]!;
        const rated = await this.ctx.deps.ratings.ratingsUnder(tx, policy.ratingYear, street.path);
        const filingLevel = filingLevelOf(members.map((c) => rated.find((r) => r.communityCode === c)?.stars ?? null));
        await repo.insertReview(tx, {
          planId: id,
          round: p.round,
          stage: 'street',
          outcome: 'approved',
          decidedOn: today,
          reasons: [],
          comment: input.comment?.trim() ?? '',
          reviewerUserId: actor.userId,
        });
        await repo.updatePlan(tx, id, { status: 'approved', approvedOn: today, filingLevel });
        await this.audit.record(tx, actor, {
          action: 'plan.review.approve',
          entityType: 'plan',
          entityId: String(id),
          regionPath: p.regionPath,
          before: { status: p.status },
          after: { status: 'approved', filingLevel, late: !!p.reviewDueOn && today > p.reviewDueOn },
        });
      } else {
        const reasons = this.reasonsOf(input.reasons);
        const step = input.returnStep ?? returnStepOf(reasons.filter((r) => r.rule !== 'other').map((r) => r.rule as RuleId));
        await repo.insertReview(tx, {
          planId: id,
          round: p.round,
          stage: 'street',
          outcome: 'returned',
          decidedOn: today,
          returnStep: step,
          reasons,
          comment: input.comment?.trim() ?? '',
          reviewerUserId: actor.userId,
        });
        await repo.updatePlan(tx, id, { status: 'returned', returnedOn: today, returnStep: step, returnReasons: reasons });
        await this.audit.record(tx, actor, {
          action: 'plan.review.return',
          entityType: 'plan',
          entityId: String(id),
          regionPath: p.regionPath,
          before: { status: p.status },
          after: { status: 'returned', returnStep: step, reasons },
        });
      }
    });
    return this.planOf(actor, id);
  }

  /** [N 2.3] The district bureau (or the city bureau for a plan with a 5★ community) files or returns. */
  async file(actor: Actor, id: number, input: FilingInput): Promise<PlanView> {
    const { db, repo } = this.ctx;
    requirePermission(actor, 'plans:file');
    const today = this.ctx.today();
    await db.transaction(async (tx) => {
      const { plan: p } = await this.ctx.scoped(actor, id, 'plans:file', tx, true);
      if (p.status !== 'approved') throw wrongStatus(p.status, { zh: '备案', en: 'file it' });
      const level = actor.role === 'city_bureau' ? 'city' : 'district';
      if (p.filingLevel !== level) {
        throw new DomainError(
          'FILING_LEVEL',
          {
            zh: p.filingLevel === 'city' ? '方案含五星级社区，应向市民政局备案' : '方案应向区（县、市）民政局备案',
            en: `This plan is filed with the ${p.filingLevel} bureau`,
          },
          { kind: 'forbidden', clause: FILING_CLAUSE },
        );
      }
      if (input.outcome === 'file') {
        await repo.insertReview(tx, {
          planId: id,
          round: p.round,
          stage: 'filing',
          outcome: 'filed',
          decidedOn: today,
          reasons: [],
          comment: input.comment?.trim() ?? '',
          reviewerUserId: actor.userId,
        });
        await repo.updatePlan(tx, id, { status: 'filed', filedOn: today });
        await this.audit.record(tx, actor, {
          action: 'plan.file',
          entityType: 'plan',
          entityId: String(id),
          regionPath: p.regionPath,
          before: { status: p.status },
          after: { status: 'filed', filingLevel: level },
        });
      } else {
        const reasons = this.reasonsOf(input.reasons);
        const step = input.returnStep ?? returnStepOf(reasons.filter((r) => r.rule !== 'other').map((r) => r.rule as RuleId));
        await repo.insertReview(tx, {
          planId: id,
          round: p.round,
          stage: 'filing',
          outcome: 'returned',
          decidedOn: today,
          returnStep: step,
          reasons,
          comment: input.comment?.trim() ?? '',
          reviewerUserId: actor.userId,
        });
        await repo.updatePlan(tx, id, {
          status: 'returned',
          returnedOn: today,
          returnStep: step,
          returnReasons: reasons,
          filingLevel: null,
        });
        await this.audit.record(tx, actor, {
          action: 'plan.file.return',
          entityType: 'plan',
          entityId: String(id),
          regionPath: p.regionPath,
          before: { status: p.status },
          after: { status: 'returned', returnStep: step, reasons },
        });
      }
    });
    return this.planOf(actor, id);
  }
}
