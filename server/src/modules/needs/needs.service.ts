import type { SQL } from 'drizzle-orm';
import type { Db, Executor } from '../../db/client.js';
import type { Actor } from '../../common/access.js';
import type { Now } from '../../common/clock.js';
import type { AuditService } from '../audit/audit.service.js';
import type { HouseholdsService } from '../households/households.service.js';
import type { PolicyService } from '../policy/policy.service.js';
import type { RegionsService } from '../regions/regions.service.js';
import { NeedsRepository, type CampaignRow } from './needs.repository.js';
import type { ChannelCode, OpinionAnswer } from './needs.rules.js';
import { NeedsContext } from './needs.context.js';
import { NeedsCampaignsService, type CampaignCreate, type CampaignPatch } from './needs.campaigns.service.js';
import { NeedsOpinionsService } from './needs.opinions.service.js';
import { NeedsAnswersService, type PublicIdentity } from './needs.answers.service.js';
import { NeedsProposalsService } from './needs.proposals.service.js';
import { NeedsAgendaService } from './needs.agenda.service.js';
import type { ProposalCreate } from './needs.schemas.js';

export type { CampaignCreate, CampaignPatch, PublicIdentity, ProposalCreate };

/**
 * Needs collection [N 3.1.1(1)], proposals [N 3.1.1(2)] and the draft project list [N 3.1.1(3)],
 * as the routes and the other modules see it: composed of the use cases — campaigns
 * (needs.campaigns.service.ts), opinions (needs.opinions.service.ts), proposals (needs.proposals.service.ts) and the
 * draft list (needs.agenda.service.ts). A household counts once per campaign; coverage is live.
 */
export class NeedsService {
  private readonly repo = new NeedsRepository();
  private readonly ctx: NeedsContext;
  private readonly campaigns: NeedsCampaignsService;
  private readonly opinions: NeedsOpinionsService;
  private readonly answers: NeedsAnswersService;
  private readonly proposals: NeedsProposalsService;
  private readonly agenda: NeedsAgendaService;

  constructor(
    db: Db,
    audit: AuditService,
    regions: RegionsService,
    policy: PolicyService,
    households: HouseholdsService,
    private readonly clock: Now,
  ) {
    // The use cases read the time through this service's clock.
    this.ctx = new NeedsContext(db, this.repo, audit, regions, policy, households, () => this.clock());
    this.campaigns = new NeedsCampaignsService(this.ctx);
    this.opinions = new NeedsOpinionsService(this.ctx);
    this.answers = new NeedsAnswersService(this.ctx);
    this.proposals = new NeedsProposalsService(this.ctx);
    this.agenda = new NeedsAgendaService(this.ctx);
  }

  today(): string {
    return this.ctx.today();
  }

  /**
   * The version the public questionnaire (open or closed by date) is computed from (their ETag, http-cache.ts): the audit version
   * read on this service's own database handle, and today's date. One small read, before the answer is built.
   */
  async publicVersion(): Promise<string> {
    return `${await this.ctx.audit.version(this.ctx.db)}|${this.today()}`;
  }

  // ---- campaigns ----

  coverageOf(db: Executor, campaign: CampaignRow) {
    return this.ctx.coverageOf(db, campaign);
  }

  createCampaign(actor: Actor, input: CampaignCreate) {
    return this.campaigns.createCampaign(actor, input);
  }

  updateCampaign(actor: Actor, id: number, patch: CampaignPatch) {
    return this.campaigns.updateCampaign(actor, id, patch);
  }

  getCampaign(actor: Actor, id: number) {
    return this.campaigns.getCampaign(actor, id);
  }

  listCampaigns(actor: Actor, query: { communityCode?: string; fundYear?: number; limit?: number; offset?: number }) {
    return this.campaigns.listCampaigns(actor, query);
  }

  conclude(actor: Actor, id: number) {
    return this.campaigns.conclude(actor, id);
  }

  publicCampaign(id: number) {
    return this.campaigns.publicCampaign(id);
  }

  /** For the plans module (issue 6): coverage of a community's campaign of a fund year; null without one. */
  coverageFor(communityCode: string, fundYear: number, db?: Executor) {
    return this.campaigns.coverageFor(communityCode, fundYear, db);
  }

  /** For the city dashboard (issue 8): communities with a campaign in the fund year, as a SQL relation (community_code). No access check. */
  campaignCommunities(fundYear: number): SQL {
    return this.campaigns.campaignCommunities(fundYear);
  }

  // ---- opinions ----

  listOpinions(actor: Actor, id: number, query: { channel?: string; householdNo?: string; limit?: number; offset?: number }) {
    return this.opinions.listOpinions(actor, id, query);
  }

  submitPublic(campaignId: number, identity: PublicIdentity, answer: OpinionAnswer) {
    return this.answers.submitPublic(campaignId, identity, answer);
  }

  enterOpinion(actor: Actor, campaignId: number, input: { householdNo: string; channel: ChannelCode } & OpinionAnswer) {
    return this.answers.enterOpinion(actor, campaignId, input);
  }

  importOpinions(...args: Parameters<NeedsOpinionsService['importOpinions']>) {
    return this.opinions.importOpinions(...args);
  }

  issueCodes(actor: Actor, campaignId: number, householdNos?: string[]) {
    return this.opinions.issueCodes(actor, campaignId, householdNos);
  }

  // ---- proposals and the draft list ----

  listProposals(actor: Actor, campaignId: number) {
    return this.proposals.listProposals(actor, campaignId);
  }

  createProposal(actor: Actor, campaignId: number, input: ProposalCreate) {
    return this.proposals.createProposal(actor, campaignId, input);
  }

  updateProposal(actor: Actor, id: number, patch: Partial<ProposalCreate>) {
    return this.proposals.updateProposal(actor, id, patch);
  }

  merge(actor: Actor, campaignId: number, targetId: number, sourceIds: number[]) {
    return this.proposals.merge(actor, campaignId, targetId, sourceIds);
  }

  screen(actor: Actor, id: number, decision: 'reject' | 'restore', reason?: string) {
    return this.proposals.screen(actor, id, decision, reason);
  }

  setDraftList(
    actor: Actor,
    campaignId: number,
    items: { proposalId: number; catalogueCode?: string | null; estimatedBudgetFen?: number | null }[],
  ) {
    return this.agenda.setDraftList(actor, campaignId, items);
  }

  markReady(actor: Actor, campaignId: number) {
    return this.agenda.markReady(actor, campaignId);
  }

  draftListFor(actor: Actor, campaignId: number) {
    return this.agenda.draftListFor(actor, campaignId);
  }

  /** For the decisions module (issue 5): a campaign's draft project list in rank order. No access check. */
  draftList(campaignId: number, db?: Executor) {
    return this.agenda.draftList(campaignId, db);
  }

  /** For the decisions module: the community's list for a fund year, if its campaign exists. */
  draftListOf(communityCode: string, fundYear: number, db?: Executor) {
    return this.agenda.draftListOf(communityCode, fundYear, db);
  }
}
