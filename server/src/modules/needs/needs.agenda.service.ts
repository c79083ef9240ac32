import type { Executor } from '../../db/client.js';
import type { Actor } from '../../common/access.js';
import { DomainError } from '../../common/errors.js';
import { checkDraftList, NEEDS_CLAUSE, SORTING_CLAUSE } from './needs.rules.js';
import { proposalNotFound, type NeedsContext } from './needs.context.js';
import type { DraftListView } from './needs.schemas.js';

/**
 * The draft project list [N 3.1.1(3)]: candidates ranked into the list with catalogue item and
 * budget, handed to the residents' council; and the list as the decisions module reads it.
 */
export class NeedsAgendaService {
  constructor(private readonly ctx: NeedsContext) {}

  /**
   * [N 3.1.1(3)] Sets the draft project list: the given proposals, in rank order, each with a
   * catalogue item and an estimated budget (fen). Proposals left out go back to candidates.
   */
  async setDraftList(
    actor: Actor,
    campaignId: number,
    items: { proposalId: number; catalogueCode?: string | null; estimatedBudgetFen?: number | null }[],
  ) {
    const { campaign: snapshot, community } = await this.ctx.scopedCampaign(actor, campaignId, 'needs:write');
    const cat = await this.ctx.catalogue(snapshot.fundYear);
    await this.ctx.db.transaction(async (tx) => {
      await this.ctx.writableCampaign(tx, campaignId);
      const rows = await this.ctx.repo.proposalsByIds(
        tx,
        items.map((i) => i.proposalId),
      );
      const resolved = items.map((item) => {
        const p = rows.find((r) => r.id === item.proposalId);
        if (!p || p.campaignId !== campaignId) throw proposalNotFound();
        if (p.status === 'merged' || p.status === 'rejected') {
          throw new DomainError(
            'PROPOSAL_NOT_CANDIDATE',
            { zh: `提案"${p.title}"已${p.status === 'merged' ? '合并' : '筛除'}，不能列入项目清单`, en: `Proposal ${p.id} is ${p.status}` },
            { kind: 'conflict', clause: SORTING_CLAUSE },
          );
        }
        return {
          proposalId: p.id,
          catalogueCode: item.catalogueCode ?? p.catalogueCode,
          estimatedBudgetFen: item.estimatedBudgetFen ?? p.estimatedBudgetFen,
        };
      });
      checkDraftList(
        resolved,
        cat.all.map((c) => c.code),
      );
      const before = (await this.ctx.repo.proposals(tx, campaignId))
        .filter((r) => r.proposal.status === 'listed')
        .map((r) => ({ proposalId: r.proposal.id, rank: r.proposal.rank }));
      await this.ctx.repo.unlistAll(tx, campaignId);
      for (const [i, item] of resolved.entries()) {
        await this.ctx.repo.updateProposal(tx, item.proposalId, {
          status: 'listed',
          rank: i + 1,
          catalogueCode: item.catalogueCode,
          estimatedBudgetFen: item.estimatedBudgetFen,
        });
      }
      await this.ctx.audit.record(tx, actor, {
        action: 'needs.draft_list.set',
        entityType: 'needs_campaign',
        entityId: String(campaignId),
        regionPath: community.path,
        before,
        after: resolved.map((r, i) => ({ ...r, rank: i + 1 })),
      });
    });
    return this.draftListFor(actor, campaignId);
  }

  /** Hands the draft list to the residents' council: needs concluded (coverage reached) and a non-empty list. */
  async markReady(actor: Actor, campaignId: number) {
    const { community } = await this.ctx.scopedCampaign(actor, campaignId, 'needs:write');
    await this.ctx.db.transaction(async (tx) => {
      const campaign = await this.ctx.writableCampaign(tx, campaignId);
      if (campaign.status !== 'concluded') {
        throw new DomainError(
          'NEEDS_NOT_CONCLUDED',
          {
            zh: '需求征集尚未完结（入户覆盖率须达到政策要求），不能提交项目清单',
            en: 'Needs collection is not concluded (coverage must reach the policy share)',
          },
          { kind: 'rule', clause: NEEDS_CLAUSE },
        );
      }
      const list = (await this.ctx.repo.proposals(tx, campaignId)).filter((r) => r.proposal.status === 'listed');
      if (list.length === 0)
        throw new DomainError(
          'DRAFT_LIST_EMPTY',
          { zh: '项目清单为空', en: 'The draft list is empty' },
          { kind: 'rule', clause: SORTING_CLAUSE },
        );
      await this.ctx.repo.updateCampaign(tx, campaignId, { status: 'ready', readyAt: this.ctx.now() });
      await this.ctx.audit.record(tx, actor, {
        action: 'needs.draft_list.ready',
        entityType: 'needs_campaign',
        entityId: String(campaignId),
        regionPath: community.path,
        before: { status: 'concluded' },
        after: {
          status: 'ready',
          items: list.map((r) => ({
            proposalId: r.proposal.id,
            rank: r.proposal.rank,
            catalogueCode: r.proposal.catalogueCode,
            estimatedBudgetFen: r.proposal.estimatedBudgetFen,
          })),
        },
      });
    });
    return this.draftListFor(actor, campaignId);
  }

  async draftListFor(actor: Actor, campaignId: number): Promise<DraftListView> {
    await this.ctx.scopedCampaign(actor, campaignId, 'needs:read');
    return (await this.draftList(campaignId))!;
  }

  /**
   * For the decisions module (issue 5): a campaign's draft project list in rank order, with the
   * households behind each project. `ready` is true once the committees hand it to the council.
   * No access check: callers check their own.
   */
  async draftList(campaignId: number, db: Executor = this.ctx.db): Promise<DraftListView | undefined> {
    const campaign = await this.ctx.repo.campaign(db, campaignId);
    if (!campaign) return undefined;
    const views = (await this.ctx.proposalViews(db, campaign))
      .filter((p) => p.status === 'listed')
      .sort((a, b) => (a.rank ?? 0) - (b.rank ?? 0));
    const totalBudgetFen = views.reduce((s, v) => s + (v.estimatedBudgetFen ?? 0), 0);
    return {
      campaignId,
      communityCode: campaign.communityCode,
      fundYear: campaign.fundYear,
      status: campaign.status,
      ready: campaign.status === 'ready',
      readyAt: campaign.readyAt?.toISOString() ?? null,
      totalBudgetFen,
      items: views,
    };
  }

  /** For the decisions module: the community's list for a fund year, if its campaign exists. */
  async draftListOf(communityCode: string, fundYear: number, db: Executor = this.ctx.db) {
    const campaign = await this.ctx.repo.campaignFor(db, communityCode, fundYear);
    return campaign ? this.draftList(campaign.id, db) : undefined;
  }
}
