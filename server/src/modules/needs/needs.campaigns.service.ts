import type { SQL } from 'drizzle-orm';
import { gather } from '../../common/gather.js';
import type { Executor } from '../../db/client.js';
import { requirePermission, type Actor } from '../../common/access.js';
import { DomainError } from '../../common/errors.js';
import { heldOnce } from '../../common/at-most-one.js';
import type { PolicyService } from '../policy/policy.service.js';
import type { CampaignRow } from './needs.repository.js';
import { acceptsOnline, checkCampaign, coverage, NEEDS_CLAUSE, type CampaignInput } from './needs.rules.js';
import { campaignNotFound, channelLabel, closedCampaign, type NeedsContext } from './needs.context.js';
import type { CampaignListView, CampaignView, CoverageView, PublicCampaignView } from './needs.schemas.js';

export interface CampaignCreate extends CampaignInput {
  communityCode: string;
  fundYear: number;
  allowChanges: boolean;
}
export type CampaignPatch = Partial<Pick<CampaignCreate, 'title' | 'opensOn' | 'closesOn' | 'channels' | 'questionnaire' | 'allowChanges'>>;

/** Needs campaigns [N 3.1.1(1)]: opened, edited and concluded once coverage reaches the policy share; the public questionnaire. */
export class NeedsCampaignsService {
  constructor(private readonly ctx: NeedsContext) {}

  private async view(db: Executor, campaign: CampaignRow): Promise<CampaignView> {
    const [community, cov, channels, tally, cat] = await gather(db, [
      () => this.ctx.regions.find(campaign.communityCode, db),
      () => this.ctx.coverageOf(db, campaign),
      () => this.ctx.repo.byChannel(db, campaign.id),
      () => this.ctx.repo.tally(db, campaign.id),
      () => this.ctx.catalogue(campaign.fundYear, db),
    ] as const);
    return {
      id: campaign.id,
      communityCode: campaign.communityCode,
      communityName: community?.name ?? campaign.communityCode,
      fundYear: campaign.fundYear,
      title: campaign.title,
      opensOn: campaign.opensOn,
      closesOn: campaign.closesOn,
      channels: campaign.channels,
      questionnaire: {
        ...campaign.questionnaire,
        items: campaign.questionnaire.itemCodes.map((code) => ({ code, name: cat.all.find((c) => c.code === code)?.name ?? code })),
      },
      allowChanges: campaign.allowChanges,
      status: campaign.status,
      acceptingOnline: acceptsOnline(campaign, this.ctx.today()),
      concludedAt: campaign.concludedAt?.toISOString() ?? null,
      readyAt: campaign.readyAt?.toISOString() ?? null,
      coverage: cov,
      byChannel: channels.map((c) => ({ channel: c.channel, label: channelLabel(c.channel), households: c.n })),
      tally: tally
        .map((t) => ({ ...t, name: cat.all.find((c) => c.code === t.code)?.name ?? t.code }))
        .sort((a, b) => b.households - a.households || a.code.localeCompare(b.code)),
    };
  }

  async createCampaign(actor: Actor, input: CampaignCreate): Promise<CampaignView> {
    const community = await this.ctx.households.requireCommunity(actor, input.communityCode, 'needs:write');
    const cat = await this.ctx.catalogue(input.fundYear);
    checkCampaign(
      input,
      input.fundYear,
      cat.enhancement.map((c) => c.code),
    );
    const id = await heldOnce(
      this.ctx.db.transaction(async (tx) => {
        if (await this.ctx.repo.campaignFor(tx, input.communityCode, input.fundYear)) {
          throw new DomainError(
            'CAMPAIGN_EXISTS',
            { zh: `本社区 ${input.fundYear} 年度的需求征集已创建`, en: `The community already has a ${input.fundYear} campaign` },
            { kind: 'conflict', clause: NEEDS_CLAUSE },
          );
        }
        const row = await this.ctx.repo.insertCampaign(tx, {
          communityCode: input.communityCode,
          fundYear: input.fundYear,
          title: input.title.trim(),
          opensOn: input.opensOn,
          closesOn: input.closesOn,
          channels: input.channels,
          questionnaire: {
            itemCodes: input.questionnaire.itemCodes,
            freeText: input.questionnaire.freeText,
            prompt: input.questionnaire.prompt?.trim() || null,
          },
          allowChanges: input.allowChanges,
        });
        await this.ctx.audit.record(tx, actor, {
          action: 'needs.campaign.create',
          entityType: 'needs_campaign',
          entityId: String(row.id),
          regionPath: community.path,
          after: { ...input },
        });
        return row.id;
      }),
    );
    return this.getCampaign(actor, id);
  }

  async updateCampaign(actor: Actor, id: number, patch: CampaignPatch): Promise<CampaignView> {
    const { campaign, community } = await this.ctx.scopedCampaign(actor, id, 'needs:write');
    const cat = await this.ctx.catalogue(campaign.fundYear);
    await this.ctx.db.transaction(async (tx) => {
      const before = (await this.ctx.repo.campaign(tx, id, 'update'))!;
      if (before.status !== 'open') throw closedCampaign();
      const next = {
        title: patch.title ?? before.title,
        opensOn: patch.opensOn ?? before.opensOn,
        closesOn: patch.closesOn ?? before.closesOn,
        channels: patch.channels ?? before.channels,
        questionnaire: patch.questionnaire ?? before.questionnaire,
        allowChanges: patch.allowChanges ?? before.allowChanges,
      };
      checkCampaign(
        next,
        before.fundYear,
        cat.enhancement.map((c) => c.code),
      );
      await this.ctx.repo.updateCampaign(tx, id, {
        ...next,
        questionnaire: {
          itemCodes: next.questionnaire.itemCodes,
          freeText: next.questionnaire.freeText,
          prompt: next.questionnaire.prompt?.trim() || null,
        },
      });
      await this.ctx.audit.record(tx, actor, {
        action: 'needs.campaign.update',
        entityType: 'needs_campaign',
        entityId: String(id),
        regionPath: community.path,
        before: {
          title: before.title,
          opensOn: before.opensOn,
          closesOn: before.closesOn,
          channels: before.channels,
          questionnaire: before.questionnaire,
          allowChanges: before.allowChanges,
        },
        after: next,
      });
    });
    return this.getCampaign(actor, id);
  }

  async getCampaign(actor: Actor, id: number): Promise<CampaignView> {
    const { campaign } = await this.ctx.scopedCampaign(actor, id, 'needs:read');
    return this.view(this.ctx.db, campaign);
  }

  async listCampaigns(
    actor: Actor,
    query: { communityCode?: string; fundYear?: number; limit?: number; offset?: number },
  ): Promise<CampaignListView> {
    requirePermission(actor, 'needs:read');
    const scopeCode = actor.scopePath?.split('/').pop();
    if (!scopeCode) return { total: 0, items: [] };
    const result = await this.ctx.repo.campaigns(this.ctx.db, {
      codePrefix: scopeCode,
      communityCode: query.communityCode,
      fundYear: query.fundYear,
      limit: Math.min(query.limit ?? 50, 500),
      offset: query.offset ?? 0,
    });
    const communities = await this.ctx.regions.byCodes([...new Set(result.items.map((i) => i.campaign.communityCode))]);
    const profiles = await Promise.all(result.items.map((i) => this.ctx.regions.profileOf(i.campaign.communityCode, this.ctx.db)));
    const policies = new Map<number, Awaited<ReturnType<PolicyService['forYear']>>>();
    for (const i of result.items)
      if (!policies.has(i.campaign.fundYear)) policies.set(i.campaign.fundYear, await this.ctx.policy.forYear(i.campaign.fundYear));
    return {
      total: result.total,
      items: result.items.map((i, n) => ({
        id: i.campaign.id,
        communityCode: i.campaign.communityCode,
        communityName: communities.find((c) => c.code === i.campaign.communityCode)?.name ?? i.campaign.communityCode,
        fundYear: i.campaign.fundYear,
        title: i.campaign.title,
        opensOn: i.campaign.opensOn,
        closesOn: i.campaign.closesOn,
        status: i.campaign.status,
        coverage: coverage(i.reached, profiles[n]?.residentHouseholds ?? 0, policies.get(i.campaign.fundYear)!.needsCoverage),
      })),
    };
  }

  /**
   * [N 3.1.1(1)] Closes collection into proposals and a project list: refused below the policy's
   * coverage share (inclusive), counted inside the transaction that closes it.
   */
  async conclude(actor: Actor, id: number): Promise<CampaignView> {
    const { community } = await this.ctx.scopedCampaign(actor, id, 'needs:write');
    await this.ctx.db.transaction(async (tx) => {
      const campaign = (await this.ctx.repo.campaign(tx, id, 'update'))!;
      if (campaign.status !== 'open')
        throw new DomainError(
          'CAMPAIGN_NOT_OPEN',
          { zh: '该需求征集已完结', en: 'The campaign is already concluded' },
          { kind: 'conflict', clause: NEEDS_CLAUSE },
        );
      const cov = await this.ctx.coverageOf(tx, campaign);
      if (!cov.meets) {
        const pct = (cov.basisPoints / 100).toFixed(2);
        const threshold = `${cov.threshold.numerator}/${cov.threshold.denominator}`;
        throw new DomainError(
          'COVERAGE_BELOW_THRESHOLD',
          {
            zh: `入户覆盖率 ${pct}%（${cov.reached}/${cov.residentHouseholds} 户）未达到政策要求的 ${threshold}，至少需要 ${cov.required} 户，不能完结征集形成项目清单`,
            en: `Coverage ${pct}% (${cov.reached}/${cov.residentHouseholds} households) is below the required ${threshold}; ${cov.required} households are needed`,
          },
          { kind: 'rule', clause: NEEDS_CLAUSE, details: cov },
        );
      }
      await this.ctx.repo.updateCampaign(tx, id, {
        status: 'concluded',
        concludedAt: this.ctx.now(),
        concludedReached: cov.reached,
        concludedResidentHouseholds: cov.residentHouseholds,
      });
      await this.ctx.audit.record(tx, actor, {
        action: 'needs.campaign.conclude',
        entityType: 'needs_campaign',
        entityId: String(id),
        regionPath: community.path,
        before: { status: 'open' },
        after: { status: 'concluded', coverage: cov },
      });
    });
    return this.getCampaign(actor, id);
  }

  // ---- public page ----

  async publicCampaign(id: number): Promise<PublicCampaignView> {
    const campaign = await this.ctx.repo.campaign(this.ctx.db, id);
    if (!campaign) throw campaignNotFound();
    const community = await this.ctx.regions.find(campaign.communityCode, this.ctx.db);
    const ancestors = community ? await this.ctx.regions.byCodes(community.path.split('/').slice(1, -1)) : [];
    const cat = await this.ctx.catalogue(campaign.fundYear);
    const cov = await this.ctx.coverageOf(this.ctx.db, campaign);
    return {
      id: campaign.id,
      title: campaign.title,
      fundYear: campaign.fundYear,
      communityName: community?.name ?? '',
      districtName: ancestors.find((a) => a.level === 'district')?.name ?? '',
      streetName: ancestors.find((a) => a.level === 'street')?.name ?? '',
      opensOn: campaign.opensOn,
      closesOn: campaign.closesOn,
      channels: campaign.channels.map((c) => ({ code: c, label: channelLabel(c) })),
      allowChanges: campaign.allowChanges,
      status: campaign.status,
      acceptingOnline: acceptsOnline(campaign, this.ctx.today()),
      questionnaire: {
        items: campaign.questionnaire.itemCodes.map((code) => {
          const item = cat.enhancement.find((c) => c.code === code);
          return { code, name: item?.name ?? code, examples: item?.examples ?? [] };
        }),
        freeText: campaign.questionnaire.freeText,
        prompt: campaign.questionnaire.prompt,
      },
      coverage: {
        reached: cov.reached,
        residentHouseholds: cov.residentHouseholds,
        basisPoints: cov.basisPoints,
        threshold: cov.threshold,
      },
    };
  }

  /** For the plans module (issue 6): coverage of a community's campaign of a fund year; null without one. */
  async coverageFor(communityCode: string, fundYear: number, db: Executor = this.ctx.db): Promise<CoverageView | null> {
    const campaign = await this.ctx.repo.campaignFor(db, communityCode, fundYear);
    return campaign ? this.ctx.coverageOf(db, campaign) : null;
  }

  /**
   * For the city dashboard (issue 8): communities with a campaign in the fund year, as a SQL
   * relation (community_code) the dashboard joins to its region's communities. No access check.
   */
  campaignCommunities(fundYear: number): SQL {
    return this.ctx.repo.campaignCommunitiesRelation(fundYear);
  }
}
