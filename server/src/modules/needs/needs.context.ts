import { createHash } from 'node:crypto';
import type { Db, Executor } from '../../db/client.js';
import { gather } from '../../common/gather.js';
import { requirePermission, type Actor } from '../../common/access.js';
import { todayInChina } from '../../common/dates.js';
import type { Now } from '../../common/clock.js';
import { DomainError, notFoundOrHidden } from '../../common/errors.js';
import type { AuditService } from '../audit/audit.service.js';
import type { HouseholdsService } from '../households/households.service.js';
import type { PolicyService } from '../policy/policy.service.js';
import type { RegionsService } from '../regions/regions.service.js';
import type { CampaignRow, NeedsRepository, ProposalRow } from './needs.repository.js';
import { coverage, normalizeCode, CHANNELS, NEEDS_CLAUSE, SORTING_CLAUSE } from './needs.rules.js';
import type { CoverageView, ProposalView } from './needs.schemas.js';

export const campaignNotFound = () => notFoundOrHidden({ zh: '需求征集', en: 'Campaign' });
export const proposalNotFound = () => notFoundOrHidden({ zh: '提案', en: 'Proposal' });
export const closedCampaign = () =>
  new DomainError(
    'CAMPAIGN_NOT_OPEN',
    { zh: '该需求征集已完结，不能再修改或录入', en: 'The campaign is concluded' },
    { kind: 'conflict', clause: NEEDS_CLAUSE },
  );
export const notRegistered = (householdNo: string) =>
  new DomainError(
    'HOUSEHOLD_NOT_REGISTERED',
    { zh: `户号 ${householdNo} 未在本社区登记`, en: `Household ${householdNo} is not registered in this community` },
    { kind: 'rule', field: 'householdNo', clause: NEEDS_CLAUSE },
  );
/** A one-time code as stored: only its hash (ADR 0006). */
export const hashCode = (code: string) =>
  createHash('sha256')
    .update(`needs-code:${normalizeCode(code)}`)
    .digest('hex');
export const channelLabel = (code: string) => CHANNELS.find((c) => c.code === code)?.label ?? code;

/** What the use cases of needs collection share: the modules they read, the campaign in scope, its catalogue and coverage. */
export class NeedsContext {
  constructor(
    readonly db: Db,
    readonly repo: NeedsRepository,
    readonly audit: AuditService,
    readonly regions: RegionsService,
    readonly policy: PolicyService,
    readonly households: HouseholdsService,
    private readonly clock: Now,
  ) {}

  now(): Date {
    return this.clock();
  }

  today(): string {
    return todayInChina(this.clock());
  }

  async catalogue(fundYear: number, db: Executor = this.db) {
    const doc = await this.policy.forYear(fundYear, db);
    return { doc, enhancement: doc.catalogue.enhancement, all: [...doc.catalogue.basic, ...doc.catalogue.enhancement] };
  }

  /** The campaign, if its community is in the caller's scope (404 otherwise). */
  async scopedCampaign(actor: Actor, id: number, permission: 'needs:read' | 'needs:write') {
    requirePermission(actor, permission);
    const campaign = await this.repo.campaign(this.db, id);
    if (!campaign) throw campaignNotFound();
    const community = await this.regions.requireInScope(actor, campaign.communityCode).catch(() => {
      throw campaignNotFound();
    });
    return { campaign, community };
  }

  async coverageOf(db: Executor, campaign: CampaignRow): Promise<CoverageView> {
    const [reached, profile, policy] = await gather(db, [
      () => this.repo.reached(db, campaign.id),
      () => this.regions.profileOf(campaign.communityCode, db),
      () => this.policy.forYear(campaign.fundYear, db),
    ] as const);
    return coverage(reached, profile?.residentHouseholds ?? 0, policy.needsCoverage);
  }

  /** The campaign locked for a change of its proposals: refused once the draft list went to the council. */
  async writableCampaign(tx: Executor, id: number) {
    const campaign = (await this.repo.campaign(tx, id, 'update'))!;
    if (campaign.status === 'ready') {
      throw new DomainError(
        'DRAFT_LIST_SUBMITTED',
        { zh: '项目清单已提交居民议事会，不能再修改提案', en: 'The draft list has gone to the council; proposals are frozen' },
        { kind: 'conflict', clause: SORTING_CLAUSE },
      );
    }
    return campaign;
  }

  /** The campaign's proposals as listed: catalogue name, households behind each, linked opinions. */
  async proposalViews(db: Executor, campaign: CampaignRow): Promise<ProposalView[]> {
    const [rows, cat] = await gather(db, [
      () => this.repo.proposals(db, campaign.id),
      () => this.catalogue(campaign.fundYear, db),
    ] as const);
    const links = await this.repo.links(
      db,
      rows.map((r) => r.proposal.id),
    );
    return rows.map((r) => ({
      ...proposalView(r.proposal),
      catalogueName: r.proposal.catalogueCode ? (cat.all.find((c) => c.code === r.proposal.catalogueCode)?.name ?? null) : null,
      householdCount: r.householdCount,
      opinionIds: links
        .filter((l) => l.proposalId === r.proposal.id)
        .map((l) => l.opinionId)
        .sort((a, b) => a - b),
    }));
  }
}

/** A proposal as stored, the fields every view and audit entry shows. */
export function proposalView(p: ProposalRow) {
  return {
    id: p.id,
    campaignId: p.campaignId,
    title: p.title,
    description: p.description,
    catalogueCode: p.catalogueCode,
    estimatedBudgetFen: p.estimatedBudgetFen,
    source: p.source,
    status: p.status,
    rank: p.rank,
    mergedIntoId: p.mergedIntoId,
    screenReason: p.screenReason,
  };
}
