import type { Executor } from '../../db/client.js';
import { gather } from '../../common/gather.js';
import { requirePermission, type Actor } from '../../common/access.js';
import { DomainError } from '../../common/errors.js';
import type { CampaignRow, ProposalRow } from './needs.repository.js';
import { checkDraftList, NEEDS_CLAUSE, PROPOSALS_CLAUSE, SORTING_CLAUSE } from './needs.rules.js';
import { proposalNotFound, type NeedsContext } from './needs.context.js';
import type { DraftListView, ProposalCreate, ProposalListView, ProposalView } from './needs.schemas.js';

/**
 * Proposals [N 3.1.1(2)] and the draft project list [N 3.1.1(3)]: proposed by the committees or
 * drawn from opinions, merged, screened, ranked into the list and handed to the council.
 */
export class NeedsProposalsService {
  constructor(private readonly ctx: NeedsContext) {}

  private async writableCampaign(tx: Executor, id: number) {
    const campaign = (await this.ctx.repo.campaign(tx, id, 'update'))!;
    if (campaign.status === 'ready') {
      throw new DomainError('DRAFT_LIST_SUBMITTED', { zh: '项目清单已提交居民议事会，不能再修改提案', en: 'The draft list has gone to the council; proposals are frozen' }, { kind: 'conflict', clause: SORTING_CLAUSE });
    }
    return campaign;
  }

  async listProposals(actor: Actor, campaignId: number): Promise<ProposalListView> {
    const { campaign } = await this.ctx.scopedCampaign(actor, campaignId, 'needs:read');
    return { items: await this.proposalViews(this.ctx.db, campaign) };
  }

  private async proposalViews(db: Executor, campaign: CampaignRow): Promise<ProposalView[]> {
    const [rows, cat] = await gather(db, [() => this.ctx.repo.proposals(db, campaign.id), () => this.ctx.catalogue(campaign.fundYear, db)] as const);
    const links = await this.ctx.repo.links(db, rows.map((r) => r.proposal.id));
    return rows.map((r) => ({
      ...proposalView(r.proposal),
      catalogueName: r.proposal.catalogueCode ? (cat.all.find((c) => c.code === r.proposal.catalogueCode)?.name ?? null) : null,
      householdCount: r.householdCount,
      opinionIds: links.filter((l) => l.proposalId === r.proposal.id).map((l) => l.opinionId).sort((a, b) => a - b),
    }));
  }

  /** [N 3.1.1(2)] Proposed by the committees, or drawn from opinions (the link is kept). */
  async createProposal(actor: Actor, campaignId: number, input: ProposalCreate) {
    const { campaign: snapshot, community } = await this.ctx.scopedCampaign(actor, campaignId, 'needs:write');
    const cat = await this.ctx.catalogue(snapshot.fundYear);
    if (input.catalogueCode && !cat.all.some((c) => c.code === input.catalogueCode)) {
      throw new DomainError('INVALID_INPUT', { zh: `字段 catalogueCode 无效：${input.catalogueCode} 不在本年度项目目录中`, en: `Field catalogueCode is invalid: ${input.catalogueCode} is not in the catalogue` }, { kind: 'invalid', field: 'catalogueCode', clause: PROPOSALS_CLAUSE });
    }
    const opinionIds = [...new Set(input.opinionIds ?? [])];
    const id = await this.ctx.db.transaction(async (tx) => {
      await this.writableCampaign(tx, campaignId);
      await this.requireOpinionsOf(tx, campaignId, opinionIds);
      const row = await this.ctx.repo.insertProposal(tx, {
        campaignId, title: input.title.trim(), description: input.description?.trim() || null, catalogueCode: input.catalogueCode ?? null,
        estimatedBudgetFen: input.estimatedBudgetFen ?? null, source: opinionIds.length ? 'opinions' : 'committee', createdByUserId: actor.userId,
      });
      await this.ctx.repo.link(tx, row.id, opinionIds);
      await this.ctx.audit.record(tx, actor, { action: 'needs.proposal.create', entityType: 'needs_proposal', entityId: String(row.id), regionPath: community.path, after: { ...proposalView(row), opinionIds } });
      return row.id;
    });
    return this.proposalFor(actor, id);
  }

  private async requireOpinionsOf(tx: Executor, campaignId: number, opinionIds: number[]) {
    const found = await this.ctx.repo.opinionsByIds(tx, opinionIds);
    const foreign = opinionIds.filter((id) => !found.some((o) => o.id === id && o.campaignId === campaignId));
    if (foreign.length) {
      throw new DomainError('INVALID_INPUT', { zh: `字段 opinionIds 无效：意见 ${foreign.join('、')} 不属于本次征集`, en: `Field opinionIds is invalid: opinions ${foreign.join(', ')} are not of this campaign` }, { kind: 'invalid', field: 'opinionIds', clause: PROPOSALS_CLAUSE });
    }
  }

  private async proposalFor(actor: Actor, id: number): Promise<ProposalView> {
    requirePermission(actor, 'needs:read');
    const p = await this.ctx.repo.proposal(this.ctx.db, id);
    if (!p) throw proposalNotFound();
    const { campaign } = await this.ctx.scopedCampaign(actor, p.campaignId, 'needs:read').catch(() => {
      throw proposalNotFound();
    });
    return (await this.proposalViews(this.ctx.db, campaign)).find((v) => v.id === id)!;
  }

  private async scopedProposal(actor: Actor, id: number) {
    requirePermission(actor, 'needs:write');
    const p = await this.ctx.repo.proposal(this.ctx.db, id);
    if (!p) throw proposalNotFound();
    return { proposal: p, ...(await this.ctx.scopedCampaign(actor, p.campaignId, 'needs:write').catch(() => { throw proposalNotFound(); })) };
  }

  async updateProposal(actor: Actor, id: number, patch: Partial<ProposalCreate>) {
    const { campaign: snapshot, community } = await this.scopedProposal(actor, id);
    const cat = await this.ctx.catalogue(snapshot.fundYear);
    if (patch.catalogueCode && !cat.all.some((c) => c.code === patch.catalogueCode)) {
      throw new DomainError('INVALID_INPUT', { zh: `字段 catalogueCode 无效：${patch.catalogueCode} 不在本年度项目目录中`, en: `Field catalogueCode is invalid: ${patch.catalogueCode} is not in the catalogue` }, { kind: 'invalid', field: 'catalogueCode', clause: PROPOSALS_CLAUSE });
    }
    await this.ctx.db.transaction(async (tx) => {
      await this.writableCampaign(tx, snapshot.id);
      const before = (await this.ctx.repo.proposal(tx, id, true))!;
      if (before.status === 'merged') throw new DomainError('PROPOSAL_MERGED', { zh: '该提案已合并到其他提案', en: 'The proposal was merged into another' }, { kind: 'conflict', clause: SORTING_CLAUSE });
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
      await this.ctx.audit.record(tx, actor, { action: 'needs.proposal.update', entityType: 'needs_proposal', entityId: String(id), regionPath: community.path, before: proposalView(before), after: { ...set, addedOpinionIds: opinionIds } });
    });
    return this.proposalFor(actor, id);
  }

  /** [N 3.1.1(3)] Merges proposals into one: their opinions follow, so households are counted once. */
  async merge(actor: Actor, campaignId: number, targetId: number, sourceIds: number[]) {
    const { community } = await this.ctx.scopedCampaign(actor, campaignId, 'needs:write');
    const ids = [...new Set(sourceIds)].filter((id) => id !== targetId);
    if (ids.length === 0) throw new DomainError('INVALID_INPUT', { zh: '字段 sourceIds 无效：至少选择一个要合并的其他提案', en: 'Field sourceIds is invalid: name at least one other proposal' }, { kind: 'invalid', field: 'sourceIds' });
    await this.ctx.db.transaction(async (tx) => {
      await this.writableCampaign(tx, campaignId);
      const rows = await this.ctx.repo.proposalsByIds(tx, [targetId, ...ids]);
      for (const id of [targetId, ...ids]) {
        const p = rows.find((r) => r.id === id);
        if (!p || p.campaignId !== campaignId) throw proposalNotFound();
        if (p.status === 'merged') throw new DomainError('PROPOSAL_MERGED', { zh: `提案 ${id} 已合并到其他提案`, en: `Proposal ${id} was already merged` }, { kind: 'conflict', clause: SORTING_CLAUSE });
      }
      const links = await this.ctx.repo.links(tx, ids);
      await this.ctx.repo.link(tx, targetId, links.map((l) => l.opinionId));
      for (const id of ids) await this.ctx.repo.updateProposal(tx, id, { status: 'merged', mergedIntoId: targetId, rank: null });
      if (links.length) await this.ctx.repo.updateProposal(tx, targetId, { source: 'opinions' });
      await this.ctx.audit.record(tx, actor, { action: 'needs.proposal.merge', entityType: 'needs_proposal', entityId: String(targetId), regionPath: community.path, after: { targetId, mergedIds: ids, opinionsMoved: links.length } });
    });
    return this.proposalFor(actor, targetId);
  }

  /** [N 3.1.1(3)] Screens a proposal out (with the reason) or restores it. */
  async screen(actor: Actor, id: number, decision: 'reject' | 'restore', reason?: string) {
    const { campaign, community } = await this.scopedProposal(actor, id);
    if (decision === 'reject' && !reason?.trim()) throw new DomainError('INVALID_INPUT', { zh: '字段 reason 无效：筛除提案须说明理由', en: 'Field reason is invalid: a screened-out proposal needs a reason' }, { kind: 'invalid', field: 'reason', clause: SORTING_CLAUSE });
    await this.ctx.db.transaction(async (tx) => {
      await this.writableCampaign(tx, campaign.id);
      const before = (await this.ctx.repo.proposal(tx, id, true))!;
      if (before.status === 'merged') throw new DomainError('PROPOSAL_MERGED', { zh: '该提案已合并到其他提案', en: 'The proposal was merged into another' }, { kind: 'conflict', clause: SORTING_CLAUSE });
      const set = decision === 'reject' ? { status: 'rejected' as const, rank: null, screenReason: reason!.trim() } : { status: 'candidate' as const, screenReason: null };
      await this.ctx.repo.updateProposal(tx, id, set);
      await this.ctx.audit.record(tx, actor, { action: `needs.proposal.${decision}`, entityType: 'needs_proposal', entityId: String(id), regionPath: community.path, before: { status: before.status }, after: set });
    });
    return this.proposalFor(actor, id);
  }

  /**
   * [N 3.1.1(3)] Sets the draft project list: the given proposals, in rank order, each with a
   * catalogue item and an estimated budget (fen). Proposals left out go back to candidates.
   */
  async setDraftList(actor: Actor, campaignId: number, items: { proposalId: number; catalogueCode?: string | null; estimatedBudgetFen?: number | null }[]) {
    const { campaign: snapshot, community } = await this.ctx.scopedCampaign(actor, campaignId, 'needs:write');
    const cat = await this.ctx.catalogue(snapshot.fundYear);
    await this.ctx.db.transaction(async (tx) => {
      await this.writableCampaign(tx, campaignId);
      const rows = await this.ctx.repo.proposalsByIds(tx, items.map((i) => i.proposalId));
      const resolved = items.map((item) => {
        const p = rows.find((r) => r.id === item.proposalId);
        if (!p || p.campaignId !== campaignId) throw proposalNotFound();
        if (p.status === 'merged' || p.status === 'rejected') {
          throw new DomainError('PROPOSAL_NOT_CANDIDATE', { zh: `提案"${p.title}"已${p.status === 'merged' ? '合并' : '筛除'}，不能列入项目清单`, en: `Proposal ${p.id} is ${p.status}` }, { kind: 'conflict', clause: SORTING_CLAUSE });
        }
        return { proposalId: p.id, catalogueCode: item.catalogueCode ?? p.catalogueCode, estimatedBudgetFen: item.estimatedBudgetFen ?? p.estimatedBudgetFen };
      });
      checkDraftList(resolved, cat.all.map((c) => c.code));
      const before = (await this.ctx.repo.proposals(tx, campaignId)).filter((r) => r.proposal.status === 'listed').map((r) => ({ proposalId: r.proposal.id, rank: r.proposal.rank }));
      await this.ctx.repo.unlistAll(tx, campaignId);
      for (const [i, item] of resolved.entries()) {
        await this.ctx.repo.updateProposal(tx, item.proposalId, { status: 'listed', rank: i + 1, catalogueCode: item.catalogueCode, estimatedBudgetFen: item.estimatedBudgetFen });
      }
      await this.ctx.audit.record(tx, actor, { action: 'needs.draft_list.set', entityType: 'needs_campaign', entityId: String(campaignId), regionPath: community.path, before, after: resolved.map((r, i) => ({ ...r, rank: i + 1 })) });
    });
    return this.draftListFor(actor, campaignId);
  }

  /** Hands the draft list to the residents' council: needs concluded (coverage reached) and a non-empty list. */
  async markReady(actor: Actor, campaignId: number) {
    const { community } = await this.ctx.scopedCampaign(actor, campaignId, 'needs:write');
    await this.ctx.db.transaction(async (tx) => {
      const campaign = await this.writableCampaign(tx, campaignId);
      if (campaign.status !== 'concluded') {
        throw new DomainError('NEEDS_NOT_CONCLUDED', { zh: '需求征集尚未完结（入户覆盖率须达到政策要求），不能提交项目清单', en: 'Needs collection is not concluded (coverage must reach the policy share)' }, { kind: 'rule', clause: NEEDS_CLAUSE });
      }
      const list = (await this.ctx.repo.proposals(tx, campaignId)).filter((r) => r.proposal.status === 'listed');
      if (list.length === 0) throw new DomainError('DRAFT_LIST_EMPTY', { zh: '项目清单为空', en: 'The draft list is empty' }, { kind: 'rule', clause: SORTING_CLAUSE });
      await this.ctx.repo.updateCampaign(tx, campaignId, { status: 'ready', readyAt: this.ctx.now() });
      await this.ctx.audit.record(tx, actor, { action: 'needs.draft_list.ready', entityType: 'needs_campaign', entityId: String(campaignId), regionPath: community.path, before: { status: 'concluded' }, after: { status: 'ready', items: list.map((r) => ({ proposalId: r.proposal.id, rank: r.proposal.rank, catalogueCode: r.proposal.catalogueCode, estimatedBudgetFen: r.proposal.estimatedBudgetFen })) } });
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
    const views = (await this.proposalViews(db, campaign)).filter((p) => p.status === 'listed').sort((a, b) => (a.rank ?? 0) - (b.rank ?? 0));
    const totalBudgetFen = views.reduce((s, v) => s + (v.estimatedBudgetFen ?? 0), 0);
    return { campaignId, communityCode: campaign.communityCode, fundYear: campaign.fundYear, status: campaign.status, ready: campaign.status === 'ready', readyAt: campaign.readyAt?.toISOString() ?? null, totalBudgetFen, items: views };
  }

  /** For the decisions module: the community's list for a fund year, if its campaign exists. */
  async draftListOf(communityCode: string, fundYear: number, db: Executor = this.ctx.db) {
    const campaign = await this.ctx.repo.campaignFor(db, communityCode, fundYear);
    return campaign ? this.draftList(campaign.id, db) : undefined;
  }

}

function proposalView(p: ProposalRow) {
  return {
    id: p.id, campaignId: p.campaignId, title: p.title, description: p.description, catalogueCode: p.catalogueCode, estimatedBudgetFen: p.estimatedBudgetFen,
    source: p.source, status: p.status, rank: p.rank, mergedIntoId: p.mergedIntoId, screenReason: p.screenReason,
  };
}
