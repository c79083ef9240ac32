import type { CreateDecisionBody, StepBody } from './decisions.schemas.js';
import type { Static } from 'typebox';
import { requirePermission, type Actor } from '../../common/access.js';
import { DomainError, notFoundOrHidden } from '../../common/errors.js';
import { heldOnce } from '../../common/at-most-one.js';
import {
  assertStepInOrder,
  categoryOf,
  checkAttendance,
  checkSimplifiedAllowed,
  checkStepDate,
  DECISION_CLAUSE,
  PROCEDURE_CLAUSE,
  REOPEN_STEP,
  REVOTE_STEP,
} from './decisions.rules.js';
import { doneSteps, requireInProgress, STEP_NAMES, type DecisionsContext } from './decisions.context.js';
import type { DecisionReadingService } from './decisions.reading.service.js';

export type DecisionCreate = Static<typeof CreateDecisionBody>;

export type StepInput = Static<typeof StepBody>;

const DECISIVE_STEPS = new Set<string>(['resident_decision', 'committees_decision', REVOTE_STEP, REOPEN_STEP]);

/**
 * The procedure of the democratic decision [N 3]: opened on a ready draft list and its
 * preparatory steps in order. The decisive vote is decisions.votes.service.ts; the decision as
 * read by staff, decisions.reading.service.ts.
 */
export class DecisionProcedureService {
  constructor(
    private readonly ctx: DecisionsContext,
    private readonly reading: DecisionReadingService,
  ) {}

  /** Opens the decision on a community's draft list, once the committees handed it to the council. */
  async create(actor: Actor, input: DecisionCreate) {
    requirePermission(actor, 'decisions:write');
    const draft = await this.ctx.needs.draftList(input.campaignId);
    const notFound = () => notFoundOrHidden({ zh: '需求征集', en: 'Campaign' });
    if (!draft) throw notFound();
    const community = await this.ctx.regions.requireInScope(actor, draft.communityCode).catch(() => {
      throw notFound();
    });
    if (!draft.ready) {
      throw new DomainError(
        'DRAFT_LIST_NOT_READY',
        { zh: '项目清单尚未提交居民议事会（须先完成需求征集并形成项目清单）', en: 'The draft list has not been handed to the council' },
        { kind: 'rule', clause: '[N 3.1.1(3)]' },
      );
    }
    const policy = await this.ctx.policy.forYear(draft.fundYear);
    const internal = new Set(input.internalMatterProposalIds ?? []);
    for (const id of internal) {
      if (!draft.items.some((p) => p.id === id))
        throw new DomainError(
          'INVALID_INPUT',
          {
            zh: `字段 internalMatterProposalIds 无效：提案 ${id} 不在项目清单中`,
            en: `Field internalMatterProposalIds is invalid: ${id} is not on the list`,
          },
          { kind: 'invalid', field: 'internalMatterProposalIds' },
        );
    }
    const projects = draft.items.map((p, i) => ({
      proposalId: p.id,
      rank: p.rank ?? i + 1,
      title: p.title,
      catalogueCode: p.catalogueCode ?? '',
      category: categoryOf(policy, p.catalogueCode ?? ''),
      estimatedBudgetFen: p.estimatedBudgetFen ?? 0,
      internalMatter: internal.has(p.id),
    }));
    if (input.procedure === 'simplified')
      checkSimplifiedAllowed(projects.map((p) => ({ name: p.title, category: p.category, internalMatter: p.internalMatter })));
    const id = await heldOnce(
      this.ctx.db.transaction(async (tx) => {
        const live = await this.ctx.repo.liveForCampaign(tx, input.campaignId);
        if (live)
          throw new DomainError(
            'DECISION_EXISTS',
            { zh: '该项目清单已在决策程序中', en: 'A decision on this list already exists' },
            { kind: 'conflict', clause: PROCEDURE_CLAUSE, details: { decisionId: live.id } },
          );
        const row = await this.ctx.repo.insertDecision(tx, {
          communityCode: draft.communityCode,
          fundYear: draft.fundYear,
          campaignId: input.campaignId,
          procedure: input.procedure,
          createdByUserId: actor.userId,
        });
        await this.ctx.repo.insertProjects(
          tx,
          projects.map((p) => ({ ...p, decisionId: row.id })),
        );
        await this.ctx.audit.record(tx, actor, {
          action: 'decision.create',
          entityType: 'decision',
          entityId: String(row.id),
          regionPath: community.path,
          after: { campaignId: input.campaignId, procedure: input.procedure, projects },
        });
        return row.id;
      }),
    );
    return this.reading.get(actor, id);
  }

  /** [N 3] Records a preparatory step (proposal, discussion, review, audit) in order. */
  async recordStep(actor: Actor, id: number, input: StepInput) {
    const { community } = await this.ctx.scoped(actor, id, 'decisions:write');
    const today = this.ctx.today();
    await this.ctx.db.transaction(async (tx) => {
      const d = (await this.ctx.repo.decision(tx, id, true))!;
      requireInProgress(d);
      const steps = await this.ctx.repo.steps(tx, id);
      assertStepInOrder(d.procedure, doneSteps(d.procedure, steps), input.step);
      if (DECISIVE_STEPS.has(input.step)) {
        throw new DomainError(
          'VOTE_REQUIRED',
          {
            zh: `"${STEP_NAMES[input.step]}"须录入逐项表决结果`,
            en: `${input.step} is recorded with its votes (POST /decisions/:id/vote)`,
          },
          { kind: 'invalid', field: 'step', clause: DECISION_CLAUSE },
        );
      }
      checkStepDate(input.heldOn, steps.at(-1)?.heldOn ?? null, today);
      checkAttendance(input.expectedAttendance, input.actualAttendance);
      const row = await this.ctx.repo.insertStep(tx, {
        decisionId: id,
        seq: steps.length + 1,
        step: input.step,
        heldOn: input.heldOn,
        expectedAttendance: input.expectedAttendance,
        actualAttendance: input.actualAttendance,
        outcome: input.outcome,
        minutes: input.minutes.trim(),
        attachments: input.attachments ?? [],
        recordedByUserId: actor.userId,
      });
      await this.ctx.audit.record(tx, actor, {
        action: 'decision.step',
        entityType: 'decision',
        entityId: String(id),
        regionPath: community.path,
        after: {
          seq: row.seq,
          step: row.step,
          heldOn: row.heldOn,
          expected: row.expectedAttendance,
          actual: row.actualAttendance,
          outcome: row.outcome,
        },
      });
    });
    return this.reading.get(actor, id);
  }

  /**
   * [N 3.1.2(1)] The decisive vote (resident_decision, or committees_decision under the simplified
   * procedure): quorum, votes per project, the pass rule; the passed list is frozen and its notice
   * posted at once, dated the meeting day.
   */
}
