import type { Db, Executor } from '../../db/client.js';
import { gather } from '../../common/gather.js';
import { pathInScope, requirePermission, type Actor, type Permission } from '../../common/access.js';
import { todayInChina } from '../../common/dates.js';
import type { Now } from '../../common/clock.js';
import { DomainError, notFoundOrHidden } from '../../common/errors.js';
import type { CalendarService } from '../calendar/calendar.service.js';
import type { DecisionsService } from '../decisions/decisions.service.js';
import type { LedgerService } from '../ledger/ledger.service.js';
import type { NeedsService } from '../needs/needs.service.js';
import type { PolicyDocument } from '../policy/policy.schemas.js';
import type { PolicyService } from '../policy/policy.service.js';
import type { RatingsService } from '../ratings/ratings.service.js';
import type { RegionsService } from '../regions/regions.service.js';
import type { PlansRepository, PlanProjectRow, PlanRow } from './plans.repository.js';
import {
  checkPlan,
  draftFigures,
  FILING_LABELS,
  memberBudgets,
  memberProcedure,
  STEP_LABELS,
  type CommunityContext,
} from './plans.rules.js';
import type { PlanSummaryView, PlanView } from './plans.schemas.js';

export const STATUS_LABELS: Record<PlanRow['status'], string> = {
  draft: '编制中',
  submitted: '待街道初审',
  returned: '已退回',
  approved: '待备案',
  filed: '已备案',
};

export const REVIEW_CLAUSE = '[N 3.1.2(2)]';
export const FILING_CLAUSE = '[N 2.3]';

export const planNotFound = () => notFoundOrHidden({ zh: '使用方案', en: 'Plan' });
export const projectNotFound = () => notFoundOrHidden({ zh: '服务项目', en: 'Project' });
export const wrongStatus = (status: PlanRow['status'], action: { zh: string; en: string }) =>
  new DomainError(
    'PLAN_STATUS',
    { zh: `方案当前状态为"${STATUS_LABELS[status]}"，不能${action.zh}`, en: `The plan is ${status}; cannot ${action.en}` },
    { kind: 'conflict', clause: REVIEW_CLAUSE, details: { status } },
  );

/** What the plans module reads from the modules it is built on. */
export interface PlansDependencies {
  regions: RegionsService;
  policy: PolicyService;
  calendar: CalendarService;
  ratings: RatingsService;
  ledger: LedgerService;
  needs: NeedsService;
  decisions: DecisionsService;
}

/**
 * What every use case of the plans module shares: who sees a plan, the community figures the
 * compliance engine reads, and the plan's view with its live compliance panel.
 */
export class PlanContext {
  constructor(
    readonly db: Db,
    readonly repo: PlansRepository,
    readonly deps: PlansDependencies,
    private readonly clock: Now,
  ) {}

  today(): string {
    return todayInChina(this.clock());
  }

  // ---------------------------------------------------------------- scope

  actorCommunity(actor: Actor): string | null {
    return actor.role === 'community' ? (actor.scopePath?.split('/').pop() ?? null) : null;
  }

  sees(actor: Actor, p: PlanRow, members: string[]): boolean {
    const own = this.actorCommunity(actor);
    if (own) return members.includes(own);
    return pathInScope(actor.scopePath, p.regionPath);
  }

  async scoped(actor: Actor, id: number, permission: Permission, db: Executor = this.db, forUpdate = false) {
    requirePermission(actor, permission);
    const p = await this.repo.plan(db, id, forUpdate);
    if (!p) throw planNotFound();
    const members = (await this.repo.communities(db, [id])).map((m) => m.communityCode);
    if (!this.sees(actor, p, members)) throw planNotFound();
    return { plan: p, members };
  }

  /** Who edits: the community for its own plan, the street office for its area plan. */
  requireOwner(actor: Actor, p: PlanRow) {
    const own = this.actorCommunity(actor);
    const ok =
      p.kind === 'community' ? own === p.communityCode : actor.role === 'street_office' && pathInScope(actor.scopePath, p.regionPath);
    if (!ok)
      throw new DomainError(
        'FORBIDDEN',
        { zh: '只有方案的编制单位可以修改或提交', en: "Only the plan's owner edits or submits it" },
        { kind: 'forbidden' },
      );
  }

  /** Plans in the caller's scope; a community sees the plans it belongs to (its own or its street's area plan). */
  async scopedPlans(actor: Actor, filter: { fundYear?: number; status?: PlanRow['status'][]; reviewDueBefore?: string; limit?: number }) {
    const own = this.actorCommunity(actor);
    if (!actor.scopePath) return [];
    const page = {
      fundYear: filter.fundYear,
      status: filter.status,
      reviewDueBefore: filter.reviewDueBefore,
      limit: filter.limit ?? 10_000,
      offset: 0,
    };
    if (own) {
      const community = (await this.deps.regions.byCodes([own]))[0];
      const streetPath = community?.path.split('/').slice(0, -1).join('/') ?? '';
      if (!streetPath) return [];
      return (await this.repo.list(this.db, { pathPrefix: streetPath, communityCode: own, ...page })).items;
    }
    return (await this.repo.list(this.db, { pathPrefix: actor.scopePath, ...page })).items;
  }

  // ---------------------------------------------------------------- working days

  async workdaysLeft(today: string, due: string | null): Promise<number | null> {
    return (await this.countdown(today, due)).workdaysLeft;
  }

  /** Working days left until a due date, and whether that count runs through a provisional calendar year. */
  async countdown(today: string, due: string | null): Promise<{ workdaysLeft: number | null; provisional: boolean }> {
    if (!due) return { workdaysLeft: null, provisional: false };
    const answer = await this.deps.calendar.workdaysBetweenDetailed(today, due);
    return { workdaysLeft: answer.value, provisional: answer.provisional };
  }

  /** [N 3.1.2(2)] The due date of a street review, marked provisional when it runs through a year whose holiday notice is not entered (ADR 0009). */
  async reviewDueDateDetailed(submittedOn: string, fundYear: number, db: Executor = this.db) {
    const policy = await this.deps.policy.forYear(fundYear, db);
    return this.deps.calendar.addWorkdaysDetailed(submittedOn, policy.reviewWorkdays, db);
  }

  // ---------------------------------------------------------------- compliance context

  private async communityContexts(
    db: Executor,
    fundYear: number,
    streetPath: string,
    codes: string[],
    policy: PolicyDocument,
  ): Promise<CommunityContext[]> {
    const { regions, ratings, decisions, ledger, needs } = this.deps;
    const [found, rated, overview] = await gather(db, [
      () => regions.byCodes(codes, db),
      () => ratings.ratingsUnder(db, policy.ratingYear, streetPath),
      () => decisions.overviewUnder(streetPath.split('/').pop()!, { fundYear, today: this.today() }, db),
    ] as const);
    const out: CommunityContext[] = [];
    for (const code of codes) {
      const [account, coverage] = await gather(db, [
        () => ledger.communityAccount(db, fundYear, code),
        () => needs.coverageFor(code, fundYear, db),
      ] as const);
      const mine = overview.filter((d) => d.communityCode === code);
      const live = mine.filter((d) => d.status !== 'rejected').at(-1) ?? mine.at(-1);
      out.push({
        code,
        name: found.find((r) => r.code === code)?.name ?? code,
        stars: rated.find((r) => r.communityCode === code)?.stars ?? null,
        allocationFen: account?.creditsPosted ?? 0,
        coverage: coverage && {
          meets: coverage.meets,
          reached: coverage.reached,
          required: coverage.required,
          residentHouseholds: coverage.residentHouseholds,
        },
        decision: live
          ? {
              status: live.status,
              passedProjectIds:
                live.status === 'ready_for_review' || live.status === 'noticed' ? live.passedProjects.map((x) => x.projectId) : [],
              id: live.decisionId,
              passedEnhancementIds:
                live.status === 'ready_for_review' || live.status === 'noticed'
                  ? live.passedProjects.filter((x) => x.category === 'enhancement').map((x) => x.projectId)
                  : [],
            }
          : null,
      });
    }
    return out;
  }

  async evaluate(db: Executor, p: PlanRow, members: string[], projects: PlanProjectRow[]) {
    const policy = await this.deps.policy.forYear(p.fundYear, db);
    const street = (await this.deps.regions.byCodes([p.streetCode], db))[0]!;
    const communities = await this.communityContexts(db, p.fundYear, street.path, members, policy);
    const results = checkPlan(
      {
        kind: p.kind,
        projects: projects.map((x) => ({
          title: x.title,
          content: x.content,
          catalogueCode: x.catalogueCode,
          category: x.category,
          budgetFen: x.budgetFen,
          communityCodes: x.communityCodes,
          otherFunding: x.otherFunding,
          decisionProjectId: x.decisionProjectId,
          shares: x.shares,
        })),
      },
      communities,
      policy,
    );
    return { policy, communities, results };
  }

  // ---------------------------------------------------------------- views

  async view(db: Executor, p: PlanRow, members: string[]): Promise<PlanView> {
    const projects = await this.repo.projects(db, [p.id]);
    const [{ communities, results, policy }, reviews, regions] = await gather(db, [
      () => this.evaluate(db, p, members, projects),
      () => this.repo.reviews(db, p.id),
      () => this.deps.regions.byCodes([p.streetCode, p.districtCode], db),
    ] as const);
    const today = this.today();
    const catalogue = [...policy.catalogue.basic, ...policy.catalogue.enhancement];
    const budgetFen = projects.reduce((s, x) => s + x.budgetFen, 0);
    const { filingRoute, filingRouteLabel, ceilingFen } = draftFigures(communities);
    const parts = memberBudgets(projects);
    return {
      ...this.summary(p, today, await this.workdaysLeft(today, p.status === 'submitted' ? p.reviewDueOn : null), regions, communities),
      budgetFen,
      allocationFen: ceilingFen,
      // [N 2.3] Shown from the first draft: once approved, the route stored at approval.
      filingRoute: p.filingLevel ?? filingRoute,
      filingRouteLabel: p.filingLevel ? FILING_LABELS[p.filingLevel] : filingRouteLabel,
      communities: communities.map((c) => {
        const m = memberProcedure(c, policy);
        return {
          code: c.code,
          name: c.name,
          stars: c.stars,
          allocationFen: c.allocationFen,
          budgetShareFen: parts.get(c.code) ?? 0,
          decisionStatus: m.decisionStatus,
          decisionMeets: m.decisionMeets,
          coverageMeets: m.coverageMeets,
          coveragePermille: m.coveragePermille,
          thresholdPermille: m.thresholdPermille,
          missing: m.missing,
        };
      }),
      projects: projects.map((x) => ({
        id: x.id,
        decisionProjectId: x.decisionProjectId,
        title: x.title,
        content: x.content,
        catalogueCode: x.catalogueCode,
        catalogueName: catalogue.find((c) => c.code === x.catalogueCode)?.name ?? x.catalogueCode,
        category: x.category,
        budgetFen: x.budgetFen,
        communityCodes: x.communityCodes,
        shares: x.shares,
        providerKind: x.providerKind,
        otherFunding: x.otherFunding.map((f) => ({ source: f.source, amountFen: f.amountFen, government: f.government !== false })),
        procedureType: x.procedureType,
      })),
      compliance: { passed: results.every((r) => r.passed), rules: results },
      decidedProjects: await this.decidedProjects(db, p, members, policy),
      reviews: reviews.map((r) => ({
        id: r.id,
        round: r.round,
        stage: r.stage,
        outcome: r.outcome,
        decidedOn: r.decidedOn,
        returnStep: r.returnStep,
        reasons: r.reasons,
        comment: r.comment,
      })),
    };
  }

  summary(
    p: PlanRow,
    today: string,
    workdaysLeft: number | null,
    regions: { code: string; name: string }[],
    communities?: { code: string; name: string }[],
  ): Omit<PlanSummaryView, 'budgetFen'> {
    return {
      id: p.id,
      fundYear: p.fundYear,
      kind: p.kind,
      title: p.title,
      communityCode: p.communityCode,
      streetCode: p.streetCode,
      streetName: regions.find((r) => r.code === p.streetCode)?.name ?? p.streetCode,
      districtCode: p.districtCode,
      districtName: regions.find((r) => r.code === p.districtCode)?.name ?? p.districtCode,
      communityNames: communities?.map((c) => c.name) ?? [],
      status: p.status,
      statusLabel: STATUS_LABELS[p.status],
      filingLevel: p.filingLevel,
      round: p.round,
      submittedOn: p.submittedOn,
      reviewDueOn: p.reviewDueOn,
      reviewDueProvisional: p.reviewDueProvisional,
      approvedOn: p.approvedOn,
      filedOn: p.filedOn,
      returnedOn: p.returnedOn,
      returnStep: p.returnStep,
      returnStepLabel: p.returnStep ? STEP_LABELS[p.returnStep] : null,
      returnReasons: p.returnReasons ?? [],
      workdaysLeft,
      overdue: p.status === 'submitted' && !!p.reviewDueOn && today > p.reviewDueOn,
    };
  }

  /** The projects the member communities' councils passed (the list a plan draws from). */
  async decidedProjects(db: Executor, p: PlanRow, members: string[], policy: PolicyDocument) {
    const overview = await this.deps.decisions.overviewUnder(p.streetCode, { fundYear: p.fundYear, today: this.today() }, db);
    return overview
      .filter((d) => members.includes(d.communityCode) && d.status !== 'rejected')
      .flatMap((d) =>
        d.passedProjects.map((x) => ({
          decisionProjectId: x.projectId,
          communityCode: d.communityCode,
          title: x.title,
          catalogueCode: x.catalogueCode,
          category: policy.catalogue.basic.some((c) => c.code === x.catalogueCode) ? 'basic' : 'enhancement',
          estimatedBudgetFen: x.estimatedBudgetFen,
        })),
      );
  }
}
