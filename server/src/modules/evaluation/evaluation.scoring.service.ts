import { pathInScope, requirePermission, type Actor } from '../../common/access.js';
import { DomainError } from '../../common/errors.js';
import { refusalError } from '../../common/verdict.js';
import type { PolicyService } from '../policy/policy.service.js';
import type { AssignmentRow } from './evaluation.repository.js';
import type { EvaluationContext } from './evaluation.context.js';
import type { ContractConsequences } from './evaluation.service.js';
import type { AssignmentDetailView, ConcludeBody, ConclusionView, EvidenceBody } from './evaluation.schemas.js';
import { EVALUATION_CLAUSE, gradeOf, weightedScore } from './evaluation.rules.js';

/**
 * Scoring and conclusion [N 3.2]: evidence, the weighted rubric score and grade, and what a failed
 * final evaluation does to the project's providers and contracts, in the conclusion's transaction.
 */
export class EvaluationScoringService {
  constructor(
    private readonly ctx: EvaluationContext,
    private readonly policy: PolicyService,
    private readonly contracts: ContractConsequences,
  ) {}

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
    const a = await this.ctx.assignmentFor(actor, id);
    this.requireScorer(actor, a);
    return this.ctx.db.transaction(async (tx) => {
      const row = await this.ctx.repo.insertEvidence(tx, {
        assignmentId: id,
        name: input.name.trim(),
        kind: input.kind,
        ref: input.ref ?? null,
        addedByUserId: actor.userId,
      });
      await this.ctx.audit.record(tx, actor, {
        action: 'evaluation.evidence',
        entityType: 'evaluation_assignment',
        entityId: String(id),
        after: { evidenceId: row.id, name: row.name, kind: row.kind },
      });
      return this.ctx.views.assignmentDetail(tx, (await this.ctx.repo.assignment(tx, id))!);
    });
  }

  async conclude(actor: Actor, id: number, input: ConcludeBody): Promise<ConclusionView> {
    const a = await this.ctx.assignmentFor(actor, id);
    this.requireScorer(actor, a);
    const round = (await this.ctx.repo.round(this.ctx.db, a.roundId))!;
    const policy = await this.policy.forYear(round.fundYear);
    const scored = weightedScore(policy.evaluationRubric, input.scores);
    if (!scored.ok) throw refusalError({ ...scored, kind: 'invalid', clause: EVALUATION_CLAUSE });
    const grade = gradeOf(scored.value, policy.gradeThresholds);
    const today = this.ctx.today();
    return this.ctx.db.transaction(async (tx) => {
      const locked = (await this.ctx.repo.assignment(tx, id, true))!;
      if (locked.status === 'concluded') {
        throw new DomainError(
          'ALREADY_CONCLUDED',
          { zh: '该评估已出具结论，不能重复评分', en: 'The evaluation is already concluded' },
          { kind: 'conflict', clause: EVALUATION_CLAUSE },
        );
      }
      const r = (await this.ctx.repo.round(tx, locked.roundId))!;
      if (r.status !== 'open')
        throw new DomainError('ROUND_CLOSED', { zh: '评估轮次已结束', en: 'The round is closed' }, { kind: 'conflict' });
      await this.ctx.repo.insertScores(
        tx,
        input.scores.map((s) => ({
          assignmentId: id,
          itemCode: s.code,
          weight: policy.evaluationRubric.find((x) => x.code === s.code)!.weight,
          score: s.score,
          note: s.note ?? '',
        })),
      );
      await this.ctx.repo.updateAssignment(tx, id, {
        status: 'concluded',
        scoreBp: scored.value,
        grade,
        peopleCovered: input.peopleCovered ?? null,
        conclusion: input.conclusion,
        problems: input.problems ?? '',
        concludedOn: today,
        concludedByUserId: actor.userId,
      });
      await this.ctx.audit.record(tx, actor, {
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
        ...(await this.ctx.views.assignmentDetail(tx, (await this.ctx.repo.assignment(tx, id))!)),
        effects: { ineligibleProviders: ineligible, ineligibleYear: ineligible.length ? r.fundYear + 1 : null, voidedContracts: voided },
      };
    });
  }
}
