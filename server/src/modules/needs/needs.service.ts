import { createHash, randomBytes } from 'node:crypto';
import type { SQL } from 'drizzle-orm';
import { gather } from '../../common/gather.js';
import type { Db, Executor } from '../../db/client.js';
import { requirePermission, type Actor } from '../../common/access.js';
import { todayInChina } from '../../common/dates.js';
import type { Now } from '../../common/clock.js';
import { DomainError } from '../../common/errors.js';
import { heldOnce } from '../../common/at-most-one.js';
import { IdempotencyService } from '../idempotency/idempotency.service.js';
import { readTable, type TableFormat } from '../../common/tabular.js';
import type { AuditActor, AuditService } from '../audit/audit.service.js';
import type { HouseholdsService } from '../households/households.service.js';
import { formatAddress } from '../households/households.service.js';
import { maskName, seesPersonalData } from '../households/households.rules.js';
import type { PolicyService } from '../policy/policy.service.js';
import type { RegionsService } from '../regions/regions.service.js';
import { NeedsRepository, type CampaignRow, type OpinionRow, type ProposalRow } from './needs.repository.js';
import {
  acceptsOnline,
  checkAnswer,
  checkCampaign,
  checkDraftList,
  codeFromBytes,
  coverage,
  normalizeCode,
  parseOpinionRows,
  CHANNELS,
  NEEDS_CLAUSE,
  ONLINE_CHANNEL,
  PROPOSALS_CLAUSE,
  SORTING_CLAUSE,
  type CampaignInput,
  type ChannelCode,
  type OpinionAnswer,
} from './needs.rules.js';

export interface CampaignCreate extends CampaignInput {
  communityCode: string;
  fundYear: number;
  allowChanges: boolean;
}
export type CampaignPatch = Partial<Pick<CampaignCreate, 'title' | 'opensOn' | 'closesOn' | 'channels' | 'questionnaire' | 'allowChanges'>>;

export interface PublicIdentity {
  householdNo?: string;
  headName?: string;
  phoneLast4?: string;
  code?: string;
}

export interface ProposalCreate {
  title: string;
  description?: string | null;
  catalogueCode?: string | null;
  estimatedBudgetFen?: number | null;
  opinionIds?: number[];
}

/** The resident acting on the public page (no account); the audit log names the channel, never the person. */
const RESIDENT: AuditActor = { userId: null, username: 'resident(online)' };

const campaignNotFound = () => new DomainError('NOT_FOUND', { zh: '需求征集不存在或无权查看', en: 'Campaign not found' }, { kind: 'not_found' });
const proposalNotFound = () => new DomainError('NOT_FOUND', { zh: '提案不存在或无权查看', en: 'Proposal not found' }, { kind: 'not_found' });
const notIdentified = () =>
  new DomainError(
    'HOUSEHOLD_NOT_IDENTIFIED',
    { zh: '未能核实您的住户信息，请核对户号、户主姓名和手机号后四位（或一次性验证码）；如仍有问题请联系社区', en: 'The household could not be identified; check the household number, head\'s name and last four phone digits (or the one-time code)' },
    { kind: 'rule', clause: NEEDS_CLAUSE },
  );
const channelLabel = (code: string) => CHANNELS.find((c) => c.code === code)?.label ?? code;
const hashCode = (code: string) => createHash('sha256').update(`needs-code:${normalizeCode(code)}`).digest('hex');

function alreadyAnswered(existing: OpinionRow, householdNo: string) {
  const when = existing.createdAt.toISOString().slice(0, 10);
  return new DomainError(
    'ALREADY_SUBMITTED',
    {
      zh: `户号 ${householdNo} 已于 ${when} 通过"${channelLabel(existing.channel)}"提交过意见，本次征集每户只计一次，不能重复提交`,
      en: `Household ${householdNo} already answered on ${when} via ${existing.channel}; a household counts once per campaign`,
    },
    { kind: 'conflict', clause: NEEDS_CLAUSE, details: { channel: existing.channel, submittedOn: when } },
  );
}

/**
 * Needs collection [N 3.1.1(1)], proposals [N 3.1.1(2)] and the draft project list [N 3.1.1(3)].
 * A household counts once per campaign by the database's unique index; coverage is live.
 */
export class NeedsService {
  readonly repo = new NeedsRepository();
  readonly idem = new IdempotencyService();

  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly regions: RegionsService,
    private readonly policy: PolicyService,
    private readonly households: HouseholdsService,
    public clock: Now,
  ) {}

  today(): string {
    return todayInChina(this.clock());
  }

  // ---- campaigns ----

  private async catalogue(fundYear: number, db: Executor = this.db) {
    const doc = await this.policy.forYear(fundYear, db);
    return { doc, enhancement: doc.catalogue.enhancement, all: [...doc.catalogue.basic, ...doc.catalogue.enhancement] };
  }

  /** The campaign, if its community is in the caller's scope (404 otherwise). */
  private async scopedCampaign(actor: Actor, id: number, permission: 'needs:read' | 'needs:write') {
    requirePermission(actor, permission);
    const campaign = await this.repo.campaign(this.db, id);
    if (!campaign) throw campaignNotFound();
    const community = await this.regions.requireInScope(actor, campaign.communityCode).catch(() => {
      throw campaignNotFound();
    });
    return { campaign, community };
  }

  async coverageOf(db: Executor, campaign: CampaignRow) {
    const [reached, profile, policy] = await gather(db, [() => this.repo.reached(db, campaign.id), () => this.regions.profileOf(campaign.communityCode, db), () => this.policy.forYear(campaign.fundYear, db)] as const);
    return coverage(reached, profile?.residentHouseholds ?? 0, policy.needsCoverage);
  }

  private async view(db: Executor, campaign: CampaignRow) {
    const [community, cov, channels, tally, cat] = await gather(db, [
      () => this.regions.find(campaign.communityCode, db),
      () => this.coverageOf(db, campaign),
      () => this.repo.byChannel(db, campaign.id),
      () => this.repo.tally(db, campaign.id),
      () => this.catalogue(campaign.fundYear, db),
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
      questionnaire: { ...campaign.questionnaire, items: campaign.questionnaire.itemCodes.map((code) => ({ code, name: cat.all.find((c) => c.code === code)?.name ?? code })) },
      allowChanges: campaign.allowChanges,
      status: campaign.status,
      acceptingOnline: acceptsOnline(campaign, this.today()),
      concludedAt: campaign.concludedAt?.toISOString() ?? null,
      readyAt: campaign.readyAt?.toISOString() ?? null,
      coverage: cov,
      byChannel: channels.map((c) => ({ channel: c.channel, label: channelLabel(c.channel), households: c.n })),
      tally: tally.map((t) => ({ ...t, name: cat.all.find((c) => c.code === t.code)?.name ?? t.code })).sort((a, b) => b.households - a.households || a.code.localeCompare(b.code)),
    };
  }

  async createCampaign(actor: Actor, input: CampaignCreate) {
    const community = await this.households.requireCommunity(actor, input.communityCode, 'needs:write');
    const cat = await this.catalogue(input.fundYear);
    checkCampaign(input, input.fundYear, cat.enhancement.map((c) => c.code));
    const id = await heldOnce(this.db.transaction(async (tx) => {
      if (await this.repo.campaignFor(tx, input.communityCode, input.fundYear)) {
        throw new DomainError('CAMPAIGN_EXISTS', { zh: `本社区 ${input.fundYear} 年度的需求征集已创建`, en: `The community already has a ${input.fundYear} campaign` }, { kind: 'conflict', clause: NEEDS_CLAUSE });
      }
      const row = await this.repo.insertCampaign(tx, {
        communityCode: input.communityCode, fundYear: input.fundYear, title: input.title.trim(), opensOn: input.opensOn, closesOn: input.closesOn,
        channels: input.channels, questionnaire: { itemCodes: input.questionnaire.itemCodes, freeText: input.questionnaire.freeText, prompt: input.questionnaire.prompt?.trim() || null }, allowChanges: input.allowChanges,
      });
      await this.audit.record(tx, actor, { action: 'needs.campaign.create', entityType: 'needs_campaign', entityId: String(row.id), regionPath: community.path, after: { ...input } });
      return row.id;
    }));
    return this.getCampaign(actor, id);
  }

  async updateCampaign(actor: Actor, id: number, patch: CampaignPatch) {
    const { campaign, community } = await this.scopedCampaign(actor, id, 'needs:write');
    const cat = await this.catalogue(campaign.fundYear);
    await this.db.transaction(async (tx) => {
      const before = (await this.repo.campaign(tx, id, 'update'))!;
      if (before.status !== 'open') throw closedCampaign();
      const next = {
        title: patch.title ?? before.title, opensOn: patch.opensOn ?? before.opensOn, closesOn: patch.closesOn ?? before.closesOn,
        channels: patch.channels ?? before.channels, questionnaire: patch.questionnaire ?? before.questionnaire, allowChanges: patch.allowChanges ?? before.allowChanges,
      };
      checkCampaign(next, before.fundYear, cat.enhancement.map((c) => c.code));
      await this.repo.updateCampaign(tx, id, { ...next, questionnaire: { itemCodes: next.questionnaire.itemCodes, freeText: next.questionnaire.freeText, prompt: next.questionnaire.prompt?.trim() || null } });
      await this.audit.record(tx, actor, {
        action: 'needs.campaign.update', entityType: 'needs_campaign', entityId: String(id), regionPath: community.path,
        before: { title: before.title, opensOn: before.opensOn, closesOn: before.closesOn, channels: before.channels, questionnaire: before.questionnaire, allowChanges: before.allowChanges },
        after: next,
      });
    });
    return this.getCampaign(actor, id);
  }

  async getCampaign(actor: Actor, id: number) {
    const { campaign } = await this.scopedCampaign(actor, id, 'needs:read');
    return this.view(this.db, campaign);
  }

  async listCampaigns(actor: Actor, query: { communityCode?: string; fundYear?: number; limit?: number; offset?: number }) {
    requirePermission(actor, 'needs:read');
    const scopeCode = actor.scopePath?.split('/').pop();
    if (!scopeCode) return { total: 0, items: [] };
    const result = await this.repo.campaigns(this.db, { codePrefix: scopeCode, communityCode: query.communityCode, fundYear: query.fundYear, limit: Math.min(query.limit ?? 50, 500), offset: query.offset ?? 0 });
    const communities = await this.regions.byCodes([...new Set(result.items.map((i) => i.campaign.communityCode))]);
    const profiles = await Promise.all(result.items.map((i) => this.regions.profileOf(i.campaign.communityCode, this.db)));
    const policies = new Map<number, Awaited<ReturnType<PolicyService['forYear']>>>();
    for (const i of result.items) if (!policies.has(i.campaign.fundYear)) policies.set(i.campaign.fundYear, await this.policy.forYear(i.campaign.fundYear));
    return {
      total: result.total,
      items: result.items.map((i, n) => ({
        id: i.campaign.id, communityCode: i.campaign.communityCode, communityName: communities.find((c) => c.code === i.campaign.communityCode)?.name ?? i.campaign.communityCode,
        fundYear: i.campaign.fundYear, title: i.campaign.title, opensOn: i.campaign.opensOn, closesOn: i.campaign.closesOn, status: i.campaign.status,
        coverage: coverage(i.reached, profiles[n]?.residentHouseholds ?? 0, policies.get(i.campaign.fundYear)!.needsCoverage),
      })),
    };
  }

  /**
   * [N 3.1.1(1)] Closes collection into proposals and a project list: refused below the policy's
   * coverage share (inclusive), counted inside the transaction that closes it.
   */
  async conclude(actor: Actor, id: number) {
    const { community } = await this.scopedCampaign(actor, id, 'needs:write');
    await this.db.transaction(async (tx) => {
      const campaign = (await this.repo.campaign(tx, id, 'update'))!;
      if (campaign.status !== 'open') throw new DomainError('CAMPAIGN_NOT_OPEN', { zh: '该需求征集已完结', en: 'The campaign is already concluded' }, { kind: 'conflict', clause: NEEDS_CLAUSE });
      const cov = await this.coverageOf(tx, campaign);
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
      await this.repo.updateCampaign(tx, id, { status: 'concluded', concludedAt: this.clock(), concludedReached: cov.reached, concludedResidentHouseholds: cov.residentHouseholds });
      await this.audit.record(tx, actor, { action: 'needs.campaign.conclude', entityType: 'needs_campaign', entityId: String(id), regionPath: community.path, before: { status: 'open' }, after: { status: 'concluded', coverage: cov } });
    });
    return this.getCampaign(actor, id);
  }

  // ---- opinions ----

  async listOpinions(actor: Actor, id: number, query: { channel?: string; limit?: number; offset?: number }) {
    const { campaign } = await this.scopedCampaign(actor, id, 'needs:read');
    const clear = seesPersonalData(actor, campaign.communityCode);
    const result = await this.repo.opinions(this.db, id, { channel: query.channel, limit: Math.min(query.limit ?? 50, 500), offset: query.offset ?? 0 });
    return {
      total: result.total,
      masked: !clear,
      items: result.items.map(({ opinion: o, household: h }) => ({
        id: o.id, householdId: o.householdId, householdNo: h.householdNo, address: formatAddress(h), headName: clear ? h.headName : maskName(h.headName),
        channel: o.channel, choices: o.choices, freeText: o.freeText, // Public answers are always online and anonymous; every other channel is entered by staff.
        enteredBy: o.enteredByUserId === null && o.channel === ONLINE_CHANNEL ? ('resident' as const) : ('staff' as const),
        revision: o.revision, createdAt: o.createdAt.toISOString(), updatedAt: o.updatedAt.toISOString(),
      })),
    };
  }

  /**
   * Records one household's answer in the caller's transaction: once per campaign, or replaced in
   * place where the campaign allows changes. Returns the opinion and whether it replaced one.
   */
  private async record(tx: Executor, campaign: CampaignRow, householdId: number, householdNo: string, channel: ChannelCode, answer: { choices: string[]; freeText: string | null }, enteredByUserId: number | null) {
    const row = { campaignId: campaign.id, householdId, channel, choices: answer.choices, freeText: answer.freeText, enteredByUserId };
    if (campaign.allowChanges) {
      const saved = await this.repo.upsertOpinion(tx, row);
      return { opinion: saved, replaced: saved.revision > 1 };
    }
    const saved = await this.repo.insertOpinionOnce(tx, row);
    if (!saved) throw alreadyAnswered((await this.repo.opinionOf(tx, campaign.id, householdId))!, householdNo);
    return { opinion: saved, replaced: false };
  }

  /** A resident answers on the public page (no account), identified by the registry or a code. */
  async submitPublic(campaignId: number, identity: PublicIdentity, answer: OpinionAnswer) {
    return this.db.transaction(async (tx) => {
      // Shared lock: concluding waits for answers in flight, and answers wait for a conclusion.
      const campaign = await this.repo.campaign(tx, campaignId, 'share');
      if (!campaign) throw campaignNotFound();
      if (!acceptsOnline(campaign, this.today())) {
        throw new DomainError('CAMPAIGN_NOT_ACCEPTING', { zh: '本次需求征集当前不接受网上提交', en: 'The campaign does not take online answers now' }, { kind: 'rule', clause: NEEDS_CLAUSE });
      }
      const checked = checkAnswer(answer, campaign.questionnaire);
      let householdId: number | undefined;
      if (identity.code) {
        const hash = hashCode(identity.code);
        householdId = await this.repo.consumeCode(tx, campaign.id, hash);
        if (householdId === undefined) {
          const code = await this.repo.codeByHash(tx, campaign.id, hash);
          if (code?.usedAt) throw new DomainError('CODE_USED', { zh: '该验证码已使用过，每个验证码只能提交一次', en: 'This one-time code has already been used' }, { kind: 'conflict', clause: NEEDS_CLAUSE });
          throw notIdentified();
        }
      } else {
        if (!identity.householdNo || !identity.headName || !identity.phoneLast4) throw notIdentified();
        householdId = (await this.households.identify(tx, campaign.communityCode, identity.householdNo, identity.headName, identity.phoneLast4))?.id;
        if (householdId === undefined) throw notIdentified();
      }
      const [household] = await this.households.byIds(tx, [householdId]);
      const { opinion, replaced } = await this.record(tx, campaign, householdId, household!.householdNo, ONLINE_CHANNEL, checked, null);
      const community = await this.regions.find(campaign.communityCode, tx);
      await this.audit.record(tx, RESIDENT, {
        action: replaced ? 'needs.opinion.replace' : 'needs.opinion.submit', entityType: 'needs_opinion', entityId: String(opinion.id), regionPath: community?.path ?? null,
        after: { campaignId, householdNo: household!.householdNo, channel: ONLINE_CHANNEL, choices: checked.choices, hasFreeText: checked.freeText !== null, revision: opinion.revision, identifiedBy: identity.code ? 'code' : 'registry' },
      });
      return { opinionId: opinion.id, householdNo: household!.householdNo, replaced, revision: opinion.revision };
    });
  }

  /** Community staff enter a paper form or a courtyard-meeting result for one household. */
  async enterOpinion(actor: Actor, campaignId: number, input: { householdNo: string; channel: ChannelCode } & OpinionAnswer) {
    const { community } = await this.scopedCampaign(actor, campaignId, 'needs:write');
    return this.db.transaction(async (tx) => {
      const campaign = (await this.repo.campaign(tx, campaignId, 'share'))!;
      if (campaign.status !== 'open') throw closedCampaign();
      if (!campaign.channels.includes(input.channel)) {
        throw new DomainError('CHANNEL_NOT_ENABLED', { zh: `本次征集未启用渠道"${channelLabel(input.channel)}"`, en: `Channel ${input.channel} is not enabled for this campaign` }, { kind: 'rule', field: 'channel', clause: NEEDS_CLAUSE });
      }
      const checked = checkAnswer(input, campaign.questionnaire);
      const household = await this.households.byNumber(tx, campaign.communityCode, input.householdNo);
      if (!household) throw notRegistered(input.householdNo);
      const { opinion, replaced } = await this.record(tx, campaign, household.id, household.householdNo, input.channel, checked, actor.userId);
      await this.audit.record(tx, actor, {
        action: replaced ? 'needs.opinion.replace' : 'needs.opinion.enter', entityType: 'needs_opinion', entityId: String(opinion.id), regionPath: community.path,
        after: { campaignId, householdNo: household.householdNo, channel: input.channel, choices: checked.choices, hasFreeText: checked.freeText !== null, revision: opinion.revision },
      });
      return { opinionId: opinion.id, householdNo: household.householdNo, replaced, revision: opinion.revision };
    });
  }

  /** Paper forms in bulk, all or nothing, with a row-level report; never counts a household twice. */
  async importOpinions(actor: Actor, campaignId: number, format: TableFormat, content: string, requestId?: string) {
    const { campaign: snapshot, community } = await this.scopedCampaign(actor, campaignId, 'needs:write');
    // The file's hash stands for its content in the request hash (a retry sends the same file).
    const keyed = { scope: 'needs.opinion.import', key: requestId, userId: actor.userId, request: { campaignId, format, content: createHash('sha256').update(content).digest('hex') } };
    const replayed = await this.idem.replay<{ format: TableFormat; rows: number; created: number; replaced: number }>(this.db, keyed);
    if (replayed) return replayed;
    const cat = await this.catalogue(snapshot.fundYear);
    const table = await readTable(format, content);
    return heldOnce(this.db.transaction(async (tx) => this.idem.once(tx, keyed, 200, async () => {
      const campaign = (await this.repo.campaign(tx, campaignId, 'share'))!;
      if (campaign.status !== 'open') throw closedCampaign();
      const { rows, errors } = parseOpinionRows(table, campaign, cat.enhancement);
      const found = await this.households.byNumbers(tx, campaign.communityCode, rows.map((r) => r.householdNo));
      const byNo = new Map(found.map((h) => [h.householdNo, h]));
      const existing = new Map((await this.repo.opinionsOfHouseholds(tx, campaignId, found.map((h) => h.id))).map((o) => [o.householdId, o]));
      for (const r of rows) {
        const h = byNo.get(r.householdNo);
        if (!h) errors.push({ row: r.row, column: '户号', message: `户号 ${r.householdNo} 未在本社区登记`, messageEn: `household ${r.householdNo} is not registered in this community` });
        else if (!campaign.allowChanges && existing.has(h.id)) {
          const e = existing.get(h.id)!;
          errors.push({ row: r.row, column: '户号', message: `户号 ${r.householdNo} 已通过"${channelLabel(e.channel)}"提交过意见，每户只计一次`, messageEn: `household ${r.householdNo} already answered via ${e.channel}` });
        }
      }
      if (errors.length) {
        errors.sort((a, b) => a.row - b.row);
        throw new DomainError('IMPORT_INVALID', { zh: `导入文件有 ${errors.length} 处错误，未导入任何数据`, en: `The file has ${errors.length} error(s); nothing was imported` }, { kind: 'invalid', field: 'content', clause: NEEDS_CLAUSE, details: { errors } });
      }
      const written = await this.repo.insertOpinions(
        tx,
        rows.map((r) => ({ campaignId, householdId: byNo.get(r.householdNo)!.id, channel: r.channel, choices: r.choices, freeText: r.freeText, enteredByUserId: actor.userId })),
        campaign.allowChanges,
      );
      // A resident may have answered online between the check and the insert: all or nothing still.
      if (written !== rows.length) {
        throw new DomainError('IMPORT_CONFLICT', { zh: '导入期间有住户同时提交了意见，请重新导入', en: 'A household answered during the import; import again' }, { kind: 'conflict', clause: NEEDS_CLAUSE });
      }
      const replaced = rows.filter((r) => existing.has(byNo.get(r.householdNo)!.id)).length;
      const summary = { format, rows: rows.length, created: rows.length - replaced, replaced };
      await this.audit.record(tx, actor, { action: 'needs.opinion.import', entityType: 'needs_campaign', entityId: String(campaignId), regionPath: community.path, after: summary });
      return summary;
    })));
  }

  /**
   * One-time codes for households (the listed ones, or every registered household that has not
   * answered). The codes are returned once, for printing; only their hashes are kept.
   */
  async issueCodes(actor: Actor, campaignId: number, householdNos?: string[]) {
    const { community } = await this.scopedCampaign(actor, campaignId, 'needs:write');
    return this.db.transaction(async (tx) => {
      const campaign = (await this.repo.campaign(tx, campaignId, 'share'))!;
      if (campaign.status !== 'open') throw closedCampaign();
      let targets: Awaited<ReturnType<HouseholdsService['byNumbers']>>;
      if (householdNos?.length) {
        targets = await this.households.byNumbers(tx, campaign.communityCode, householdNos);
        const missing = householdNos.filter((n) => !targets!.some((h) => h.householdNo === n));
        if (missing.length) throw notRegistered(missing.join('、'));
      } else {
        const all = await this.households.allOf(tx, campaign.communityCode);
        const answered = new Set((await this.repo.opinionsOfHouseholds(tx, campaignId, all.map((h) => h.id))).map((o) => o.householdId));
        targets = all.filter((h) => !answered.has(h.id));
      }
      const issued = targets.map((h) => ({ household: h, code: codeFromBytes(randomBytes(16)) }));
      await this.repo.upsertCodes(tx, issued.map((i) => ({ campaignId, householdId: i.household.id, codeHash: hashCode(i.code) })));
      await this.audit.record(tx, actor, { action: 'needs.codes.issue', entityType: 'needs_campaign', entityId: String(campaignId), regionPath: community.path, after: { count: issued.length, householdNos: issued.map((i) => i.household.householdNo) } });
      return { items: issued.map((i) => ({ householdNo: i.household.householdNo, address: formatAddress(i.household), headName: seesPersonalData(actor, campaign.communityCode) ? i.household.headName : maskName(i.household.headName), code: i.code })) };
    });
  }

  // ---- public page ----

  async publicCampaign(id: number) {
    const campaign = await this.repo.campaign(this.db, id);
    if (!campaign) throw campaignNotFound();
    const community = await this.regions.find(campaign.communityCode, this.db);
    const ancestors = community ? await this.regions.byCodes(community.path.split('/').slice(1, -1)) : [];
    const cat = await this.catalogue(campaign.fundYear);
    const cov = await this.coverageOf(this.db, campaign);
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
      acceptingOnline: acceptsOnline(campaign, this.today()),
      questionnaire: {
        items: campaign.questionnaire.itemCodes.map((code) => {
          const item = cat.enhancement.find((c) => c.code === code);
          return { code, name: item?.name ?? code, examples: item?.examples ?? [] };
        }),
        freeText: campaign.questionnaire.freeText,
        prompt: campaign.questionnaire.prompt,
      },
      coverage: { reached: cov.reached, residentHouseholds: cov.residentHouseholds, basisPoints: cov.basisPoints, threshold: cov.threshold },
    };
  }

  // ---- proposals and the draft list ----

  private async writableCampaign(tx: Executor, id: number) {
    const campaign = (await this.repo.campaign(tx, id, 'update'))!;
    if (campaign.status === 'ready') {
      throw new DomainError('DRAFT_LIST_SUBMITTED', { zh: '项目清单已提交居民议事会，不能再修改提案', en: 'The draft list has gone to the council; proposals are frozen' }, { kind: 'conflict', clause: SORTING_CLAUSE });
    }
    return campaign;
  }

  async listProposals(actor: Actor, campaignId: number) {
    const { campaign } = await this.scopedCampaign(actor, campaignId, 'needs:read');
    return { items: await this.proposalViews(this.db, campaign) };
  }

  private async proposalViews(db: Executor, campaign: CampaignRow) {
    const [rows, cat] = await gather(db, [() => this.repo.proposals(db, campaign.id), () => this.catalogue(campaign.fundYear, db)] as const);
    const links = await this.repo.links(db, rows.map((r) => r.proposal.id));
    return rows.map((r) => ({
      ...proposalView(r.proposal),
      catalogueName: r.proposal.catalogueCode ? (cat.all.find((c) => c.code === r.proposal.catalogueCode)?.name ?? null) : null,
      householdCount: r.householdCount,
      opinionIds: links.filter((l) => l.proposalId === r.proposal.id).map((l) => l.opinionId).sort((a, b) => a - b),
    }));
  }

  /** [N 3.1.1(2)] Proposed by the committees, or drawn from opinions (the link is kept). */
  async createProposal(actor: Actor, campaignId: number, input: ProposalCreate) {
    const { campaign: snapshot, community } = await this.scopedCampaign(actor, campaignId, 'needs:write');
    const cat = await this.catalogue(snapshot.fundYear);
    if (input.catalogueCode && !cat.all.some((c) => c.code === input.catalogueCode)) {
      throw new DomainError('INVALID_INPUT', { zh: `字段 catalogueCode 无效：${input.catalogueCode} 不在本年度项目目录中`, en: `Field catalogueCode is invalid: ${input.catalogueCode} is not in the catalogue` }, { kind: 'invalid', field: 'catalogueCode', clause: PROPOSALS_CLAUSE });
    }
    const opinionIds = [...new Set(input.opinionIds ?? [])];
    const id = await this.db.transaction(async (tx) => {
      await this.writableCampaign(tx, campaignId);
      await this.requireOpinionsOf(tx, campaignId, opinionIds);
      const row = await this.repo.insertProposal(tx, {
        campaignId, title: input.title.trim(), description: input.description?.trim() || null, catalogueCode: input.catalogueCode ?? null,
        estimatedBudgetFen: input.estimatedBudgetFen ?? null, source: opinionIds.length ? 'opinions' : 'committee', createdByUserId: actor.userId,
      });
      await this.repo.link(tx, row.id, opinionIds);
      await this.audit.record(tx, actor, { action: 'needs.proposal.create', entityType: 'needs_proposal', entityId: String(row.id), regionPath: community.path, after: { ...proposalView(row), opinionIds } });
      return row.id;
    });
    return this.proposalFor(actor, id);
  }

  private async requireOpinionsOf(tx: Executor, campaignId: number, opinionIds: number[]) {
    const found = await this.repo.opinionsByIds(tx, opinionIds);
    const foreign = opinionIds.filter((id) => !found.some((o) => o.id === id && o.campaignId === campaignId));
    if (foreign.length) {
      throw new DomainError('INVALID_INPUT', { zh: `字段 opinionIds 无效：意见 ${foreign.join('、')} 不属于本次征集`, en: `Field opinionIds is invalid: opinions ${foreign.join(', ')} are not of this campaign` }, { kind: 'invalid', field: 'opinionIds', clause: PROPOSALS_CLAUSE });
    }
  }

  private async proposalFor(actor: Actor, id: number) {
    requirePermission(actor, 'needs:read');
    const p = await this.repo.proposal(this.db, id);
    if (!p) throw proposalNotFound();
    const { campaign } = await this.scopedCampaign(actor, p.campaignId, 'needs:read').catch(() => {
      throw proposalNotFound();
    });
    return (await this.proposalViews(this.db, campaign)).find((v) => v.id === id)!;
  }

  private async scopedProposal(actor: Actor, id: number) {
    requirePermission(actor, 'needs:write');
    const p = await this.repo.proposal(this.db, id);
    if (!p) throw proposalNotFound();
    return { proposal: p, ...(await this.scopedCampaign(actor, p.campaignId, 'needs:write').catch(() => { throw proposalNotFound(); })) };
  }

  async updateProposal(actor: Actor, id: number, patch: Partial<ProposalCreate>) {
    const { campaign: snapshot, community } = await this.scopedProposal(actor, id);
    const cat = await this.catalogue(snapshot.fundYear);
    if (patch.catalogueCode && !cat.all.some((c) => c.code === patch.catalogueCode)) {
      throw new DomainError('INVALID_INPUT', { zh: `字段 catalogueCode 无效：${patch.catalogueCode} 不在本年度项目目录中`, en: `Field catalogueCode is invalid: ${patch.catalogueCode} is not in the catalogue` }, { kind: 'invalid', field: 'catalogueCode', clause: PROPOSALS_CLAUSE });
    }
    await this.db.transaction(async (tx) => {
      await this.writableCampaign(tx, snapshot.id);
      const before = (await this.repo.proposal(tx, id, true))!;
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
      await this.repo.updateProposal(tx, id, set);
      await this.repo.link(tx, id, opinionIds);
      await this.audit.record(tx, actor, { action: 'needs.proposal.update', entityType: 'needs_proposal', entityId: String(id), regionPath: community.path, before: proposalView(before), after: { ...set, addedOpinionIds: opinionIds } });
    });
    return this.proposalFor(actor, id);
  }

  /** [N 3.1.1(3)] Merges proposals into one: their opinions follow, so households are counted once. */
  async merge(actor: Actor, campaignId: number, targetId: number, sourceIds: number[]) {
    const { community } = await this.scopedCampaign(actor, campaignId, 'needs:write');
    const ids = [...new Set(sourceIds)].filter((id) => id !== targetId);
    if (ids.length === 0) throw new DomainError('INVALID_INPUT', { zh: '字段 sourceIds 无效：至少选择一个要合并的其他提案', en: 'Field sourceIds is invalid: name at least one other proposal' }, { kind: 'invalid', field: 'sourceIds' });
    await this.db.transaction(async (tx) => {
      await this.writableCampaign(tx, campaignId);
      const rows = await this.repo.proposalsByIds(tx, [targetId, ...ids]);
      for (const id of [targetId, ...ids]) {
        const p = rows.find((r) => r.id === id);
        if (!p || p.campaignId !== campaignId) throw proposalNotFound();
        if (p.status === 'merged') throw new DomainError('PROPOSAL_MERGED', { zh: `提案 ${id} 已合并到其他提案`, en: `Proposal ${id} was already merged` }, { kind: 'conflict', clause: SORTING_CLAUSE });
      }
      const links = await this.repo.links(tx, ids);
      await this.repo.link(tx, targetId, links.map((l) => l.opinionId));
      for (const id of ids) await this.repo.updateProposal(tx, id, { status: 'merged', mergedIntoId: targetId, rank: null });
      if (links.length) await this.repo.updateProposal(tx, targetId, { source: 'opinions' });
      await this.audit.record(tx, actor, { action: 'needs.proposal.merge', entityType: 'needs_proposal', entityId: String(targetId), regionPath: community.path, after: { targetId, mergedIds: ids, opinionsMoved: links.length } });
    });
    return this.proposalFor(actor, targetId);
  }

  /** [N 3.1.1(3)] Screens a proposal out (with the reason) or restores it. */
  async screen(actor: Actor, id: number, decision: 'reject' | 'restore', reason?: string) {
    const { campaign, community } = await this.scopedProposal(actor, id);
    if (decision === 'reject' && !reason?.trim()) throw new DomainError('INVALID_INPUT', { zh: '字段 reason 无效：筛除提案须说明理由', en: 'Field reason is invalid: a screened-out proposal needs a reason' }, { kind: 'invalid', field: 'reason', clause: SORTING_CLAUSE });
    await this.db.transaction(async (tx) => {
      await this.writableCampaign(tx, campaign.id);
      const before = (await this.repo.proposal(tx, id, true))!;
      if (before.status === 'merged') throw new DomainError('PROPOSAL_MERGED', { zh: '该提案已合并到其他提案', en: 'The proposal was merged into another' }, { kind: 'conflict', clause: SORTING_CLAUSE });
      const set = decision === 'reject' ? { status: 'rejected' as const, rank: null, screenReason: reason!.trim() } : { status: 'candidate' as const, screenReason: null };
      await this.repo.updateProposal(tx, id, set);
      await this.audit.record(tx, actor, { action: `needs.proposal.${decision}`, entityType: 'needs_proposal', entityId: String(id), regionPath: community.path, before: { status: before.status }, after: set });
    });
    return this.proposalFor(actor, id);
  }

  /**
   * [N 3.1.1(3)] Sets the draft project list: the given proposals, in rank order, each with a
   * catalogue item and an estimated budget (fen). Proposals left out go back to candidates.
   */
  async setDraftList(actor: Actor, campaignId: number, items: { proposalId: number; catalogueCode?: string | null; estimatedBudgetFen?: number | null }[]) {
    const { campaign: snapshot, community } = await this.scopedCampaign(actor, campaignId, 'needs:write');
    const cat = await this.catalogue(snapshot.fundYear);
    await this.db.transaction(async (tx) => {
      await this.writableCampaign(tx, campaignId);
      const rows = await this.repo.proposalsByIds(tx, items.map((i) => i.proposalId));
      const resolved = items.map((item) => {
        const p = rows.find((r) => r.id === item.proposalId);
        if (!p || p.campaignId !== campaignId) throw proposalNotFound();
        if (p.status === 'merged' || p.status === 'rejected') {
          throw new DomainError('PROPOSAL_NOT_CANDIDATE', { zh: `提案"${p.title}"已${p.status === 'merged' ? '合并' : '筛除'}，不能列入项目清单`, en: `Proposal ${p.id} is ${p.status}` }, { kind: 'conflict', clause: SORTING_CLAUSE });
        }
        return { proposalId: p.id, catalogueCode: item.catalogueCode ?? p.catalogueCode, estimatedBudgetFen: item.estimatedBudgetFen ?? p.estimatedBudgetFen };
      });
      checkDraftList(resolved, cat.all.map((c) => c.code));
      const before = (await this.repo.proposals(tx, campaignId)).filter((r) => r.proposal.status === 'listed').map((r) => ({ proposalId: r.proposal.id, rank: r.proposal.rank }));
      await this.repo.unlistAll(tx, campaignId);
      for (const [i, item] of resolved.entries()) {
        await this.repo.updateProposal(tx, item.proposalId, { status: 'listed', rank: i + 1, catalogueCode: item.catalogueCode, estimatedBudgetFen: item.estimatedBudgetFen });
      }
      await this.audit.record(tx, actor, { action: 'needs.draft_list.set', entityType: 'needs_campaign', entityId: String(campaignId), regionPath: community.path, before, after: resolved.map((r, i) => ({ ...r, rank: i + 1 })) });
    });
    return this.draftListFor(actor, campaignId);
  }

  /** Hands the draft list to the residents' council: needs concluded (coverage reached) and a non-empty list. */
  async markReady(actor: Actor, campaignId: number) {
    const { community } = await this.scopedCampaign(actor, campaignId, 'needs:write');
    await this.db.transaction(async (tx) => {
      const campaign = await this.writableCampaign(tx, campaignId);
      if (campaign.status !== 'concluded') {
        throw new DomainError('NEEDS_NOT_CONCLUDED', { zh: '需求征集尚未完结（入户覆盖率须达到政策要求），不能提交项目清单', en: 'Needs collection is not concluded (coverage must reach the policy share)' }, { kind: 'rule', clause: NEEDS_CLAUSE });
      }
      const list = (await this.repo.proposals(tx, campaignId)).filter((r) => r.proposal.status === 'listed');
      if (list.length === 0) throw new DomainError('DRAFT_LIST_EMPTY', { zh: '项目清单为空', en: 'The draft list is empty' }, { kind: 'rule', clause: SORTING_CLAUSE });
      await this.repo.updateCampaign(tx, campaignId, { status: 'ready', readyAt: this.clock() });
      await this.audit.record(tx, actor, { action: 'needs.draft_list.ready', entityType: 'needs_campaign', entityId: String(campaignId), regionPath: community.path, before: { status: 'concluded' }, after: { status: 'ready', items: list.map((r) => ({ proposalId: r.proposal.id, rank: r.proposal.rank, catalogueCode: r.proposal.catalogueCode, estimatedBudgetFen: r.proposal.estimatedBudgetFen })) } });
    });
    return this.draftListFor(actor, campaignId);
  }

  async draftListFor(actor: Actor, campaignId: number) {
    await this.scopedCampaign(actor, campaignId, 'needs:read');
    return (await this.draftList(campaignId))!;
  }

  /**
   * For the decisions module (issue 5): a campaign's draft project list in rank order, with the
   * households behind each project. `ready` is true once the committees hand it to the council.
   * No access check: callers check their own.
   */
  async draftList(campaignId: number, db: Executor = this.db) {
    const campaign = await this.repo.campaign(db, campaignId);
    if (!campaign) return undefined;
    const views = (await this.proposalViews(db, campaign)).filter((p) => p.status === 'listed').sort((a, b) => (a.rank ?? 0) - (b.rank ?? 0));
    const totalBudgetFen = views.reduce((s, v) => s + (v.estimatedBudgetFen ?? 0), 0);
    return { campaignId, communityCode: campaign.communityCode, fundYear: campaign.fundYear, status: campaign.status, ready: campaign.status === 'ready', readyAt: campaign.readyAt?.toISOString() ?? null, totalBudgetFen, items: views };
  }

  /** For the decisions module: the community's list for a fund year, if its campaign exists. */
  async draftListOf(communityCode: string, fundYear: number, db: Executor = this.db) {
    const campaign = await this.repo.campaignFor(db, communityCode, fundYear);
    return campaign ? this.draftList(campaign.id, db) : undefined;
  }

  /** For the plans module (issue 6): coverage of a community's campaign of a fund year; null without one. */
  async coverageFor(communityCode: string, fundYear: number, db: Executor = this.db) {
    const campaign = await this.repo.campaignFor(db, communityCode, fundYear);
    return campaign ? this.coverageOf(db, campaign) : null;
  }

  /**
   * For the city dashboard (issue 8): communities with a campaign in the fund year, as a SQL
   * relation (community_code) the dashboard joins to its region's communities. No access check.
   */
  campaignCommunities(fundYear: number): SQL {
    return this.repo.campaignCommunitiesRelation(fundYear);
  }
}

function proposalView(p: ProposalRow) {
  return {
    id: p.id, campaignId: p.campaignId, title: p.title, description: p.description, catalogueCode: p.catalogueCode, estimatedBudgetFen: p.estimatedBudgetFen,
    source: p.source, status: p.status, rank: p.rank, mergedIntoId: p.mergedIntoId, screenReason: p.screenReason,
  };
}

const closedCampaign = () => new DomainError('CAMPAIGN_NOT_OPEN', { zh: '该需求征集已完结，不能再修改或录入', en: 'The campaign is concluded' }, { kind: 'conflict', clause: NEEDS_CLAUSE });
const notRegistered = (householdNo: string) =>
  new DomainError('HOUSEHOLD_NOT_REGISTERED', { zh: `户号 ${householdNo} 未在本社区登记`, en: `Household ${householdNo} is not registered in this community` }, { kind: 'rule', field: 'householdNo', clause: NEEDS_CLAUSE });
