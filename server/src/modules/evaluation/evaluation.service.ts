import { randomUUID } from 'node:crypto';
import type { SQL } from 'drizzle-orm';
import type { Db, Executor } from '../../db/client.js';
import type { EvaluationKind } from '../../db/schema/evaluation.js';
import { pathInScope, requirePermission, type Actor } from '../../common/access.js';
import { todayInChina } from '../../common/dates.js';
import type { Now } from '../../common/clock.js';
import { DomainError } from '../../common/errors.js';
import { refusalError } from '../../common/verdict.js';
import { atMostOneError, heldOnce } from '../../common/at-most-one.js';
import { IdempotencyService } from '../idempotency/idempotency.service.js';
import type { AuditService } from '../audit/audit.service.js';
import { rootOf, type LedgerService } from '../ledger/ledger.service.js';
import type { PlansService } from '../plans/plans.service.js';
import type { PolicyService } from '../policy/policy.service.js';
import type { EvaluationOutcomes } from '../procurement/procurement.service.js';
import type { RemainderVoidView } from '../procurement/procurement.schemas.js';
import type { RegionsService } from '../regions/regions.service.js';
import { EvaluationRepository, type AssignmentRow, type RoundRow } from './evaluation.repository.js';
import { EvaluationViews } from './evaluation.views.js';
import type {
  AssignBody,
  AssignmentDetailView,
  AssignmentListView,
  ConcludeBody,
  ConclusionView,
  EvaluatorOrgView,
  EvidenceBody,
  FeeBody,
  FeeView,
  OpenRoundBody,
  RoundDetailView,
  RoundListView,
  RoundsQuery,
  RoundView,
  AssignmentsQuery,
} from './evaluation.schemas.js';
import { countdown, dueDateOf, EVALUATION_CLAUSE, FEE_CLAUSE, gradeOf, KIND_LABELS, outcomeOf, weightedScore } from './evaluation.rules.js';

/**
 * What a concluded evaluation does to contracts and providers [N 3.2], as this module needs it from
 * the procurement module (provided by its `EvaluationConsequencesService`), inside this module's transaction.
 */
export interface ContractConsequences {
  providersOfProjects(db: Executor, projectIds: number[]): Promise<{ providerId: number }[]>;
  recordIneligibility(
    tx: Executor,
    input: { providerId: number; year: number; reason: string; source: 'final_evaluation'; sourceRef: string },
    actor: Actor,
  ): Promise<unknown>;
  voidRemainderAfterFailedEvaluation(
    tx: Executor,
    input: { planProjectId: number; reason: string; sourceRef: string; on: string },
    actor: Actor,
  ): Promise<RemainderVoidView[]>;
}

const notFound = (zh: string, en: string) =>
  new DomainError('NOT_FOUND', { zh: `${zh}不存在或无权查看`, en: `${en} not found` }, { kind: 'not_found' });
const roundNotFound = () => notFound('评估轮次', 'Evaluation round');
const assignmentNotFound = () => notFound('评估任务', 'Evaluation assignment');

/**
 * Evaluation [N 3.2]: mid-term and final rounds per district and fund year, each project assigned
 * to a third-party evaluator or a review meeting, scored on the policy's weighted rubric, graded.
 * The grades feed payment conditions and next year's provider eligibility (procurement service),
 * and the district reports. Fees go to the non-fund evaluation-fee account [N 3.12].
 */
export class EvaluationService implements EvaluationOutcomes {
  private readonly repo = new EvaluationRepository();
  private readonly idem = new IdempotencyService();
  private readonly views: EvaluationViews;

  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly regions: RegionsService,
    private readonly policy: PolicyService,
    private readonly plans: PlansService,
    private readonly ledger: LedgerService,
    private readonly contracts: ContractConsequences,
    private readonly clock: Now,
  ) {
    // The views read "now" through this service's clock.
    this.views = new EvaluationViews(regions, policy, plans, () => this.clock());
  }

  today(): string {
    return todayInChina(this.clock());
  }

  // ---------------------------------------------------------------- scope

  private seesRound(actor: Actor, r: RoundRow) {
    return pathInScope(actor.scopePath, r.regionPath) || Boolean(actor.scopePath?.startsWith(`${r.regionPath}/`));
  }

  private seesAssignment(actor: Actor, a: AssignmentRow) {
    if (actor.role === 'evaluator') return a.evaluatorOrgId !== null && a.evaluatorOrgId === actor.orgId;
    return pathInScope(actor.scopePath, a.regionPath);
  }

  private async roundFor(actor: Actor, id: number, db: Executor = this.db, forUpdate = false) {
    requirePermission(actor, 'evaluations:read');
    const r = await this.repo.round(db, id, forUpdate);
    if (!r) throw roundNotFound();
    if (actor.role === 'evaluator') {
      const mine = await this.repo.assignments(db, { roundIds: [id], orgId: actor.orgId ?? -1 });
      if (!mine.length) throw roundNotFound();
    } else if (!this.seesRound(actor, r)) throw roundNotFound();
    return r;
  }

  private requireDistrictOf(actor: Actor, r: RoundRow) {
    if (!pathInScope(actor.scopePath, r.regionPath)) {
      throw new DomainError(
        'FORBIDDEN',
        { zh: '只有本区民政局可以管理本区的评估', en: 'Only the district bureau manages its evaluations' },
        { kind: 'forbidden' },
      );
    }
  }

  // ---------------------------------------------------------------- evaluator organisations

  async orgs(actor: Actor): Promise<EvaluatorOrgView[]> {
    requirePermission(actor, 'evaluations:read');
    const rows = await this.repo.orgs(this.db);
    return rows
      .filter((o) => actor.role !== 'evaluator' || o.id === actor.orgId)
      .map((o) => ({ id: o.id, name: o.name, creditCode: o.creditCode, contact: o.contact }));
  }

  // ---------------------------------------------------------------- rounds

  async listRounds(actor: Actor, filter: RoundsQuery): Promise<RoundListView> {
    requirePermission(actor, 'evaluations:read');
    let rows: RoundRow[];
    if (actor.role === 'evaluator') {
      const mine = await this.repo.assignments(this.db, { orgId: actor.orgId ?? -1 });
      rows = await this.repo.rounds(this.db, {
        ids: [...new Set(mine.map((a) => a.roundId))],
        fundYear: filter.fundYear,
        kind: filter.kind,
      });
    } else {
      if (!actor.scopePath) return { items: [] };
      rows = await this.repo.rounds(this.db, { pathPrefix: actor.scopePath, fundYear: filter.fundYear, kind: filter.kind });
    }
    return { items: await this.roundViews(actor, rows) };
  }

  async openRound(actor: Actor, input: OpenRoundBody): Promise<RoundView> {
    requirePermission(actor, 'evaluations:write');
    const district = await this.regions.requireInScope(actor, input.districtCode);
    if (district.level !== 'district') {
      throw new DomainError(
        'NOT_A_DISTRICT',
        { zh: '评估轮次按区（县、市）开启', en: 'Rounds are opened per district' },
        { kind: 'invalid', field: 'districtCode', clause: EVALUATION_CLAUSE },
      );
    }
    const policy = await this.policy.forYear(input.fundYear);
    const dueOn = dueDateOf(input.fundYear, input.kind, policy);
    return this.db.transaction(async (tx) => {
      const row = await this.repo.insertRound(tx, {
        fundYear: input.fundYear,
        kind: input.kind,
        districtCode: district.code,
        regionPath: district.path,
        dueOn,
        openedOn: this.today(),
        createdByUserId: actor.userId,
      });
      if (!row) {
        throw new DomainError(
          'ROUND_EXISTS',
          {
            zh: `${district.name} ${input.fundYear} 年度${KIND_LABELS[input.kind]}已开启`,
            en: `The ${input.kind} round of ${input.fundYear} is already open`,
          },
          { kind: 'conflict', clause: EVALUATION_CLAUSE },
        );
      }
      await this.audit.record(tx, actor, {
        action: 'evaluation.round.open',
        entityType: 'evaluation_round',
        entityId: String(row.id),
        after: { fundYear: row.fundYear, kind: row.kind, districtCode: row.districtCode, dueOn },
      });
      return (await this.roundViews(actor, [row], tx))[0]!;
    });
  }

  async getRound(actor: Actor, id: number): Promise<RoundDetailView> {
    const r = await this.roundFor(actor, id);
    const view = (await this.roundViews(actor, [r]))[0]!;
    const assignments = (await this.repo.assignments(this.db, { roundIds: [id] })).filter((a) => this.seesAssignment(actor, a));
    const projects = await this.plans.filedProjects(this.db, { regionPrefix: r.regionPath, fundYear: r.fundYear });
    const assigned = new Set(assignments.map((a) => a.planProjectId));
    const canManage = actor.role === 'district_bureau' && pathInScope(actor.scopePath, r.regionPath);
    const fees = canManage || actor.role === 'city_bureau' || actor.role === 'city_finance' ? await this.repo.fees(this.db, [id]) : [];
    return {
      ...view,
      assignments: await this.views.assignmentViews(this.db, assignments, [r]),
      unassigned: canManage
        ? projects
            .filter((p) => !assigned.has(p.projectId))
            .map((p) => ({
              planProjectId: p.projectId,
              title: p.title,
              catalogueCode: p.catalogueCode,
              communityCodes: p.communityCodes,
              budgetFen: p.budgetFen,
            }))
        : [],
      fees: fees.map((f) => ({
        id: f.id,
        amountFen: f.amountFen,
        paidOn: f.paidOn,
        evaluatorOrgId: f.evaluatorOrgId,
        note: f.note,
        transferId: f.transferId,
      })),
    };
  }

  private async roundViews(actor: Actor, rows: RoundRow[], db: Executor = this.db): Promise<RoundView[]> {
    const all = await this.repo.assignments(db, { roundIds: rows.map((r) => r.id) });
    const counts = all
      .filter((a) => this.seesAssignment(actor, a))
      .map((a) => ({ roundId: a.roundId, status: a.status, grade: a.grade, n: 1 }));
    return this.views.roundViewsOf(rows, counts, db);
  }

  async assign(actor: Actor, roundId: number, input: AssignBody): Promise<AssignmentDetailView> {
    requirePermission(actor, 'evaluations:write');
    const r = await this.roundFor(actor, roundId);
    this.requireDistrictOf(actor, r);
    const project = await this.plans.getProject(this.db, input.planProjectId);
    if (!project || project.status !== 'filed' || project.fundYear !== r.fundYear || !pathInScope(r.regionPath, project.regionPath)) {
      throw new DomainError(
        'PROJECT_NOT_EVALUABLE',
        { zh: '只能评估本区本年度已备案方案中的项目', en: 'Only projects of filed plans of the district and fund year are evaluated' },
        { kind: 'invalid', field: 'planProjectId', clause: EVALUATION_CLAUSE },
      );
    }
    if (input.method === 'third_party') {
      if (!input.evaluatorOrgId || !(await this.repo.org(this.db, input.evaluatorOrgId))) {
        throw new DomainError(
          'EVALUATOR_REQUIRED',
          { zh: '委托第三方评估须指定已登记的评估机构', en: 'A third-party evaluation names a registered evaluator organisation' },
          { kind: 'invalid', field: 'evaluatorOrgId', clause: EVALUATION_CLAUSE },
        );
      }
    } else if (!input.participants?.length || !input.meetingOn) {
      throw new DomainError(
        'PARTICIPANTS_REQUIRED',
        { zh: '评审会须登记会议日期和参会人员（按类别）', en: 'A review meeting records its date and participants by category' },
        { kind: 'invalid', field: 'participants', clause: EVALUATION_CLAUSE },
      );
    }
    return this.db.transaction(async (tx) => {
      const round = (await this.repo.round(tx, roundId, true))!;
      if (round.status !== 'open')
        throw new DomainError('ROUND_CLOSED', { zh: '评估轮次已结束', en: 'The round is closed' }, { kind: 'conflict' });
      const row = await this.repo.insertAssignment(tx, {
        roundId,
        planProjectId: project.projectId,
        communityCode: project.communityCodes[0] ?? '',
        regionPath: project.regionPath,
        budgetFen: project.budgetFen,
        method: input.method,
        evaluatorOrgId: input.method === 'third_party' ? input.evaluatorOrgId! : null,
        meetingOn: input.method === 'review_meeting' ? input.meetingOn! : null,
      });
      if (!row) throw atMostOneError('evaluation_assignment_unique_idx');
      if (input.method === 'review_meeting') {
        await this.repo.insertParticipants(
          tx,
          input.participants!.map((p) => ({
            assignmentId: row.id,
            category: p.category,
            name: p.name.trim(),
            affiliation: p.affiliation ?? '',
          })),
        );
      }
      await this.audit.record(tx, actor, {
        action: 'evaluation.assign',
        entityType: 'evaluation_assignment',
        entityId: String(row.id),
        after: {
          roundId,
          planProjectId: row.planProjectId,
          method: row.method,
          evaluatorOrgId: row.evaluatorOrgId,
          participants: input.participants?.length ?? 0,
        },
      });
      return this.views.assignmentDetail(tx, row);
    });
  }

  // ---------------------------------------------------------------- assignments

  async listAssignments(actor: Actor, filter: AssignmentsQuery): Promise<AssignmentListView> {
    requirePermission(actor, 'evaluations:read');
    if (actor.role !== 'evaluator' && !actor.scopePath) return { items: [] };
    const rows = await this.repo.assignments(this.db, {
      roundIds: filter.roundId ? [filter.roundId] : undefined,
      status: filter.status,
      ...(actor.role === 'evaluator' ? { orgId: actor.orgId ?? -1 } : { pathPrefix: actor.scopePath! }),
    });
    const rounds = await this.repo.rounds(this.db, { ids: [...new Set(rows.map((a) => a.roundId))], fundYear: filter.fundYear });
    const inYear = rows.filter((a) => rounds.some((r) => r.id === a.roundId));
    return { items: await this.views.assignmentViews(this.db, inYear, rounds) };
  }

  private async assignmentFor(actor: Actor, id: number, db: Executor = this.db, forUpdate = false) {
    requirePermission(actor, 'evaluations:read');
    const a = await this.repo.assignment(db, id, forUpdate);
    if (!a || !this.seesAssignment(actor, a)) throw assignmentNotFound();
    return a;
  }

  async getAssignment(actor: Actor, id: number): Promise<AssignmentDetailView> {
    return this.views.assignmentDetail(this.db, await this.assignmentFor(actor, id));
  }

  /** Who scores: the commissioned evaluator for its own assignment; the district bureau records a review meeting's result. */
  private requireScorer(actor: Actor, a: AssignmentRow) {
    requirePermission(actor, 'evaluations:score');
    const ok =
      a.method === 'third_party'
        ? actor.role === 'evaluator' && actor.orgId === a.evaluatorOrgId
        : actor.role === 'district_bureau' && pathInScope(actor.scopePath, a.regionPath);
    if (!ok) {
      throw new DomainError(
        'FORBIDDEN',
        { zh: '只有受托评估机构（或评审会的组织单位）可以评分', en: "Only the commissioned evaluator (or the meeting's organiser) scores" },
        { kind: 'forbidden', clause: EVALUATION_CLAUSE },
      );
    }
  }

  async addEvidence(actor: Actor, id: number, input: EvidenceBody): Promise<AssignmentDetailView> {
    const a = await this.assignmentFor(actor, id);
    this.requireScorer(actor, a);
    return this.db.transaction(async (tx) => {
      const row = await this.repo.insertEvidence(tx, {
        assignmentId: id,
        name: input.name.trim(),
        kind: input.kind,
        ref: input.ref ?? null,
        addedByUserId: actor.userId,
      });
      await this.audit.record(tx, actor, {
        action: 'evaluation.evidence',
        entityType: 'evaluation_assignment',
        entityId: String(id),
        after: { evidenceId: row.id, name: row.name, kind: row.kind },
      });
      return this.views.assignmentDetail(tx, (await this.repo.assignment(tx, id))!);
    });
  }

  async conclude(actor: Actor, id: number, input: ConcludeBody): Promise<ConclusionView> {
    const a = await this.assignmentFor(actor, id);
    this.requireScorer(actor, a);
    const round = (await this.repo.round(this.db, a.roundId))!;
    const policy = await this.policy.forYear(round.fundYear);
    const scored = weightedScore(policy.evaluationRubric, input.scores);
    if (!scored.ok) throw refusalError({ ...scored, kind: 'invalid', clause: EVALUATION_CLAUSE });
    const grade = gradeOf(scored.value, policy.gradeThresholds);
    const today = this.today();
    return this.db.transaction(async (tx) => {
      const locked = (await this.repo.assignment(tx, id, true))!;
      if (locked.status === 'concluded') {
        throw new DomainError(
          'ALREADY_CONCLUDED',
          { zh: '该评估已出具结论，不能重复评分', en: 'The evaluation is already concluded' },
          { kind: 'conflict', clause: EVALUATION_CLAUSE },
        );
      }
      const r = (await this.repo.round(tx, locked.roundId))!;
      if (r.status !== 'open')
        throw new DomainError('ROUND_CLOSED', { zh: '评估轮次已结束', en: 'The round is closed' }, { kind: 'conflict' });
      await this.repo.insertScores(
        tx,
        input.scores.map((s) => ({
          assignmentId: id,
          itemCode: s.code,
          weight: policy.evaluationRubric.find((x) => x.code === s.code)!.weight,
          score: s.score,
          note: s.note ?? '',
        })),
      );
      await this.repo.updateAssignment(tx, id, {
        status: 'concluded',
        scoreBp: scored.value,
        grade,
        peopleCovered: input.peopleCovered ?? null,
        conclusion: input.conclusion,
        problems: input.problems ?? '',
        concludedOn: today,
        concludedByUserId: actor.userId,
      });
      await this.audit.record(tx, actor, {
        action: 'evaluation.conclude',
        entityType: 'evaluation_assignment',
        entityId: String(id),
        before: { status: locked.status },
        after: { status: 'concluded', kind: r.kind, scoreBp: scored.value, grade, planProjectId: locked.planProjectId },
      });
      // [N 3.2] A 不合格 final evaluation makes the project's providers ineligible next year.
      const ineligible: number[] = [];
      if (r.kind === 'final' && grade === 'fail') {
        const providers = [...new Set((await this.contracts.providersOfProjects(tx, [locked.planProjectId])).map((c) => c.providerId))];
        for (const providerId of providers) {
          await this.contracts.recordIneligibility(
            tx,
            {
              providerId,
              year: r.fundYear + 1,
              reason: `${r.fundYear} 年度终期评估结果为不合格（评估任务 ${id}）[N 3.2]`,
              source: 'final_evaluation',
              sourceRef: `evaluation_assignment:${id}`,
            },
            actor,
          );
          ineligible.push(providerId);
        }
      }
      // [N 3.2] "An evaluation failure voids the rest": the unpaid instalments of the project's contracts
      // are voided and their commitment released to the community, in this transaction.
      const voided =
        r.kind === 'final' && grade === 'fail'
          ? await this.contracts.voidRemainderAfterFailedEvaluation(
              tx,
              {
                planProjectId: locked.planProjectId,
                reason: `${r.fundYear} 年度终期评估结果为不合格（评估任务 ${id}），未拨付的款项作废 [N 3.2]`,
                sourceRef: `evaluation_assignment:${id}`,
                on: today,
              },
              actor,
            )
          : [];
      return {
        ...(await this.views.assignmentDetail(tx, (await this.repo.assignment(tx, id))!)),
        effects: { ineligibleProviders: ineligible, ineligibleYear: ineligible.length ? r.fundYear + 1 : null, voidedContracts: voided },
      };
    });
  }

  // ---------------------------------------------------------------- fees [N 3.12]

  async recordFee(actor: Actor, roundId: number, input: FeeBody): Promise<FeeView> {
    requirePermission(actor, 'evaluations:write');
    const { requestId, ...request } = input;
    const keyed = { scope: 'evaluation.fee', key: requestId, userId: actor.userId, request: { roundId, ...request } };
    const replayed = await this.idem.replay<FeeView>(this.db, keyed);
    if (replayed) return replayed;
    const r = await this.roundFor(actor, roundId);
    this.requireDistrictOf(actor, r);
    if (input.evaluatorOrgId && !(await this.repo.org(this.db, input.evaluatorOrgId))) throw notFound('评估机构', 'Evaluator organisation');
    const community = input.chargeTo === 'community_fund' ? await this.regions.requireInScope(actor, input.communityCode ?? '') : null;
    const transferId = `EF${r.fundYear}-R${r.id}-${input.requestId ?? randomUUID()}`;
    // One fee per request id [N 3.12]: a retry answers the first result (idempotency_key), and the
    // transfer id derived from the key is unique in the ledger and in evaluation_fee.
    return heldOnce(
      this.db.transaction(async (tx) =>
        this.idem.once(tx, keyed, 201, async () => {
          const reference = `${r.fundYear} 年度${KIND_LABELS[r.kind]}评估费`;
          if (community) {
            // Charging the fund is refused by the ledger itself [N 3.12]; this path exists to prove it.
            await this.ledger.ensureAccount(tx, {
              fundYear: r.fundYear,
              kind: 'evaluation_fee',
              ref: 'spent',
              regionPath: rootOf(r.regionPath),
            });
            await this.ledger.createTransfer(
              tx,
              {
                id: transferId,
                fundYear: r.fundYear,
                kind: 'posted',
                code: 'evaluation_fee',
                amount: input.amountFen,
                reference,
                debit: { fundYear: r.fundYear, kind: 'community_available', ref: community.code },
                credit: { fundYear: r.fundYear, kind: 'evaluation_fee', ref: 'spent' },
              },
              actor,
            );
          } else {
            await this.ledger.recordEvaluationFee(
              tx,
              { id: transferId, fundYear: r.fundYear, regionPath: r.regionPath, amount: input.amountFen, reference },
              actor,
            );
          }
          const row = await this.repo.insertFee(tx, {
            roundId,
            evaluatorOrgId: input.evaluatorOrgId ?? null,
            amountFen: input.amountFen,
            paidOn: input.paidOn,
            note: input.note ?? '',
            transferId,
            createdByUserId: actor.userId,
          });
          await this.audit.record(tx, actor, {
            action: 'evaluation.fee',
            entityType: 'evaluation_round',
            entityId: String(roundId),
            after: { feeId: row.id, amountFen: row.amountFen, transferId, clause: FEE_CLAUSE },
          });
          return {
            id: row.id,
            roundId,
            amountFen: row.amountFen,
            paidOn: row.paidOn,
            evaluatorOrgId: row.evaluatorOrgId,
            note: row.note,
            transferId,
          };
        }),
      ),
    );
  }

  // ---------------------------------------------------------------- for other modules

  /** [N 3.3] For the procurement service: the mid-term and final outcomes of a contract's projects. */
  async outcomes(db: Executor, contract: { id: number; fundYear: number; projectIds: number[] }) {
    const rows = await this.repo.gradesOf(db, contract.projectIds, contract.fundYear);
    const byKind = (kind: EvaluationKind) => new Map(rows.filter((x) => x.kind === kind).map((x) => [x.planProjectId, x.grade]));
    return { midterm: outcomeOf(contract.projectIds, byKind('midterm')), final: outcomeOf(contract.projectIds, byKind('final')) };
  }

  /** For district reports: rounds and assignments of a district, year and kind. No access check. */
  async roundData(db: Executor, fundYear: number, kind: EvaluationKind, districtPath: string) {
    const rounds = (await this.repo.rounds(db, { pathPrefix: districtPath, fundYear, kind })).filter((r) => r.regionPath === districtPath);
    const assignments = await this.repo.assignments(db, { roundIds: rounds.map((r) => r.id) });
    return { round: rounds[0] ?? null, assignments: await this.views.assignmentViews(db, assignments, rounds) };
  }

  /** For the dashboard: grade counts by kind under a region (SQL aggregate). No access check. */
  async gradeCounts(db: Executor, fundYear: number, pathPrefix: string) {
    return this.repo.gradeCounts(db, fundYear, pathPrefix);
  }

  /** For the portal and payment conditions: concluded grades of projects by kind. No access check. */
  async gradesOf(db: Executor, projectIds: number[], fundYear?: number) {
    return this.repo.gradesOf(db, projectIds, fundYear);
  }

  /** For the dashboard: projects with a concluded evaluation in the fund year, as a SQL relation (plan_project_id, kind). No access check. */
  concludedProjects(fundYear: number): SQL {
    return this.repo.concludedProjectsRelation(fundYear);
  }

  /**
   * For the dashboard: open rounds under a region that are overdue, their assignments under the
   * region counted in SQL. Only an open round past its due date can be overdue, so only those
   * are counted. No access check.
   */
  async overdueRounds(db: Executor, fundYear: number, pathPrefix: string) {
    const today = this.today();
    const due = (await this.repo.rounds(db, { pathPrefix, fundYear })).filter(
      (r) => r.status === 'open' && countdown(today, r.dueOn, true).overdue,
    );
    const counts = await this.repo.assignmentCounts(
      db,
      due.map((r) => r.id),
      pathPrefix,
    );
    return (await this.views.roundViewsOf(due, counts, db)).filter((r) => r.overdue);
  }
}
