import type { Executor } from '../../db/client.js';
import { requirePermission, type Actor } from '../../common/access.js';
import { DomainError } from '../../common/errors.js';
import { PROPOSALS_CLAUSE, SORTING_CLAUSE } from './needs.rules.js';
import { proposalNotFound, proposalView, type NeedsContext } from './needs.context.js';
import type { ProposalCreate, ProposalListView, ProposalView } from './needs.schemas.js';

/**
 * Proposals [N 3.1.1(2)] and their screening [N 3.1.1(3)]: proposed by the committees or drawn
 * from opinions, corrected, merged, screened out or restored. The draft list made of them is
 * needs.agenda.service.ts.
 */
export class NeedsProposalsService {
  constructor(private readonly ctx: NeedsContext) {}

  async listProposals(actor: Actor, campaignId: number): Promise<ProposalListView> {
    const { campaign } = await this.ctx.scopedCampaign(actor, campaignId, 'needs:read');
    return { items: await this.ctx.proposalViews(this.ctx.db, campaign) };
  }

  /** [N 3.1.1(2)] Proposed by the committees, or drawn from opinions (the link is kept). */
  async createProposal(actor: Actor, campaignId: number, input: ProposalCreate) {
    const { campaign: snapshot, community } = await this.ctx.scopedCampaign(actor, campaignId, 'needs:write');
    const cat = await this.ctx.catalogue(snapshot.fundYear);
    if (input.catalogueCode && !cat.all.some((c) => c.code === input.catalogueCode)) {
      throw new DomainError(
        'INVALID_INPUT',
        {
          zh: `字段 catalogueCode 无效：${input.catalogueCode} 不在本年度项目目录中`,
          en: `Field catalogueCode is invalid: ${input.catalogueCode} is not in the catalogue`,
        },
        { kind: 'invalid', field: 'catalogueCode', clause: PROPOSALS_CLAUSE },
      );
    }
    const opinionIds = [...new Set(input.opinionIds ?? [])];
    const id = await this.ctx.db.transaction(async (tx) => {
      await this.ctx.writableCampaign(tx, campaignId);
      await this.requireOpinionsOf(tx, campaignId, opinionIds);
      const row = await this.ctx.repo.insertProposal(tx, {
        campaignId,
        title: input.title.trim(),
        description: input.description?.trim() || null,
        catalogueCode: input.catalogueCode ?? null,
        estimatedBudgetFen: input.estimatedBudgetFen ?? null,
        source: opinionIds.length ? 'opinions' : 'committee',
        createdByUserId: actor.userId,
      });
      await this.ctx.repo.link(tx, row.id, opinionIds);
      await this.ctx.audit.record(tx, actor, {
        action: 'needs.proposal.create',
        entityType: 'needs_proposal',
        entityId: String(row.id),
        regionPath: community.path,
        after: { ...proposalView(row), opinionIds },
      });
      return row.id;
    });
    return this.proposalFor(actor, id);
  }

  private async requireOpinionsOf(tx: Executor, campaignId: number, opinionIds: number[]) {
    const found = await this.ctx.repo.opinionsByIds(tx, opinionIds);
    const foreign = opinionIds.filter((id) => !found.some((o) => o.id === id && o.campaignId === campaignId));
    if (foreign.length) {
      throw new DomainError(
        'INVALID_INPUT',
        {
          zh: `字段 opinionIds 无效：意见 ${foreign.join('、')} 不属于本次征集`,
          en: `Field opinionIds is invalid: opinions ${foreign.join(', ')} are not of this campaign`,
        },
        { kind: 'invalid', field: 'opinionIds', clause: PROPOSALS_CLAUSE },
      );
    }
  }

  private async proposalFor(actor: Actor, id: number): Promise<ProposalView> {
    requirePermission(actor, 'needs:read');
    const p = await this.ctx.repo.proposal(this.ctx.db, id);
    if (!p) throw proposalNotFound();
    const { campaign } = await this.ctx.scopedCampaign(actor, p.campaignId, 'needs:read').catch(() => {
      throw proposalNotFound();
    });
    return (await this.ctx.proposalViews(this.ctx.db, campaign)).find((v) => v.id === id)!;
  }

  private async scopedProposal(actor: Actor, id: number) {
    requirePermission(actor, 'needs:write');
    const p = await this.ctx.repo.proposal(this.ctx.db, id);
    if (!p) throw proposalNotFound();
    return {
      proposal: p,
      ...(await this.ctx.scopedCampaign(actor, p.campaignId, 'needs:write').catch(() => {
        throw proposalNotFound();
      })),
    };
  }

  async updateProposal(actor: Actor, id: number, patch: Partial<ProposalCreate>) {
    const { campaign: snapshot, community } = await this.scopedProposal(actor, id);
    const cat = await this.ctx.catalogue(snapshot.fundYear);
    if (patch.catalogueCode && !cat.all.some((c) => c.code === patch.catalogueCode)) {
      throw new DomainError(
        'INVALID_INPUT',
        {
          zh: `字段 catalogueCode 无效：${patch.catalogueCode} 不在本年度项目目录中`,
          en: `Field catalogueCode is invalid: ${patch.catalogueCode} is not in the catalogue`,
        },
        { kind: 'invalid', field: 'catalogueCode', clause: PROPOSALS_CLAUSE },
      );
    }
    await this.ctx.db.transaction(async (tx) => {
      await this.ctx.writableCampaign(tx, snapshot.id);
      const before = (await this.ctx.repo.proposal(tx, id, true))!;
      if (before.status === 'merged')
        throw new DomainError(
          'PROPOSAL_MERGED',
          { zh: '该提案已合并到其他提案', en: 'The proposal was merged into another' },
          { kind: 'conflict', clause: SORTING_CLAUSE },
        );
      const opinionIds = [...new Set(patch.opinionIds ?? [])];
      await this.requireOpinionsOf(tx, snapshot.id, opinionIds);
      const set = {
        ...(patch.title !== undefined ? { title: patch.title.trim() } : {}),
        ...(patch.description !== undefined ? { description: patch.description?.trim() || null } : {}),
        ...(patch.catalogueCode !== undefined ? { catalogueCode: patch.catalogueCode } : {}),
        ...(patch.estimatedBudgetFen !== undefined ? { estimatedBudgetFen: patch.estimatedBudgetFen } : {}),
        ...(opinionIds.length ? { source: 'opinions' as const } : {}),
      };
      await this.ctx.repo.updateProposal(tx, id, set);
      await this.ctx.repo.link(tx, id, opinionIds);
      await this.ctx.audit.record(tx, actor, {
        action: 'needs.proposal.update',
        entityType: 'needs_proposal',
        entityId: String(id),
        regionPath: community.path,
        before: proposalView(before),
        after: { ...set, addedOpinionIds: opinionIds },
      });
    });
    return this.proposalFor(actor, id);
  }

  /** [N 3.1.1(3)] Merges proposals into one: their opinions follow, so households are counted once. */
  async merge(actor: Actor, campaignId: number, targetId: number, sourceIds: number[]) {
    const { community } = await this.ctx.scopedCampaign(actor, campaignId, 'needs:write');
    const ids = [...new Set(sourceIds)].filter((id) => id !== targetId);
    if (ids.length === 0)
      throw new DomainError(
        'INVALID_INPUT',
        { zh: '字段 sourceIds 无效：至少选择一个要合并的其他提案', en: 'Field sourceIds is invalid: name at least one other proposal' },
        { kind: 'invalid', field: 'sourceIds' },
      );
    await this.ctx.db.transaction(async (tx) => {
      await this.ctx.writableCampaign(tx, campaignId);
      const rows = await this.ctx.repo.proposalsByIds(tx, [targetId, ...ids]);
      for (const id of [targetId, ...ids]) {
        const p = rows.find((r) => r.id === id);
        if (!p || p.campaignId !== campaignId) throw proposalNotFound();
        if (p.status === 'merged')
          throw new DomainError(
            'PROPOSAL_MERGED',
            { zh: `提案 ${id} 已合并到其他提案`, en: `Proposal ${id} was already merged` },
            { kind: 'conflict', clause: SORTING_CLAUSE },
          );
      }
      const links = await this.ctx.repo.links(tx, ids);
      await this.ctx.repo.link(
        tx,
        targetId,
        links.map((l) => l.opinionId),
      );
      for (const id of ids) await this.ctx.repo.updateProposal(tx, id, { status: 'merged', mergedIntoId: targetId, rank: null });
      if (links.length) await this.ctx.repo.updateProposal(tx, targetId, { source: 'opinions' });
      await this.ctx.audit.record(tx, actor, {
        action: 'needs.proposal.merge',
        entityType: 'needs_proposal',
        entityId: String(targetId),
        regionPath: community.path,
        after: { targetId, mergedIds: ids, opinionsMoved: links.length },
      });
    });
    return this.proposalFor(actor, targetId);
  }

  /** [N 3.1.1(3)] Screens a proposal out (with the reason) or restores it. */
  async screen(actor: Actor, id: number, decision: 'reject' | 'restore', reason?: string) {
    const { campaign, community } = await this.scopedProposal(actor, id);
    if (decision === 'reject' && !reason?.trim())
      throw new DomainError(
        'INVALID_INPUT',
        { zh: '字段 reason 无效：筛除提案须说明理由', en: 'Field reason is invalid: a screened-out proposal needs a reason' },
        { kind: 'invalid', field: 'reason', clause: SORTING_CLAUSE },
      );
    await this.ctx.db.transaction(async (tx) => {
      await this.ctx.writableCampaign(tx, campaign.id);
      const before = (await this.ctx.repo.proposal(tx, id, true))!;
      if (before.status === 'merged')
        throw new DomainError(
          'PROPOSAL_MERGED',
          { zh: '该提案已合并到其他提案', en: 'The proposal was merged into another' },
          { kind: 'conflict', clause: SORTING_CLAUSE },
        );
      const set =
        decision === 'reject'
          ? { status: 'rejected' as const, rank: null, screenReason: reason!.trim() }
          : { status: 'candidate' as const, screenReason: null };
      await this.ctx.repo.updateProposal(tx, id, set);
      await this.ctx.audit.record(tx, actor, {
        action: `needs.proposal.${decision}`,
        entityType: 'needs_proposal',
        entityId: String(id),
        regionPath: community.path,
        before: { status: before.status },
        after: set,
      });
    });
    return this.proposalFor(actor, id);
  }
}
