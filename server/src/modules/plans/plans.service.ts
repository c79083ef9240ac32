import type { SQL } from 'drizzle-orm';
import type { Db, Executor } from '../../db/client.js';
import { requirePermission, type Actor } from '../../common/access.js';
import type { Now } from '../../common/clock.js';
import type { ProvisionalDueDate } from '../calendar/due-dates.js';
import type { ComputedDate } from '../calendar/calendar.rules.js';
import type { AuditService } from '../audit/audit.service.js';
import type { CalendarService } from '../calendar/calendar.service.js';
import type { DecisionsService } from '../decisions/decisions.service.js';
import type { LedgerService } from '../ledger/ledger.service.js';
import type { NeedsService } from '../needs/needs.service.js';
import type { PolicyService } from '../policy/policy.service.js';
import type { RatingsService } from '../ratings/ratings.service.js';
import type { RegionsService } from '../regions/regions.service.js';
import { PlansRepository, type PlanProjectRow, type PlanRow } from './plans.repository.js';
import { RULE_IDS, RULE_LABELS, type ComplianceCheck } from './plans.rules.js';
import { PlanContext, projectNotFound, STATUS_LABELS } from './plans.context.js';
import { PlanDraftingService } from './plans.drafting.service.js';
import { PlanReviewService } from './plans.review.service.js';
import { PlanTodoSource, type MessageSource, type TodoSource } from './plans.todo.service.js';
import {
  PROCEDURE_TYPES,
  PROVIDER_KINDS,
  type FilingInput,
  type MessageItem,
  type PlanCreate,
  type PlanProjectView,
  type ProjectInput,
  type ReviewInput,
  type TodoDraft,
} from './plans.schemas.js';

export const PROCEDURE_TYPE_LABELS: Record<(typeof PROCEDURE_TYPES)[number], string> = {
  public_tender: '公开招标',
  invited_tender: '邀请招标',
  competitive_negotiation: '竞争性谈判',
  competitive_consultation: '竞争性磋商',
  single_source: '单一来源',
  inquiry: '询价',
  small_direct: '小额直接采购',
};

/**
 * Usage plans [N 2] as the rest of the application sees them: composed of the use cases —
 * drafting (plans.drafting.service.ts), the street review and filing (plans.review.service.ts)
 * and the plans' own to-do items and messages (plans.todo.service.ts) — plus the read-only
 * queries other modules (procurement, evaluation, supervision, disclosure, reports) make.
 */
export class PlansService implements TodoSource, MessageSource {
  private readonly repo = new PlansRepository();
  private readonly ctx: PlanContext;
  private readonly drafting: PlanDraftingService;
  private readonly reviewing: PlanReviewService;
  private readonly own: PlanTodoSource;

  constructor(
    db: Db,
    audit: AuditService,
    regions: RegionsService,
    policy: PolicyService,
    calendar: CalendarService,
    ratings: RatingsService,
    ledger: LedgerService,
    needs: NeedsService,
    decisions: DecisionsService,
    private readonly clock: Now,
  ) {
    // The use cases read the time through this service's clock.
    this.ctx = new PlanContext(db, this.repo, { regions, policy, calendar, ratings, ledger, needs, decisions }, () => this.clock());
    this.drafting = new PlanDraftingService(this.ctx, audit);
    this.reviewing = new PlanReviewService(this.ctx, audit, (actor, id) => this.drafting.get(actor, id));
    this.own = new PlanTodoSource(this.ctx);
  }

  private get db(): Db {
    return this.ctx.db;
  }

  today(): string {
    return this.ctx.today();
  }

  // ---------------------------------------------------------------- drafting

  create(actor: Actor, input: PlanCreate) {
    return this.drafting.create(actor, input);
  }

  get(actor: Actor, id: number) {
    return this.drafting.get(actor, id);
  }

  compliance(actor: Actor, id: number) {
    return this.drafting.compliance(actor, id);
  }

  update(actor: Actor, id: number, patch: { title?: string; projects?: ProjectInput[] }) {
    return this.drafting.update(actor, id, patch);
  }

  submit(actor: Actor, id: number) {
    return this.drafting.submit(actor, id);
  }

  list(
    actor: Actor,
    query: { fundYear?: number; status?: PlanRow['status']; stage?: 'review' | 'filing'; limit?: number; offset?: number },
  ) {
    return this.drafting.list(actor, query);
  }

  // ---------------------------------------------------------------- review and filing

  review(actor: Actor, id: number, input: ReviewInput) {
    return this.reviewing.review(actor, id, input);
  }

  file(actor: Actor, id: number, input: FilingInput) {
    return this.reviewing.file(actor, id, input);
  }

  /** [N 3.1.2(2)] The due date of a street review: `reviewWorkdays` working days after submission. */
  reviewDueDate(submittedOn: string, fundYear: number, db: Executor = this.db) {
    return this.reviewing.reviewDueDate(submittedOn, fundYear, db);
  }

  /** The same, marked provisional when it runs through a year whose holiday notice is not entered (ADR 0009). */
  reviewDueDateDetailed(submittedOn: string, fundYear: number, db: Executor = this.db) {
    return this.ctx.reviewDueDateDetailed(submittedOn, fundYear, db);
  }

  /** [N 3.1.2(2)] Plans under review whose due date was computed through an unpublished calendar year (ADR 0009). */
  provisionalDueDates(db: Executor): Promise<ProvisionalDueDate[]> {
    return this.reviewing.provisionalDueDates(db);
  }

  rescheduleDueDate(db: Executor, item: ProvisionalDueDate, due: ComputedDate) {
    return this.reviewing.rescheduleDueDate(db, item, due);
  }

  /** For the dashboard: the caller's plans of the fund year whose street review is overdue. */
  overdueReviews(actor: Actor, fundYear: number) {
    return this.reviewing.overdueReviews(actor, fundYear);
  }

  // ---------------------------------------------------------------- to-do centre source

  /** The plans' own to-do items (a source of the to-do centre). */
  todoItems(actor: Actor, today: string): Promise<TodoDraft[]> {
    return this.own.todoItems(actor, today);
  }

  /** The plans' own in-app messages (a source of the to-do centre). */
  messages(actor: Actor, today: string): Promise<MessageItem[]> {
    return this.own.messages(actor, today);
  }

  // ---------------------------------------------------------------- for other modules (issue 7)

  private projectView(x: PlanProjectRow, p: PlanRow): PlanProjectView {
    return {
      projectId: x.id,
      planId: p.id,
      fundYear: p.fundYear,
      communityCodes: x.communityCodes,
      shares: x.shares,
      catalogueCode: x.catalogueCode,
      category: x.category,
      title: x.title,
      budgetFen: x.budgetFen,
      providerKind: x.providerKind,
      procedureType: x.procedureType,
      status: p.status,
      regionPath: p.regionPath,
    };
  }

  /** Projects of filed plans (contracts are signed only for these), by community or region and fund year. No access check. */
  async filedProjects(db: Executor, filter: { communityCode?: string; regionPrefix?: string; fundYear?: number }) {
    const rows = await this.repo.filedProjects(db, {
      communityCode: filter.communityCode,
      pathPrefix: filter.regionPrefix,
      fundYear: filter.fundYear,
    });
    return rows.map((r) => this.projectView(r.project, r.plan));
  }

  /**
   * For the dashboard: the communities served by filed projects under a region in the fund year,
   * with the bits `flags` (relations of plan_project_id, bits) give their projects, OR-ed, as a
   * SQL relation (community_code, bits). No access check.
   */
  filedCommunityFacts(fundYear: number, regionPrefix: string, flags: SQL[]): SQL {
    return this.repo.filedCommunityFactsRelation({ pathPrefix: regionPrefix, fundYear }, flags);
  }

  /** For the dashboard: filed projects by catalogue type with the live contracts credited to each type (see the repository). No access check. */
  async filedTypes(db: Executor, fundYear: number, regionPrefix: string, contractLinks: SQL) {
    return this.repo.filedTypes(db, { pathPrefix: regionPrefix, fundYear }, contractLinks);
  }

  /** Many projects in one query (reports compile a district's hundreds of them). No access check. */
  async getProjects(db: Executor, projectIds: number[]) {
    const rows = await this.repo.projectsWithPlans(db, [...new Set(projectIds)]);
    return new Map(rows.map((r) => [r.project.id, this.projectView(r.project, r.plan)]));
  }

  /** One plan project with its plan's status and region (for contracts). No access check. */
  async getProject(db: Executor, projectId: number) {
    const row = await this.repo.projectWithPlan(db, projectId);
    return row ? this.projectView(row.project, row.plan) : undefined;
  }

  async project(actor: Actor, projectId: number): Promise<PlanProjectView> {
    requirePermission(actor, 'plans:read');
    const row = await this.repo.projectWithPlan(this.db, projectId);
    if (!row) throw projectNotFound();
    const members = (await this.repo.communities(this.db, [row.plan.id])).map((m) => m.communityCode);
    if (!this.ctx.sees(actor, row.plan, members)) throw projectNotFound();
    return this.projectView(row.project, row.plan);
  }

  /** For the decisions module's reopen (issue 19): the plans holding a community in a fund year, locked in the caller's transaction. */
  lockPlansOfCommunity(db: Executor, communityCode: string, fundYear: number) {
    return this.repo.lockPlansOfCommunity(db, communityCode, fundYear);
  }

  /** For the public portal (disclosure module): plans under a region path with their member communities and projects. No access check. */
  async plansUnder(pathPrefix: string, fundYear?: number, db: Executor = this.db) {
    const { items } = await this.repo.list(db, { pathPrefix, fundYear, limit: 100_000, offset: 0 });
    return this.publicPlans(db, items);
  }

  /** For the community page of the portal: what `plansUnder` lists that holds this community. No access check. */
  async plansOfCommunity(communityCode: string, pathPrefix: string, fundYear: number, db: Executor = this.db) {
    return this.publicPlans(db, await this.repo.plansOfCommunity(db, { communityCode, pathPrefix, fundYear }));
  }

  private async publicPlans(db: Executor, items: PlanRow[]) {
    const members = await this.repo.communities(
      db,
      items.map((p) => p.id),
    );
    const projects = await this.repo.projects(
      db,
      items.map((p) => p.id),
    );
    return items.map((p) => ({
      id: p.id,
      fundYear: p.fundYear,
      kind: p.kind,
      title: p.title,
      status: p.status,
      filingLevel: p.filingLevel,
      submittedOn: p.submittedOn,
      approvedOn: p.approvedOn,
      filedOn: p.filedOn,
      regionPath: p.regionPath,
      communityCodes: members.filter((m) => m.planId === p.id).map((m) => m.communityCode),
      projects: projects
        .filter((x) => x.planId === p.id)
        .map((x) => ({
          id: x.id,
          decisionProjectId: x.decisionProjectId,
          title: x.title,
          content: x.content,
          catalogueCode: x.catalogueCode,
          category: x.category,
          budgetFen: x.budgetFen,
          communityCodes: x.communityCodes,
          providerKind: x.providerKind,
        })),
    }));
  }
}

export { PROCEDURE_TYPES, PROVIDER_KINDS, RULE_IDS, RULE_LABELS, STATUS_LABELS };
export type { ComplianceCheck };
