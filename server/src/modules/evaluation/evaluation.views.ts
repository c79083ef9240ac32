import type { Executor } from '../../db/client.js';
import type { Grade } from '../../db/schema/evaluation.js';
import { gather } from '../../common/gather.js';
import { todayInChina } from '../../common/dates.js';
import type { Now } from '../../common/clock.js';
import type { PlansService } from '../plans/plans.service.js';
import type { PolicyService } from '../policy/policy.service.js';
import type { RegionsService } from '../regions/regions.service.js';
import { EvaluationRepository, type AssignmentRow, type RoundRow } from './evaluation.repository.js';
import { closureOf, countdown, formatScore, GRADE_LABELS, KIND_LABELS, PARTICIPANT_LABELS } from './evaluation.rules.js';
import type { AssignmentDetailView, AssignmentView, RoundView } from './evaluation.schemas.js';

/**
 * The views of rounds and assignments [N 3.2] (countdown, counts by grade, project titles, rubric
 * with scores), shared by the evaluation use cases and the reads for reports and the dashboard.
 * No access check: callers pass only what the actor may see.
 */
export class EvaluationViews {
  private readonly repo = new EvaluationRepository();

  constructor(
    private readonly regions: RegionsService,
    private readonly policy: PolicyService,
    private readonly plans: PlansService,
    private readonly clock: Now,
  ) {}

  private today(): string {
    return todayInChina(this.clock());
  }

  /** Round views from the visible assignments counted by round, status and grade. */
  async roundViewsOf(
    rows: RoundRow[],
    counts: { roundId: number; status: AssignmentRow['status']; grade: Grade | null; n: number }[],
    db: Executor,
  ): Promise<RoundView[]> {
    const today = this.today();
    const names = await this.regions.byCodes([...new Set(rows.map((r) => r.districtCode))], db);
    const sum = (cs: typeof counts) => cs.reduce((s, c) => s + c.n, 0);
    return rows.map((r) => {
      const mine = counts.filter((c) => c.roundId === r.id);
      const concluded = mine.filter((c) => c.status === 'concluded');
      const outstanding = sum(mine) - sum(concluded);
      const byGrade = Object.fromEntries(
        (['excellent', 'good', 'pass', 'fail'] as Grade[]).map((g) => [g, sum(concluded.filter((c) => c.grade === g))]),
      ) as Record<Grade, number>;
      return {
        id: r.id,
        fundYear: r.fundYear,
        kind: r.kind,
        kindLabel: KIND_LABELS[r.kind],
        districtCode: r.districtCode,
        districtName: names.find((n) => n.code === r.districtCode)?.name ?? r.districtCode,
        dueOn: r.dueOn,
        openedOn: r.openedOn,
        status: r.status,
        ...countdown(today, r.dueOn, outstanding > 0 && r.status === 'open'),
        counts: { assigned: sum(mine), concluded: sum(concluded), outstanding, byGrade },
      };
    });
  }

  async assignmentViews(db: Executor, rows: AssignmentRow[], rounds: RoundRow[]): Promise<AssignmentView[]> {
    const today = this.today();
    const orgs = await this.repo.orgs(db);
    const projects = await this.plans.getProjects(
      db,
      rows.map((a) => a.planProjectId),
    );
    const names = await this.regions.byCodes([...new Set(rows.map((a) => a.communityCode))], db);
    return rows.map((a) => {
      const r = rounds.find((x) => x.id === a.roundId)!;
      const p = projects.get(a.planProjectId);
      return {
        id: a.id,
        roundId: a.roundId,
        fundYear: r.fundYear,
        kind: r.kind,
        kindLabel: KIND_LABELS[r.kind],
        dueOn: r.dueOn,
        ...countdown(today, r.dueOn, a.status !== 'concluded'),
        planProjectId: a.planProjectId,
        projectTitle: p?.title ?? '',
        catalogueCode: p?.catalogueCode ?? '',
        communityCode: a.communityCode,
        communityName: names.find((n) => n.code === a.communityCode)?.name ?? a.communityCode,
        budgetFen: a.budgetFen,
        method: a.method,
        methodLabel: a.method === 'third_party' ? '第三方评估' : '评审会',
        evaluatorOrgId: a.evaluatorOrgId,
        evaluatorName: orgs.find((o) => o.id === a.evaluatorOrgId)?.name ?? null,
        meetingOn: a.meetingOn,
        status: a.status,
        scoreBp: a.scoreBp,
        score: a.scoreBp === null ? null : formatScore(a.scoreBp),
        grade: a.grade,
        gradeLabel: a.grade ? GRADE_LABELS[a.grade] : null,
        peopleCovered: a.peopleCovered,
        conclusion: a.conclusion,
        problems: a.problems,
        concludedOn: a.concludedOn,
        closure: r.kind === 'final' ? closureOf(a.grade) : null,
      };
    });
  }

  async assignmentDetail(db: Executor, a: AssignmentRow): Promise<AssignmentDetailView> {
    const round = (await this.repo.round(db, a.roundId))!;
    const policy = await this.policy.forYear(round.fundYear, db);
    const [view] = await this.assignmentViews(db, [a], [round]);
    const [scores, evidence, participants] = await gather(db, [
      () => this.repo.scores(db, a.id),
      () => this.repo.evidence(db, a.id),
      () => this.repo.participants(db, [a.id]),
    ] as const);
    return {
      ...view!,
      rubric: policy.evaluationRubric.map((item) => ({
        ...item,
        score: scores.find((s) => s.itemCode === item.code)?.score ?? null,
        note: scores.find((s) => s.itemCode === item.code)?.note ?? '',
      })),
      gradeThresholds: policy.gradeThresholds,
      evidence: evidence.map((e) => ({ id: e.id, name: e.name, kind: e.kind, ref: e.ref })),
      participants: participants.map((p) => ({
        category: p.category,
        categoryLabel: PARTICIPANT_LABELS[p.category],
        name: p.name,
        affiliation: p.affiliation,
      })),
    };
  }
}
