import type { SQL } from 'drizzle-orm';
import type { Db, Executor } from '../../db/client.js';
import { gather } from '../../common/gather.js';
import type { OtherFunding, ReturnReason } from '../../db/schema/plans.js';
import { hasPermission, pathInScope, requirePermission, type Actor, type Permission } from '../../common/access.js';
import { todayInChina } from '../../common/dates.js';
import type { Now } from '../../common/clock.js';
import type { ProvisionalDueDate } from '../calendar/due-dates.js';
import type { ComputedDate } from '../calendar/calendar.rules.js';
import { DomainError, invalidField } from '../../common/errors.js';
import { heldOnce } from '../../common/at-most-one.js';
import type { AuditService } from '../audit/audit.service.js';
import type { CalendarService } from '../calendar/calendar.service.js';
import type { DecisionsService } from '../decisions/decisions.service.js';
import type { LedgerService } from '../ledger/ledger.service.js';
import type { NeedsService } from '../needs/needs.service.js';
import type { PolicyDocument } from '../policy/policy.schema.js';
import type { PolicyService } from '../policy/policy.service.js';
import type { RatingsService } from '../ratings/ratings.service.js';
import type { RegionsService } from '../regions/regions.service.js';
import { PlansRepository, type PlanProjectRow, type PlanRow } from './plans.repository.js';
import {
  checkPlan,
  failing,
  filingLevelOf,
  RULE_CLAUSES,
  RULE_IDS,
  RULE_LABELS,
  returnStepOf,
  STEP_LABELS,
  type CommunityContext,
  type ReturnStep,
  type RuleId,
  type RuleResult,
} from './plans.rules.js';


export const PROVIDER_KINDS = ['social_work_station', 'social_organisation', 'university'] as const;
export const PROCEDURE_TYPES = ['public_tender', 'invited_tender', 'competitive_negotiation', 'competitive_consultation', 'single_source', 'inquiry', 'small_direct'] as const;
export const PROCEDURE_TYPE_LABELS: Record<(typeof PROCEDURE_TYPES)[number], string> = {
  public_tender: '公开招标', invited_tender: '邀请招标', competitive_negotiation: '竞争性谈判', competitive_consultation: '竞争性磋商',
  single_source: '单一来源', inquiry: '询价', small_direct: '小额直接采购',
};
export const STATUS_LABELS: Record<PlanRow['status'], string> = { draft: '编制中', submitted: '待街道初审', returned: '已退回', approved: '待备案', filed: '已备案' };

export interface ProjectInput {
  decisionProjectId?: number | null;
  title: string;
  content?: string;
  catalogueCode: string;
  budgetFen: number;
  communityCodes?: string[];
  providerKind: (typeof PROVIDER_KINDS)[number];
  otherFunding?: OtherFunding[];
  procedureType: (typeof PROCEDURE_TYPES)[number];
}

export interface PlanCreate {
  fundYear: number;
  communityCodes: string[];
  title?: string;
}

export interface ReviewInput {
  outcome: 'approve' | 'return';
  reasons?: { rule: RuleId | 'other'; note: string }[];
  returnStep?: ReturnStep;
  comment?: string;
}

export interface FilingInput {
  outcome: 'file' | 'return';
  reasons?: { rule: RuleId | 'other'; note: string }[];
  returnStep?: ReturnStep;
  comment?: string;
}

const REVIEW_CLAUSE = '[N 3.1.2(2)]';
const FILING_CLAUSE = '[N 2.3]';
/** The dashboard lists overdue reviews from one page of the plan list (its largest page). */
const OVERDUE_REVIEWS_SHOWN = 500;

const planNotFound = () => new DomainError('NOT_FOUND', { zh: '使用方案不存在或无权查看', en: 'Plan not found' }, { kind: 'not_found' });
const projectNotFound = () => new DomainError('NOT_FOUND', { zh: '服务项目不存在或无权查看', en: 'Project not found' }, { kind: 'not_found' });
const wrongStatus = (status: PlanRow['status'], action: { zh: string; en: string }) =>
  new DomainError('PLAN_STATUS', { zh: `方案当前状态为"${STATUS_LABELS[status]}"，不能${action.zh}`, en: `The plan is ${status}; cannot ${action.en}` }, { kind: 'conflict', clause: REVIEW_CLAUSE, details: { status } });

/**
 * Usage plans [N 2], the compliance engine, the street's preliminary review [N 3.1.2(2)], filing
 * with the district or city bureau [N 2.3], and the to-do centre derived from their state.
 */
export class PlansService {
  readonly repo = new PlansRepository();

  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly regions: RegionsService,
    private readonly policy: PolicyService,
    private readonly calendar: CalendarService,
    private readonly ratings: RatingsService,
    private readonly ledger: LedgerService,
    private readonly needs: NeedsService,
    private readonly decisions: DecisionsService,
    public clock: Now,
  ) {}

  /** Extra to-do items from modules built on this one (disclosure monitoring), registered in services.ts. */
  readonly todoSources: ((actor: Actor, today: string) => Promise<{ key: string; kind: string; title: string; detail: string; regionName: string; dueOn: string | null; workdaysLeft: number | null; overdue: boolean; link: string; provisional?: boolean }[]>)[] = [];
  /** Other modules' in-app messages for the caller (calendar due-date changes), wired in services.ts. */
  readonly messageSources: ((actor: Actor, today: string) => Promise<{ key: string; kind: string; title: string; body: string; on: string; link: string }[]>)[] = [];

  today(): string {
    return todayInChina(this.clock());
  }

  // ---------------------------------------------------------------- scope

  private actorCommunity(actor: Actor): string | null {
    return actor.role === 'community' ? (actor.scopePath?.split('/').pop() ?? null) : null;
  }

  private sees(actor: Actor, p: PlanRow, members: string[]): boolean {
    const own = this.actorCommunity(actor);
    if (own) return members.includes(own);
    return pathInScope(actor.scopePath, p.regionPath);
  }

  private async scoped(actor: Actor, id: number, permission: Permission, db: Executor = this.db, forUpdate = false) {
    requirePermission(actor, permission);
    const p = await this.repo.plan(db, id, forUpdate);
    if (!p) throw planNotFound();
    const members = (await this.repo.communities(db, [id])).map((m) => m.communityCode);
    if (!this.sees(actor, p, members)) throw planNotFound();
    return { plan: p, members };
  }

  /** Who edits: the community for its own plan, the street office for its area plan. */
  private requireOwner(actor: Actor, p: PlanRow) {
    const own = this.actorCommunity(actor);
    const ok = p.kind === 'community' ? own === p.communityCode : actor.role === 'street_office' && pathInScope(actor.scopePath, p.regionPath);
    if (!ok) throw new DomainError('FORBIDDEN', { zh: '只有方案的编制单位可以修改或提交', en: 'Only the plan\'s owner edits or submits it' }, { kind: 'forbidden' });
  }

  // ---------------------------------------------------------------- context

  private async communityContexts(db: Executor, fundYear: number, streetPath: string, codes: string[], policy: PolicyDocument, today: string): Promise<CommunityContext[]> {
    const [regions, rated, overview] = await gather(db, [
      () => this.regions.byCodes(codes, db),
      () => this.ratings.ratingsUnder(db, policy.ratingYear, streetPath),
      () => this.decisions.overviewUnder(streetPath.split('/').pop()!, { fundYear, today }, db),
    ] as const);
    const out: CommunityContext[] = [];
    for (const code of codes) {
      const [account, coverage] = await gather(db, [() => this.ledger.communityAccount(db, fundYear, code), () => this.needs.coverageFor(code, fundYear, db)] as const);
      const decisions = overview.filter((d) => d.communityCode === code);
      const live = decisions.filter((d) => d.status !== 'rejected').at(-1) ?? decisions.at(-1);
      out.push({
        code,
        name: regions.find((r) => r.code === code)?.name ?? code,
        stars: rated.find((r) => r.communityCode === code)?.stars ?? null,
        allocationFen: account?.creditsPosted ?? 0,
        coverage: coverage && { meets: coverage.meets, reached: coverage.reached, required: coverage.required, residentHouseholds: coverage.residentHouseholds },
        decision: live ? { status: live.status, passedProjectIds: live.status === 'ready_for_review' || live.status === 'noticed' ? live.passedProjects.map((x) => x.projectId) : [] } : null,
      });
    }
    return out;
  }

  private async evaluate(db: Executor, p: PlanRow, members: string[], projects: PlanProjectRow[]) {
    const policy = await this.policy.forYear(p.fundYear, db);
    const street = (await this.regions.byCodes([p.streetCode], db))[0]!;
    const communities = await this.communityContexts(db, p.fundYear, street.path, members, policy, this.today());
    const results = checkPlan(
      {
        kind: p.kind,
        projects: projects.map((x) => ({
          title: x.title, content: x.content, catalogueCode: x.catalogueCode, category: x.category, budgetFen: x.budgetFen, communityCodes: x.communityCodes,
          otherFunding: x.otherFunding, decisionProjectId: x.decisionProjectId,
        })),
      },
      communities,
      policy,
    );
    return { policy, communities, results };
  }

  // ---------------------------------------------------------------- views

  private async workdaysLeft(today: string, due: string | null): Promise<number | null> {
    return (await this.countdown(today, due)).workdaysLeft;
  }

  /** Working days left until a due date, and whether that count runs through a provisional calendar year. */
  private async countdown(today: string, due: string | null): Promise<{ workdaysLeft: number | null; provisional: boolean }> {
    if (!due) return { workdaysLeft: null, provisional: false };
    const answer = await this.calendar.workdaysBetweenDetailed(today, due);
    return { workdaysLeft: answer.value, provisional: answer.provisional };
  }

  private async view(db: Executor, p: PlanRow, members: string[]) {
    const projects = await this.repo.projects(db, [p.id]);
    const [{ communities, results, policy }, reviews, regions] = await gather(db, [
      () => this.evaluate(db, p, members, projects),
      () => this.repo.reviews(db, p.id),
      () => this.regions.byCodes([p.streetCode, p.districtCode], db),
    ] as const);
    const today = this.today();
    const catalogue = [...policy.catalogue.basic, ...policy.catalogue.enhancement];
    const budgetFen = projects.reduce((s, x) => s + x.budgetFen, 0);
    const allocationFen = communities.reduce((s, c) => s + c.allocationFen, 0);
    return {
      ...this.summary(p, today, await this.workdaysLeft(today, p.status === 'submitted' ? p.reviewDueOn : null), regions, communities),
      budgetFen,
      allocationFen,
      communities: communities.map((c) => ({ code: c.code, name: c.name, stars: c.stars, allocationFen: c.allocationFen, decisionStatus: c.decision?.status ?? null, coverageMeets: c.coverage?.meets ?? false })),
      projects: projects.map((x) => ({
        id: x.id, decisionProjectId: x.decisionProjectId, title: x.title, content: x.content, catalogueCode: x.catalogueCode,
        catalogueName: catalogue.find((c) => c.code === x.catalogueCode)?.name ?? x.catalogueCode, category: x.category, budgetFen: x.budgetFen,
        communityCodes: x.communityCodes, providerKind: x.providerKind, otherFunding: x.otherFunding.map((f) => ({ source: f.source, amountFen: f.amountFen, government: f.government !== false })),
        procedureType: x.procedureType,
      })),
      compliance: { passed: results.every((r) => r.passed), rules: results },
      decidedProjects: await this.decidedProjects(db, p, members, policy),
      reviews: reviews.map((r) => ({
        id: r.id, round: r.round, stage: r.stage, outcome: r.outcome, decidedOn: r.decidedOn, returnStep: r.returnStep, reasons: r.reasons, comment: r.comment,
      })),
    };
  }

  private summary(p: PlanRow, today: string, workdaysLeft: number | null, regions: { code: string; name: string }[], communities?: { code: string; name: string }[]) {
    return {
      id: p.id, fundYear: p.fundYear, kind: p.kind, title: p.title, communityCode: p.communityCode, streetCode: p.streetCode,
      streetName: regions.find((r) => r.code === p.streetCode)?.name ?? p.streetCode, districtCode: p.districtCode,
      districtName: regions.find((r) => r.code === p.districtCode)?.name ?? p.districtCode,
      communityNames: communities?.map((c) => c.name) ?? [],
      status: p.status, statusLabel: STATUS_LABELS[p.status], filingLevel: p.filingLevel, round: p.round,
      submittedOn: p.submittedOn, reviewDueOn: p.reviewDueOn, reviewDueProvisional: p.reviewDueProvisional, approvedOn: p.approvedOn, filedOn: p.filedOn, returnedOn: p.returnedOn,
      returnStep: p.returnStep, returnStepLabel: p.returnStep ? STEP_LABELS[p.returnStep] : null, returnReasons: p.returnReasons ?? [],
      workdaysLeft, overdue: p.status === 'submitted' && !!p.reviewDueOn && today > p.reviewDueOn,
    };
  }

  /** The projects the member communities' councils passed (the list a plan draws from). */
  private async decidedProjects(db: Executor, p: PlanRow, members: string[], policy: PolicyDocument) {
    const overview = await this.decisions.overviewUnder(p.streetCode, { fundYear: p.fundYear, today: this.today() }, db);
    return overview
      .filter((d) => members.includes(d.communityCode) && d.status !== 'rejected')
      .flatMap((d) => d.passedProjects.map((x) => ({
        decisionProjectId: x.projectId, communityCode: d.communityCode, title: x.title, catalogueCode: x.catalogueCode,
        category: policy.catalogue.basic.some((c) => c.code === x.catalogueCode) ? 'basic' : 'enhancement', estimatedBudgetFen: x.estimatedBudgetFen,
      })));
  }

  // ---------------------------------------------------------------- plans

  async create(actor: Actor, input: PlanCreate) {
    requirePermission(actor, 'plans:write');
    const codes = [...new Set(input.communityCodes)].sort();
    const own = this.actorCommunity(actor);
    if (own && (codes.length !== 1 || codes[0] !== own)) throw invalidField('communityCodes', '社区只能为本社区编制使用方案', 'a community plans for itself only');
    if (!own && actor.role !== 'street_office') throw new DomainError('FORBIDDEN', { zh: '只有社区或街道可以编制使用方案', en: 'Only a community or a street office writes plans' }, { kind: 'forbidden' });
    if (!own && codes.length < 2) throw invalidField('communityCodes', '片区方案至少包含两个社区', 'an area plan pools at least two communities');
    const found = await this.regions.byCodes(codes);
    for (const code of codes) {
      const r = found.find((x) => x.code === code);
      if (!r || r.level !== 'community' || !pathInScope(actor.scopePath, r.path)) throw invalidField('communityCodes', `社区 ${code} 不存在或不在本辖区`, `community ${code} not found in scope`);
    }
    const streets = new Set(found.map((r) => r.parentCode));
    if (streets.size !== 1) throw invalidField('communityCodes', '片区方案的社区须属于同一街道', 'an area\'s communities belong to one street');
    const streetCode = found[0]!.parentCode!;
    const street = (await this.regions.byCodes([streetCode]))[0]!;
    const districtCode = street.parentCode!;
    const policy = await this.policy.forYear(input.fundYear);
    const kind = own ? 'community' : 'area';
    const names = found.map((r) => r.name);
    const title = input.title?.trim() || `${input.fundYear} 年度${kind === 'community' ? names[0] : `${street.name}片区`}"以奖代补"专项资金使用方案`;
    const today = this.today();
    const id = await heldOnce(this.db.transaction(async (tx) => {
      const taken = await this.repo.plansHolding(tx, input.fundYear, codes);
      if (taken.length) {
        throw new DomainError('PLAN_EXISTS', { zh: `社区 ${taken.map((t) => t.communityCode).join('、')} 本年度已有使用方案（编号 ${taken[0]!.planId}）`, en: `A plan for the year already holds ${taken.map((t) => t.communityCode).join(', ')}` }, { kind: 'conflict', clause: FILING_CLAUSE, details: { planId: taken[0]!.planId } });
      }
      const row = await this.repo.insertPlan(tx, {
        fundYear: input.fundYear, kind, title, communityCode: own, streetCode, districtCode, regionPath: own ? found[0]!.path : street.path, createdByUserId: actor.userId,
      });
      await this.repo.insertCommunities(tx, row.id, input.fundYear, codes);
      // Start from the decided list: each passed project of each member community.
      const overview = await this.decisions.overviewUnder(streetCode, { fundYear: input.fundYear, today }, tx);
      const decided = overview.filter((d) => codes.includes(d.communityCode) && d.status !== 'rejected').flatMap((d) => d.passedProjects.map((x) => ({ x, code: d.communityCode })));
      await this.repo.replaceProjects(tx, row.id, decided.map(({ x, code }) => ({
        decisionProjectId: x.projectId, title: x.title, content: '', catalogueCode: x.catalogueCode,
        category: policy.catalogue.basic.some((c) => c.code === x.catalogueCode) ? 'basic' as const : 'enhancement' as const,
        budgetFen: x.estimatedBudgetFen, communityCodes: [code], providerKind: 'social_organisation' as const, otherFunding: [],
        procedureType: x.estimatedBudgetFen < policy.smallPurchaseThresholdFen ? 'small_direct' : 'public_tender',
      })));
      await this.audit.record(tx, actor, { action: 'plan.create', entityType: 'plan', entityId: String(row.id), regionPath: row.regionPath, after: { fundYear: input.fundYear, kind, communityCodes: codes, title, projects: decided.length } });
      return row.id;
    }));
    return this.get(actor, id);
  }

  async get(actor: Actor, id: number) {
    const { plan: p, members } = await this.scoped(actor, id, 'plans:read');
    return this.view(this.db, p, members);
  }

  async compliance(actor: Actor, id: number) {
    const { plan: p, members } = await this.scoped(actor, id, 'plans:read');
    const projects = await this.repo.projects(this.db, [id]);
    const { results } = await this.evaluate(this.db, p, members, projects);
    return { planId: id, passed: results.every((r) => r.passed), rules: results };
  }

  async update(actor: Actor, id: number, patch: { title?: string; projects?: ProjectInput[] }) {
    requirePermission(actor, 'plans:write');
    await this.db.transaction(async (tx) => {
      const { plan: p, members } = await this.scoped(actor, id, 'plans:write', tx, true);
      this.requireOwner(actor, p);
      if (p.status !== 'draft' && p.status !== 'returned') throw wrongStatus(p.status, { zh: '修改', en: 'edit it' });
      const before = { title: p.title, projects: (await this.repo.projects(tx, [id])).length };
      if (patch.title !== undefined) await this.repo.updatePlan(tx, id, { title: patch.title.trim() || p.title });
      if (patch.projects) {
        const policy = await this.policy.forYear(p.fundYear, tx);
        const decided = await this.decidedProjects(tx, p, members, policy);
        const rows = patch.projects.map((x, i) => this.projectRow(x, i, p, members, policy, decided));
        await this.repo.replaceProjects(tx, id, rows);
      }
      await this.audit.record(tx, actor, {
        action: 'plan.update', entityType: 'plan', entityId: String(id), regionPath: p.regionPath, before,
        after: { title: patch.title ?? p.title, projects: patch.projects?.map((x) => ({ title: x.title, catalogueCode: x.catalogueCode, budgetFen: x.budgetFen })) ?? null },
      });
    });
    return this.get(actor, id);
  }

  private projectRow(x: ProjectInput, i: number, p: PlanRow, members: string[], policy: PolicyDocument, decided: { decisionProjectId: number; communityCode: string }[]) {
    const field = (name: string) => `projects/${i}/${name}`;
    const item = [...policy.catalogue.basic, ...policy.catalogue.enhancement].find((c) => c.code === x.catalogueCode);
    if (!item) throw invalidField(field('catalogueCode'), `目录中没有 ${x.catalogueCode}`, `${x.catalogueCode} is not in the catalogue`);
    const codes = x.communityCodes?.length ? [...new Set(x.communityCodes)] : p.kind === 'community' ? [p.communityCode!] : [];
    if (!codes.length) throw invalidField(field('communityCodes'), '片区方案的项目须注明服务的社区', 'an area project names the communities it serves');
    const stranger = codes.find((c) => !members.includes(c));
    if (stranger) throw invalidField(field('communityCodes'), `社区 ${stranger} 不在本方案中`, `${stranger} is not a member of the plan`);
    const decisionProjectId = x.decisionProjectId ?? null;
    if (decisionProjectId !== null && !decided.some((d) => d.decisionProjectId === decisionProjectId)) {
      throw invalidField(field('decisionProjectId'), '不是本方案社区决策通过的项目', 'not a decided project of the plan\'s communities');
    }
    if (x.procedureType === 'small_direct' && x.budgetFen >= policy.smallPurchaseThresholdFen) {
      throw new DomainError('SMALL_PURCHASE_OVER_THRESHOLD', { zh: `预算达到小额直接采购限额 ¥${(policy.smallPurchaseThresholdFen / 100).toLocaleString('en-US')}，须采用政府采购方式`, en: 'The budget is over the small-purchase threshold' }, { kind: 'rule', clause: '[N 3.1.3]', field: field('procedureType') });
    }
    return {
      decisionProjectId, title: x.title.trim(), content: (x.content ?? '').trim(), catalogueCode: x.catalogueCode,
      category: policy.catalogue.basic.some((c) => c.code === x.catalogueCode) ? ('basic' as const) : ('enhancement' as const),
      budgetFen: x.budgetFen, communityCodes: codes.sort(), providerKind: x.providerKind,
      otherFunding: (x.otherFunding ?? []).map((f) => ({ source: f.source.trim(), amountFen: f.amountFen, government: f.government !== false })), procedureType: x.procedureType,
    };
  }

  /** [N 3.1.2(2)] The due date of a street review: `reviewWorkdays` working days after submission. */
  async reviewDueDate(submittedOn: string, fundYear: number, db: Executor = this.db) {
    return (await this.reviewDueDateDetailed(submittedOn, fundYear, db)).date;
  }

  /** The same, marked provisional when it runs through a year whose holiday notice is not entered (ADR 0009). */
  async reviewDueDateDetailed(submittedOn: string, fundYear: number, db: Executor = this.db) {
    const policy = await this.policy.forYear(fundYear, db);
    return this.calendar.addWorkdaysDetailed(submittedOn, policy.reviewWorkdays, db);
  }

  // ---------------------------------------------------------------- provisional due dates (ADR 0009)

  /** [N 3.1.2(2)] Plans under review whose due date was computed through an unpublished calendar year. */
  async provisionalDueDates(db: Executor): Promise<ProvisionalDueDate[]> {
    const rows = await this.repo.provisionalReviews(db);
    const out: ProvisionalDueDate[] = [];
    for (const r of rows) {
      if (!r.submittedOn || !r.reviewDueOn) continue;
      const policy = await this.policy.forYear(r.fundYear, db);
      out.push({ kind: 'plan_review', id: r.id, title: r.title, regionPath: r.regionPath, from: r.submittedOn, rule: 'workdays', days: policy.reviewWorkdays, dueOn: r.reviewDueOn, link: `/plans/${r.id}` });
    }
    return out;
  }

  async rescheduleDueDate(db: Executor, item: ProvisionalDueDate, due: ComputedDate) {
    await this.repo.updatePlan(db, item.id, { reviewDueOn: due.date, reviewDueProvisional: due.provisional });
  }

  /** Submission re-checks every rule; any failing rule refuses it (422, listing them). */
  async submit(actor: Actor, id: number) {
    requirePermission(actor, 'plans:write');
    const today = this.today();
    await this.db.transaction(async (tx) => {
      const { plan: p, members } = await this.scoped(actor, id, 'plans:write', tx, true);
      this.requireOwner(actor, p);
      if (p.status !== 'draft' && p.status !== 'returned') throw wrongStatus(p.status, { zh: '提交', en: 'submit it' });
      const projects = await this.repo.projects(tx, [id]);
      const { results } = await this.evaluate(tx, p, members, projects);
      const failed = failing(results);
      if (failed.length) {
        throw new DomainError(
          'PLAN_NOT_COMPLIANT',
          { zh: `方案未通过合规检查：${failed.map((r) => `${r.label}${r.clause}——${r.message.zh}`).join('；')}`, en: `The plan fails ${failed.map((r) => `${r.rule} ${r.clause}`).join(', ')}` },
          { kind: 'rule', clause: failed[0]!.clause, details: { failing: failed } },
        );
      }
      const { date: dueOn, provisional: reviewDueProvisional } = await this.reviewDueDateDetailed(today, p.fundYear, tx);
      await this.repo.updatePlan(tx, id, { status: 'submitted', round: p.round + 1, submittedOn: today, reviewDueOn: dueOn, reviewDueProvisional });
      await this.audit.record(tx, actor, {
        action: 'plan.submit', entityType: 'plan', entityId: String(id), regionPath: p.regionPath,
        before: { status: p.status, round: p.round }, after: { status: 'submitted', round: p.round + 1, submittedOn: today, reviewDueOn: dueOn, reviewDueProvisional, budgetFen: projects.reduce((s, x) => s + x.budgetFen, 0) },
      });
    });
    return this.get(actor, id);
  }

  private reasonsOf(reasons: ReviewInput['reasons']): ReturnReason[] {
    const list = reasons ?? [];
    if (!list.length) throw invalidField('reasons', '退回须写明理由', 'a return states its reasons');
    return list.map((r) => ({ rule: r.rule, clause: r.rule === 'other' ? REVIEW_CLAUSE : RULE_CLAUSES[r.rule], note: r.note.trim() }));
  }

  /** [N 3.1.2(2)] The street office approves, or returns with reasons tied to rules and the step to redo. */
  async review(actor: Actor, id: number, input: ReviewInput) {
    requirePermission(actor, 'plans:review');
    const today = this.today();
    await this.db.transaction(async (tx) => {
      const { plan: p, members } = await this.scoped(actor, id, 'plans:review', tx, true);
      if (p.status !== 'submitted') throw wrongStatus(p.status, { zh: '初审', en: 'review it' });
      if (input.outcome === 'approve') {
        const policy = await this.policy.forYear(p.fundYear, tx);
        const street = (await this.regions.byCodes([p.streetCode], tx))[0]!;
        const rated = await this.ratings.ratingsUnder(tx, policy.ratingYear, street.path);
        const filingLevel = filingLevelOf(members.map((c) => rated.find((r) => r.communityCode === c)?.stars ?? null));
        await this.repo.insertReview(tx, { planId: id, round: p.round, stage: 'street', outcome: 'approved', decidedOn: today, reasons: [], comment: input.comment?.trim() ?? '', reviewerUserId: actor.userId });
        await this.repo.updatePlan(tx, id, { status: 'approved', approvedOn: today, filingLevel });
        await this.audit.record(tx, actor, { action: 'plan.review.approve', entityType: 'plan', entityId: String(id), regionPath: p.regionPath, before: { status: p.status }, after: { status: 'approved', filingLevel, late: !!p.reviewDueOn && today > p.reviewDueOn } });
      } else {
        const reasons = this.reasonsOf(input.reasons);
        const step = input.returnStep ?? returnStepOf(reasons.filter((r) => r.rule !== 'other').map((r) => r.rule as RuleId));
        await this.repo.insertReview(tx, { planId: id, round: p.round, stage: 'street', outcome: 'returned', decidedOn: today, returnStep: step, reasons, comment: input.comment?.trim() ?? '', reviewerUserId: actor.userId });
        await this.repo.updatePlan(tx, id, { status: 'returned', returnedOn: today, returnStep: step, returnReasons: reasons });
        await this.audit.record(tx, actor, { action: 'plan.review.return', entityType: 'plan', entityId: String(id), regionPath: p.regionPath, before: { status: p.status }, after: { status: 'returned', returnStep: step, reasons } });
      }
    });
    return this.get(actor, id);
  }

  /** [N 2.3] The district bureau (or the city bureau for a plan with a 5★ community) files or returns. */
  async file(actor: Actor, id: number, input: FilingInput) {
    requirePermission(actor, 'plans:file');
    const today = this.today();
    await this.db.transaction(async (tx) => {
      const { plan: p } = await this.scoped(actor, id, 'plans:file', tx, true);
      if (p.status !== 'approved') throw wrongStatus(p.status, { zh: '备案', en: 'file it' });
      const level = actor.role === 'city_bureau' ? 'city' : 'district';
      if (p.filingLevel !== level) {
        throw new DomainError(
          'FILING_LEVEL',
          { zh: p.filingLevel === 'city' ? '方案含五星级社区，应向市民政局备案' : '方案应向区（县、市）民政局备案', en: `This plan is filed with the ${p.filingLevel} bureau` },
          { kind: 'forbidden', clause: FILING_CLAUSE },
        );
      }
      if (input.outcome === 'file') {
        await this.repo.insertReview(tx, { planId: id, round: p.round, stage: 'filing', outcome: 'filed', decidedOn: today, reasons: [], comment: input.comment?.trim() ?? '', reviewerUserId: actor.userId });
        await this.repo.updatePlan(tx, id, { status: 'filed', filedOn: today });
        await this.audit.record(tx, actor, { action: 'plan.file', entityType: 'plan', entityId: String(id), regionPath: p.regionPath, before: { status: p.status }, after: { status: 'filed', filingLevel: level } });
      } else {
        const reasons = this.reasonsOf(input.reasons);
        const step = input.returnStep ?? returnStepOf(reasons.filter((r) => r.rule !== 'other').map((r) => r.rule as RuleId));
        await this.repo.insertReview(tx, { planId: id, round: p.round, stage: 'filing', outcome: 'returned', decidedOn: today, returnStep: step, reasons, comment: input.comment?.trim() ?? '', reviewerUserId: actor.userId });
        await this.repo.updatePlan(tx, id, { status: 'returned', returnedOn: today, returnStep: step, returnReasons: reasons, filingLevel: null });
        await this.audit.record(tx, actor, { action: 'plan.file.return', entityType: 'plan', entityId: String(id), regionPath: p.regionPath, before: { status: p.status }, after: { status: 'returned', returnStep: step, reasons } });
      }
    });
    return this.get(actor, id);
  }

  /** Plans in the caller's scope; a community sees the plans it belongs to (its own or its street's area plan). */
  async list(actor: Actor, query: { fundYear?: number; status?: PlanRow['status']; stage?: 'review' | 'filing'; limit?: number; offset?: number }) {
    requirePermission(actor, 'plans:read');
    const rows = await this.scopedPlans(actor, { fundYear: query.fundYear, status: query.status ? [query.status] : query.stage === 'review' ? ['submitted'] : query.stage === 'filing' ? ['approved', 'filed'] : undefined });
    const limit = Math.min(query.limit ?? 50, 500);
    const offset = query.offset ?? 0;
    const page = rows.slice(offset, offset + limit);
    const today = this.today();
    const members = await this.repo.communities(this.db, page.map((p) => p.id));
    const regions = await this.regions.byCodes([...new Set([...page.flatMap((p) => [p.streetCode, p.districtCode]), ...members.map((m) => m.communityCode)])]);
    const budgets = await this.repo.projects(this.db, page.map((p) => p.id));
    const items = [];
    for (const p of page) {
      const mine = members.filter((m) => m.planId === p.id).map((m) => ({ code: m.communityCode, name: regions.find((r) => r.code === m.communityCode)?.name ?? m.communityCode }));
      items.push({
        ...this.summary(p, today, await this.workdaysLeft(today, p.status === 'submitted' ? p.reviewDueOn : null), regions, mine),
        budgetFen: budgets.filter((b) => b.planId === p.id).reduce((s, b) => s + b.budgetFen, 0),
      });
    }
    return { total: rows.length, items };
  }

  private async scopedPlans(actor: Actor, filter: { fundYear?: number; status?: PlanRow['status'][]; reviewDueBefore?: string; limit?: number }) {
    const own = this.actorCommunity(actor);
    if (!actor.scopePath) return [];
    const page = { fundYear: filter.fundYear, status: filter.status, reviewDueBefore: filter.reviewDueBefore, limit: filter.limit ?? 10_000, offset: 0 };
    if (own) {
      const community = (await this.regions.byCodes([own]))[0];
      const streetPath = community?.path.split('/').slice(0, -1).join('/') ?? '';
      if (!streetPath) return [];
      return (await this.repo.list(this.db, { pathPrefix: streetPath, communityCode: own, ...page })).items;
    }
    return (await this.repo.list(this.db, { pathPrefix: actor.scopePath, ...page })).items;
  }

  // ---------------------------------------------------------------- for other modules (issue 7)

  private projectView(x: PlanProjectRow, p: PlanRow) {
    return {
      projectId: x.id, planId: p.id, fundYear: p.fundYear, communityCodes: x.communityCodes, catalogueCode: x.catalogueCode, category: x.category, title: x.title,
      budgetFen: x.budgetFen, providerKind: x.providerKind, procedureType: x.procedureType, status: p.status, regionPath: p.regionPath,
    };
  }

  /** Projects of filed plans (contracts are signed only for these), by community or region and fund year. No access check. */
  async filedProjects(db: Executor, filter: { communityCode?: string; regionPrefix?: string; fundYear?: number }) {
    const rows = await this.repo.filedProjects(db, { communityCode: filter.communityCode, pathPrefix: filter.regionPrefix, fundYear: filter.fundYear });
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

  /**
   * For the dashboard: the caller's plans of the fund year whose street review is overdue, by due
   * date (at most 500, the page the dashboard has always shown).
   */
  async overdueReviews(actor: Actor, fundYear: number) {
    requirePermission(actor, 'plans:read');
    return this.scopedPlans(actor, { fundYear, status: ['submitted'], reviewDueBefore: this.today(), limit: OVERDUE_REVIEWS_SHOWN });
  }

  /** One plan project with its plan's status and region (for contracts). No access check. */
  /** Many projects in one query (reports compile a district's hundreds of them). */
  async getProjects(db: Executor, projectIds: number[]) {
    const rows = await this.repo.projectsWithPlans(db, [...new Set(projectIds)]);
    return new Map(rows.map((r) => [r.project.id, this.projectView(r.project, r.plan)]));
  }

  async getProject(db: Executor, projectId: number) {
    const row = await this.repo.projectWithPlan(db, projectId);
    return row ? this.projectView(row.project, row.plan) : undefined;
  }

  async project(actor: Actor, projectId: number) {
    requirePermission(actor, 'plans:read');
    const row = await this.repo.projectWithPlan(this.db, projectId);
    if (!row) throw projectNotFound();
    const members = (await this.repo.communities(this.db, [row.plan.id])).map((m) => m.communityCode);
    if (!this.sees(actor, row.plan, members)) throw projectNotFound();
    return this.projectView(row.project, row.plan);
  }

  // ---------------------------------------------------------------- to-do centre and messages

  /** What awaits the caller, derived from the state of plans and decisions (never stored, never drifts). */
  async todo(actor: Actor) {
    const today = this.today();
    type Item = { key: string; kind: string; title: string; detail: string; regionName: string; dueOn: string | null; workdaysLeft: number | null; overdue: boolean; link: string; provisional?: boolean };
    const items: Item[] = [];
    if (!hasPermission(actor, 'plans:read') || !actor.scopePath) return { today, items };
    const plans = await this.scopedPlans(actor, {});
    const members = await this.repo.communities(this.db, plans.map((p) => p.id));
    const regions = await this.regions.byCodes([...new Set([...plans.flatMap((p) => [p.streetCode, p.districtCode]), ...members.map((m) => m.communityCode)])]);
    const nameOf = (p: PlanRow) => (p.kind === 'community' ? (regions.find((r) => r.code === p.communityCode)?.name ?? p.communityCode!) : `${regions.find((r) => r.code === p.streetCode)?.name ?? p.streetCode}片区`);
    const planItem = async (p: PlanRow, kind: string, title: string, detail: string, due: string | null): Promise<Item> => {
      const countdown = await this.countdown(today, due);
      return {
        key: `${kind}:${p.id}:${p.round}`, kind, title, detail, regionName: nameOf(p), dueOn: due, workdaysLeft: countdown.workdaysLeft, overdue: !!due && today > due, link: `/plans/${p.id}`,
        provisional: (due !== null && due === p.reviewDueOn && p.reviewDueProvisional) || countdown.provisional,
      };
    };
    const ownsPlan = (p: PlanRow) => (actor.role === 'community' ? p.kind === 'community' : actor.role === 'street_office' && p.kind === 'area');

    for (const p of plans) {
      if (ownsPlan(p) && p.status === 'draft') items.push(await planItem(p, 'plan_draft', '编制并提交使用方案', p.title, null));
      if (ownsPlan(p) && p.status === 'returned') items.push(await planItem(p, 'plan_returned', `方案被退回：${p.returnStep ? STEP_LABELS[p.returnStep] : '修改方案'}`, (p.returnReasons ?? []).map((r) => r.note).join('；'), null));
      if (actor.role === 'street_office' && p.status === 'submitted') items.push(await planItem(p, 'plan_review', '街道初审使用方案', p.title, p.reviewDueOn));
      if (actor.role === 'district_bureau' && p.status === 'submitted' && p.reviewDueOn && today > p.reviewDueOn) items.push(await planItem(p, 'review_overdue', '督办：街道初审已逾期', `${p.title}（应于 ${p.reviewDueOn} 前完成初审）`, p.reviewDueOn));
      if (p.status === 'approved' && ((actor.role === 'district_bureau' && p.filingLevel === 'district') || (actor.role === 'city_bureau' && p.filingLevel === 'city'))) items.push(await planItem(p, 'plan_filing', '使用方案备案', p.title, null));
    }

    // Communities whose decision is ready for review but that have no plan yet; decisions suspended by objections.
    if (actor.role === 'community' || actor.role === 'street_office') {
      const code = actor.scopePath.split('/').pop()!;
      const overview = await this.decisions.overviewUnder(code, { today });
      const planned = new Set(members.map((m) => `${m.communityCode}:${plans.find((p) => p.id === m.planId)?.fundYear}`));
      const names = await this.regions.byCodes([...new Set(overview.map((d) => d.communityCode))]);
      for (const d of overview) {
        const name = names.find((r) => r.code === d.communityCode)?.name ?? d.communityCode;
        if (actor.role === 'community' && d.status === 'ready_for_review' && !planned.has(`${d.communityCode}:${d.fundYear}`)) {
          items.push({ key: `plan_create:${d.decisionId}`, kind: 'plan_create', title: '根据决策清单编制使用方案', detail: `${d.fundYear} 年度决策公示期满`, regionName: name, dueOn: null, workdaysLeft: null, overdue: false, link: '/plans' });
        }
        if (actor.role === 'community' && d.status === 'suspended') {
          items.push({ key: `decision_revote:${d.decisionId}:${d.round}`, kind: 'decision_revote', title: '异议达到法定比例，须重新表决', detail: `异议 ${d.objectors}/${d.objectorsNeeded} 人`, regionName: name, dueOn: null, workdaysLeft: null, overdue: false, link: `/decisions/${d.decisionId}` });
        }
      }
    }
    // Other modules' items (disclosure monitoring, issue 11), wired in services.ts.
    for (const source of this.todoSources) items.push(...(await source(actor, today)));
    items.sort((a, b) => Number(b.overdue) - Number(a.overdue) || (a.dueOn ?? '9999').localeCompare(b.dueOn ?? '9999') || a.key.localeCompare(b.key));
    return { today, items };
  }

  /** In-app messages for events that concern the caller, derived from state; only read marks are stored. */
  async messages(actor: Actor) {
    const today = this.today();
    type Message = { key: string; kind: string; title: string; body: string; on: string; link: string; read: boolean };
    const out: Omit<Message, 'read'>[] = [];
    if (hasPermission(actor, 'plans:read') && actor.scopePath) {
      const plans = await this.scopedPlans(actor, {});
      const own = (p: PlanRow) => (actor.role === 'community' ? true : actor.role === 'street_office' ? p.kind === 'area' : false);
      for (const p of plans) {
        if (p.status === 'returned' && p.returnedOn && (own(p) || actor.role === 'street_office')) {
          out.push({ key: `plan_returned:${p.id}:${p.round}`, kind: 'plan_returned', title: `使用方案被退回（${p.returnStep ? STEP_LABELS[p.returnStep] : '修改方案'}）`, body: `${p.title}：${(p.returnReasons ?? []).map((r) => `${r.note}${r.clause}`).join('；')}`, on: p.returnedOn, link: `/plans/${p.id}` });
        }
        if (p.status === 'filed' && p.filedOn && (own(p) || actor.role === 'street_office' || actor.role === 'district_bureau')) {
          out.push({ key: `plan_filed:${p.id}:${p.round}`, kind: 'plan_filed', title: `使用方案已${p.filingLevel === 'city' ? '向市民政局' : '向区民政局'}备案`, body: p.title, on: p.filedOn, link: `/plans/${p.id}` });
        }
        if (p.status === 'submitted' && p.reviewDueOn && today > p.reviewDueOn && (actor.role === 'district_bureau' || actor.role === 'street_office' || actor.role === 'city_bureau')) {
          out.push({ key: `review_overdue:${p.id}:${p.round}`, kind: 'review_overdue', title: '街道初审逾期', body: `${p.title} 应于 ${p.reviewDueOn} 前完成初审 [N 3.1.2(2)]`, on: p.reviewDueOn, link: `/plans/${p.id}` });
        }
      }
    }
    if (hasPermission(actor, 'decisions:read') && actor.scopePath) {
      const code = actor.scopePath.split('/').pop()!;
      const overview = await this.decisions.overviewUnder(code, { today });
      const names = await this.regions.byCodes([...new Set(overview.map((d) => d.communityCode))]);
      for (const d of overview) {
        if (d.status !== 'suspended' || !d.noticeId) continue;
        const name = names.find((r) => r.code === d.communityCode)?.name ?? d.communityCode;
        out.push({ key: `objection_threshold:${d.noticeId}`, kind: 'objection_threshold', title: '公示异议达到法定比例', body: `${name}：异议 ${d.objectors} 人，达到 ${d.objectorsNeeded} 人，决策中止，须重新表决 [N 3.1.2(1)]`, on: d.suspendedOn ?? today, link: `/decisions/${d.decisionId}` });
      }
    }
    for (const source of this.messageSources) out.push(...(await source(actor, today)));
    const read = await this.repo.readKeys(this.db, actor.userId);
    const items = out.map((m) => ({ ...m, read: read.has(m.key) })).sort((a, b) => b.on.localeCompare(a.on) || a.key.localeCompare(b.key));
    return { unread: items.filter((m) => !m.read).length, items };
  }

  /** Marks messages read (all current ones when no keys are given). */
  async markRead(actor: Actor, keys?: string[]) {
    const current = (await this.messages(actor)).items.map((m) => m.key);
    const chosen = keys ? keys.filter((k) => current.includes(k)) : current;
    await this.db.transaction((tx) => this.repo.markRead(tx, actor.userId, chosen));
    return this.messages(actor);
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
    const members = await this.repo.communities(db, items.map((p) => p.id));
    const projects = await this.repo.projects(db, items.map((p) => p.id));
    return items.map((p) => ({
      id: p.id, fundYear: p.fundYear, kind: p.kind, title: p.title, status: p.status, filingLevel: p.filingLevel, submittedOn: p.submittedOn, approvedOn: p.approvedOn, filedOn: p.filedOn, regionPath: p.regionPath,
      communityCodes: members.filter((m) => m.planId === p.id).map((m) => m.communityCode),
      projects: projects.filter((x) => x.planId === p.id).map((x) => ({ id: x.id, decisionProjectId: x.decisionProjectId, title: x.title, content: x.content, catalogueCode: x.catalogueCode, category: x.category, budgetFen: x.budgetFen, communityCodes: x.communityCodes, providerKind: x.providerKind })),
    }));
  }
}

export { RULE_IDS, RULE_LABELS };
export type { RuleResult };
