import type { Executor } from '../../db/client.js';
import type { Actor } from '../../common/access.js';
import { DomainError } from '../../common/errors.js';
import { categoryOf, DECISION_CLAUSE } from './decisions.rules.js';
import type { DecisionsContext } from './decisions.context.js';
import type { DecisionReadingService } from './decisions.reading.service.js';

/** What the plans module answers for the reopen: the plans holding the community in the fund year, locked. */
export type PlansOfCommunityLock = (tx: Executor, communityCode: string, fundYear: number) => Promise<{ id: number; status: string }[]>;

/**
 * [N 3.1.2(1)] Reopening a concluded decision for more projects (issue 19): when the decided list
 * is shorter than the star level's minimum, only the council can decide more. The community puts
 * the decision back to the council: the decision is suspended awaiting a new round (the revote
 * route), the campaign's proposals added since are put on its list, and the previous round's vote
 * and notice stay in history (the notice is voided when the new one is posted). Allowed only while
 * no plan holding the community has been submitted; until the new notice completes the plan cannot
 * be submitted (the council-decision rule requires `ready_for_review`).
 */
export class DecisionReopenService {
  /** Wired in services.ts once the plans module exists (plans read decisions, not the other way). */
  plansOfCommunity: PlansOfCommunityLock = async () => [];

  constructor(
    private readonly ctx: DecisionsContext,
    private readonly reading: DecisionReadingService,
  ) {}

  async reopen(actor: Actor, id: number, reason: string) {
    const { community } = await this.ctx.scoped(actor, id, 'decisions:write');
    const today = this.ctx.today();
    await this.ctx.db.transaction(async (tx) => {
      // The decision row lock, taken before the check, holds "at most one open round" (ADR 0010):
      // a concurrent reopen waits here and then finds the decision already reopened.
      const d = (await this.ctx.repo.decision(tx, id, true))!;
      const current = (await this.ctx.repo.notices(tx, [id])).find((n) => n.round === d.round);
      const status = this.ctx.effectiveStatus(d, current, today);
      if (status !== 'ready_for_review' || !current) {
        throw new DomainError(
          'DECISION_NOT_REOPENABLE',
          {
            zh: '只有公示期满的决议才能重新提交议事会表决（增补项目）',
            en: 'Only a decision whose notice has closed can be put back to the council',
          },
          { kind: 'conflict', clause: DECISION_CLAUSE, details: { status } },
        );
      }
      const plans = await this.plansOfCommunity(tx, d.communityCode, d.fundYear);
      const submitted = plans.find((p) => p.status !== 'draft');
      if (submitted) {
        throw new DomainError(
          'DECISION_PLAN_SUBMITTED',
          {
            zh: '本社区的实施方案已提交，不能再重新提交议事会表决；如须增补项目，请待街道退回方案',
            en: "The community's plan has been submitted; the decision can no longer be reopened",
          },
          { kind: 'conflict', clause: DECISION_CLAUSE, details: { planId: submitted.id, planStatus: submitted.status } },
        );
      }
      if (current.status === 'open') await this.ctx.repo.updateNotice(tx, current.id, { status: 'closed', closedAt: this.ctx.now() });
      const added = await this.addNewProposals(tx, d.id, d.campaignId, d.fundYear);
      await this.ctx.repo.updateDecision(tx, d.id, { status: 'suspended' });
      await this.ctx.audit.record(tx, actor, {
        action: 'decision.reopen',
        entityType: 'decision',
        entityId: String(d.id),
        regionPath: community.path,
        before: { status, round: d.round, noticeId: current.id },
        after: { status: 'suspended', nextRound: d.round + 1, reason, addedProjects: added },
      });
    });
    return this.reading.get(actor, id);
  }

  /** The campaign's draft-list items not yet on the decision's list (proposals added since), appended. */
  private async addNewProposals(tx: Executor, decisionId: number, campaignId: number, fundYear: number) {
    const draft = await this.ctx.needs.draftList(campaignId, tx);
    if (!draft) return [];
    const existing = await this.ctx.repo.projects(tx, decisionId);
    const known = new Set(existing.map((p) => p.proposalId));
    const policy = await this.ctx.policy.forYear(fundYear, tx);
    let rank = existing.reduce((m, p) => Math.max(m, p.rank), 0);
    const rows = draft.items
      .filter((p) => !known.has(p.id))
      .map((p) => ({
        decisionId,
        proposalId: p.id,
        rank: ++rank,
        title: p.title,
        catalogueCode: p.catalogueCode ?? '',
        category: categoryOf(policy, p.catalogueCode ?? ''),
        estimatedBudgetFen: p.estimatedBudgetFen ?? 0,
        internalMatter: false,
      }));
    await this.ctx.repo.insertProjects(tx, rows);
    return rows.map((r) => r.title);
  }
}
