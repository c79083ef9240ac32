import { pathInScope, requirePermission, type Actor } from '../../common/access.js';
import { DomainError } from '../../common/errors.js';
import { atMostOneError } from '../../common/at-most-one.js';
import type { PlansService } from '../plans/plans.service.js';
import type { PolicyService } from '../policy/policy.service.js';
import type { RegionsService } from '../regions/regions.service.js';
import type { RoundRow } from './evaluation.repository.js';
import { EVALUATION_KINDS, type EvaluationKind } from '../../db/schema/evaluation.js';
import type { EvaluationContext } from './evaluation.context.js';
import type {
  AssignBody,
  AssignmentDetailView,
  AssignmentListView,
  AssignmentsQuery,
  EvaluatorOrgView,
  OpenRoundBody,
  RoundDetailView,
  RoundListView,
  RoundsQuery,
  RoundView,
} from './evaluation.schemas.js';
import { dueDateOf, EVALUATION_CLAUSE, KIND_LABELS } from './evaluation.rules.js';

/**
 * Rounds and assignment [N 3.2]: the evaluator organisations, mid-term and final rounds opened per
 * district and fund year, and each filed project assigned to a third-party evaluator or a review meeting.
 */
export class EvaluationRoundsService {
  constructor(
    private readonly ctx: EvaluationContext,
    private readonly regions: RegionsService,
    private readonly policy: PolicyService,
    private readonly plans: PlansService,
  ) {}

  // ---------------------------------------------------------------- evaluator organisations

  async orgs(actor: Actor): Promise<EvaluatorOrgView[]> {
    requirePermission(actor, 'evaluations:read');
    const rows = await this.ctx.repo.orgs(this.ctx.db);
    return rows
      .filter((o) => actor.role !== 'evaluator' || o.id === actor.orgId)
      .map((o) => ({ id: o.id, name: o.name, creditCode: o.creditCode, contact: o.contact }));
  }

  // ---------------------------------------------------------------- rounds

  async listRounds(actor: Actor, filter: RoundsQuery): Promise<RoundListView> {
    requirePermission(actor, 'evaluations:read');
    let rows: RoundRow[];
    if (actor.role === 'evaluator') {
      const mine = await this.ctx.repo.assignments(this.ctx.db, { orgId: actor.orgId ?? -1 });
      rows = await this.ctx.repo.rounds(this.ctx.db, {
        ids: [...new Set(mine.map((a) => a.roundId))],
        fundYear: filter.fundYear,
        kind: filter.kind,
      });
    } else {
      if (!actor.scopePath) return { items: [] };
      rows = await this.ctx.repo.rounds(this.ctx.db, { pathPrefix: actor.scopePath, fundYear: filter.fundYear, kind: filter.kind });
    }
    return { items: await this.ctx.roundViews(actor, rows) };
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
    return this.ctx.db.transaction(async (tx) => {
      const row = await this.ctx.repo.insertRound(tx, {
        fundYear: input.fundYear,
        kind: input.kind,
        districtCode: district.code,
        regionPath: district.path,
        dueOn,
        openedOn: this.ctx.today(),
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
      await this.ctx.audit.record(tx, actor, {
        action: 'evaluation.round.open',
        entityType: 'evaluation_round',
        entityId: String(row.id),
        after: { fundYear: row.fundYear, kind: row.kind, districtCode: row.districtCode, dueOn },
      });
      return (await this.ctx.roundViews(actor, [row], tx))[0]!;
    });
  }

  /**
   * [N 3.2] The rounds a district bureau has yet to open: for every fund year with filed projects in
   * the district, each kind (mid-term, final) without a round, due on the policy's date of that year.
   */
  async roundsToOpen(
    actor: Actor,
  ): Promise<{ fundYear: number; kind: EvaluationKind; districtCode: string; districtName: string; dueOn: string; projects: number }[]> {
    if (actor.role !== 'district_bureau' || !actor.scopePath) return [];
    const district = (await this.regions.byCodes([actor.scopePath.split('/').pop()!], this.ctx.db))[0];
    if (!district || district.level !== 'district') return [];
    const projects = await this.plans.filedProjects(this.ctx.db, { regionPrefix: district.path });
    const years = [...new Set(projects.map((p) => p.fundYear))].sort();
    const rounds = await this.ctx.repo.rounds(this.ctx.db, { pathPrefix: district.path });
    const out = [];
    for (const fundYear of years) {
      const policy = await this.policy.forYear(fundYear);
      for (const kind of EVALUATION_KINDS) {
        if (rounds.some((r) => r.fundYear === fundYear && r.kind === kind && r.regionPath === district.path)) continue;
        out.push({
          fundYear,
          kind,
          districtCode: district.code,
          districtName: district.name,
          dueOn: dueDateOf(fundYear, kind, policy),
          projects: projects.filter((p) => p.fundYear === fundYear).length,
        });
      }
    }
    return out;
  }

  async getRound(actor: Actor, id: number): Promise<RoundDetailView> {
    const r = await this.ctx.roundFor(actor, id);
    const view = (await this.ctx.roundViews(actor, [r]))[0]!;
    const assignments = (await this.ctx.repo.assignments(this.ctx.db, { roundIds: [id] })).filter((a) => this.ctx.seesAssignment(actor, a));
    const projects = await this.plans.filedProjects(this.ctx.db, { regionPrefix: r.regionPath, fundYear: r.fundYear });
    const assigned = new Set(assignments.map((a) => a.planProjectId));
    const canManage = actor.role === 'district_bureau' && pathInScope(actor.scopePath, r.regionPath);
    const fees =
      canManage || actor.role === 'city_bureau' || actor.role === 'city_finance' ? await this.ctx.repo.fees(this.ctx.db, [id]) : [];
    return {
      ...view,
      assignments: await this.ctx.views.assignmentViews(this.ctx.db, assignments, [r]),
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

  async assign(actor: Actor, roundId: number, input: AssignBody): Promise<AssignmentDetailView> {
    requirePermission(actor, 'evaluations:write');
    const r = await this.ctx.roundFor(actor, roundId);
    this.ctx.requireDistrictOf(actor, r);
    const project = await this.plans.getProject(this.ctx.db, input.planProjectId);
    if (!project || project.status !== 'filed' || project.fundYear !== r.fundYear || !pathInScope(r.regionPath, project.regionPath)) {
      throw new DomainError(
        'PROJECT_NOT_EVALUABLE',
        { zh: '只能评估本区本年度已备案方案中的项目', en: 'Only projects of filed plans of the district and fund year are evaluated' },
        { kind: 'invalid', field: 'planProjectId', clause: EVALUATION_CLAUSE },
      );
    }
    if (input.method === 'third_party') {
      if (!input.evaluatorOrgId || !(await this.ctx.repo.org(this.ctx.db, input.evaluatorOrgId))) {
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
    return this.ctx.db.transaction(async (tx) => {
      const round = (await this.ctx.repo.round(tx, roundId, true))!;
      if (round.status !== 'open')
        throw new DomainError('ROUND_CLOSED', { zh: '评估轮次已结束', en: 'The round is closed' }, { kind: 'conflict' });
      const row = await this.ctx.repo.insertAssignment(tx, {
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
        await this.ctx.repo.insertParticipants(
          tx,
          input.participants!.map((p) => ({
            assignmentId: row.id,
            category: p.category,
            name: p.name.trim(),
            affiliation: p.affiliation ?? '',
          })),
        );
      }
      await this.ctx.audit.record(tx, actor, {
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
      return this.ctx.views.assignmentDetail(tx, row);
    });
  }

  // ---------------------------------------------------------------- assignments

  async listAssignments(actor: Actor, filter: AssignmentsQuery): Promise<AssignmentListView> {
    requirePermission(actor, 'evaluations:read');
    if (actor.role !== 'evaluator' && !actor.scopePath) return { items: [] };
    const rows = await this.ctx.repo.assignments(this.ctx.db, {
      roundIds: filter.roundId ? [filter.roundId] : undefined,
      status: filter.status,
      ...(actor.role === 'evaluator' ? { orgId: actor.orgId ?? -1 } : { pathPrefix: actor.scopePath! }),
    });
    const rounds = await this.ctx.repo.rounds(this.ctx.db, { ids: [...new Set(rows.map((a) => a.roundId))], fundYear: filter.fundYear });
    const inYear = rows.filter((a) => rounds.some((r) => r.id === a.roundId));
    return { items: await this.ctx.views.assignmentViews(this.ctx.db, inYear, rounds) };
  }

  async getAssignment(actor: Actor, id: number): Promise<AssignmentDetailView> {
    return this.ctx.views.assignmentDetail(this.ctx.db, await this.ctx.assignmentFor(actor, id));
  }
}
