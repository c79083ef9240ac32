import { sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { requirePermission, type Actor } from '../../common/access.js';
import { DomainError } from '../../common/errors.js';
import type { PreparedStatement } from '../../db/prepared.js';
import type { AuditActor } from '../audit/audit.service.js';
import { normalizePersonName } from '../households/households.rules.js';
import type { CampaignRow } from './needs.repository.js';
import { opinionWriteStatement, type Identification, type OpinionWriteRow } from './needs.opinions.repository.js';
import {
  acceptsOnline,
  answerVerdict,
  checkAnswer,
  NEEDS_CLAUSE,
  ONLINE_CHANNEL,
  type ChannelCode,
  type OpinionAnswer,
} from './needs.rules.js';
import { campaignNotFound, channelLabel, closedCampaign, hashCode, notRegistered, type NeedsContext } from './needs.context.js';
import type { SubmitResult } from './needs.schemas.js';

export interface PublicIdentity {
  householdNo?: string;
  headName?: string;
  phoneLast4?: string;
  code?: string;
}

/** The resident acting on the public page (no account); the audit log names the channel, never the person. */
const RESIDENT: AuditActor = { userId: null, username: 'resident(online)' };

const notIdentified = () =>
  new DomainError(
    'HOUSEHOLD_NOT_IDENTIFIED',
    {
      zh: '未能核实您的住户信息，请核对户号、户主姓名和手机号后四位（或一次性验证码）；如仍有问题请联系社区',
      en: "The household could not be identified; check the household number, head's name and last four phone digits (or the one-time code)",
    },
    { kind: 'rule', clause: NEEDS_CLAUSE },
  );

/** `when`: the date of the first answer as it has always been shown (its UTC date, YYYY-MM-DD). */
function alreadyAnswered(channel: string, when: string, householdNo: string) {
  return new DomainError(
    'ALREADY_SUBMITTED',
    {
      zh: `户号 ${householdNo} 已于 ${when} 通过"${channelLabel(channel)}"提交过意见，本次征集每户只计一次，不能重复提交`,
      en: `Household ${householdNo} already answered on ${when} via ${channel}; a household counts once per campaign`,
    },
    { kind: 'conflict', clause: NEEDS_CLAUSE, details: { channel, submittedOn: when } },
  );
}
const codeUsed = () =>
  new DomainError(
    'CODE_USED',
    { zh: '该验证码已使用过，每个验证码只能提交一次', en: 'This one-time code has already been used' },
    { kind: 'conflict', clause: NEEDS_CLAUSE },
  );
/** Under the campaign's share lock the statement's guard cannot fail. */
function locked(result: SubmitResult | undefined): SubmitResult {
  if (!result) throw new Error('needs campaign changed under its share lock');
  return result;
}
/** Campaign snapshots kept per process (a city has a few thousand campaigns a year). */
const SNAPSHOTS_KEPT = 10_000;

/**
 * One household's answer [N 3.1.1(1)], answered on the public page or entered by staff from a paper
 * form or a courtyard meeting, written as one prepared statement (ADR 0022): identified, stored
 * once per campaign (the unique index) or replaced in place where the campaign allows changes, and
 * audited, together. The rules are checked first, in JavaScript, on the campaign as this process
 * last read it; the statement stores nothing unless the campaign still is that row.
 */
export class NeedsAnswersService {
  private readonly snapshots = new Map<number, CampaignRow>();
  private readonly statements = new Map<string, PreparedStatement<OpinionWriteRow>>();

  constructor(private readonly ctx: NeedsContext) {}

  /** The campaign as last read, for the fast path; refreshed whenever the statement finds it changed. */
  private snapshot(campaign: CampaignRow) {
    if (this.snapshots.size >= SNAPSHOTS_KEPT) this.snapshots.delete(this.snapshots.keys().next().value!);
    this.snapshots.set(campaign.id, campaign);
  }

  private async latest(campaignId: number): Promise<CampaignRow | undefined> {
    const cached = this.snapshots.get(campaignId);
    if (cached) return cached;
    const read = await this.ctx.repo.campaign(this.ctx.db, campaignId);
    if (read) this.snapshot(read);
    return read;
  }

  /** The statement for one way of identifying the household, built and prepared once. */
  private statement(identification: Identification, replace: boolean): PreparedStatement<OpinionWriteRow> {
    const key = `${identification}:${replace}`;
    let statement = this.statements.get(key);
    if (!statement) {
      const communityCode = sql`(select community_code from c)`;
      const householdNo = sql`${sql.placeholder('householdNo')}::text`;
      statement = opinionWriteStatement({
        identification,
        replace,
        household:
          identification === 'registry'
            ? this.ctx.households.identifiedRelation({
                communityCode,
                householdNo,
                normalizedHeadName: sql`${sql.placeholder('headName')}::text`,
                phoneLast4: sql`${sql.placeholder('phoneLast4')}::text`,
              })
            : this.ctx.households.numberedRelation({ communityCode, householdNo }),
        audit: (event) =>
          this.ctx.audit.inboxStep({
            ...event,
            at: sql`${sql.placeholder('at')}::timestamptz`,
            actorUserId: sql`${sql.placeholder('actorUserId')}::int`,
            actorName: sql`${sql.placeholder('actorName')}::text`,
          }),
      });
      this.statements.set(key, statement);
    }
    return statement;
  }

  /**
   * Records one household's answer as one statement (ADR 0022): once per campaign, or replaced in
   * place where the campaign allows changes, with its audit event. Returns undefined, having done
   * nothing, when the campaign no longer is `campaign` (the caller decides again on a fresh read).
   */
  private async write(
    db: Executor,
    campaign: CampaignRow,
    household: { identification: Identification; householdNo?: string; headName?: string; phoneLast4?: string; codeHash?: string },
    answer: { channel: ChannelCode; choices: string[]; freeText: string | null },
    by: { actor: AuditActor; enteredByUserId: number | null; action: string; afterExtra: Record<string, unknown> },
  ): Promise<SubmitResult | undefined> {
    const now = new Date();
    const [row] = await this.statement(household.identification, campaign.allowChanges).run(db, {
      campaignId: campaign.id,
      communityCode: campaign.communityCode,
      status: campaign.status,
      opensOn: campaign.opensOn,
      closesOn: campaign.closesOn,
      channels: JSON.stringify(campaign.channels),
      questionnaire: JSON.stringify(campaign.questionnaire),
      allowChanges: campaign.allowChanges,
      householdNo: household.householdNo ?? null,
      headName: household.headName ?? null,
      phoneLast4: household.phoneLast4 ?? null,
      codeHash: household.codeHash ?? null,
      channel: answer.channel,
      choices: JSON.stringify(answer.choices),
      freeText: answer.freeText,
      enteredBy: by.enteredByUserId,
      now,
      at: now,
      actorUserId: by.actor.userId,
      actorName: by.actor.username,
      action: by.action,
      afterExtra: JSON.stringify(by.afterExtra),
    });
    if (!row!.campaign_matches) return undefined;
    if (row!.household_id === null) {
      if (row!.code_used) throw codeUsed();
      throw household.identification === 'number' ? notRegistered(household.householdNo!) : notIdentified();
    }
    if (row!.opinion_id === null) {
      // Answered by a transaction that committed after this statement's snapshot: read it now.
      const prior = row!.prior_channel
        ? { channel: row!.prior_channel, on: row!.prior_on! }
        : await this.ctx.repo.opinionOf(db, campaign.id, row!.household_id).then((o) => ({
            channel: o!.channel,
            on: o!.createdAt.toISOString().slice(0, 10),
          }));
      throw alreadyAnswered(prior.channel, prior.on, row!.household_no!);
    }
    this.ctx.audit.noteRecorded();
    return { opinionId: row!.opinion_id, householdNo: row!.household_no!, replaced: row!.revision! > 1, revision: row!.revision! };
  }

  /**
   * A resident answers on the public page (no account), identified by the registry or a code.
   * Usually one statement on the campaign as this process last read it; the first answer, a
   * campaign changed meanwhile and every refusal are decided on the row share-locked, as before.
   */
  async submitPublic(campaignId: number, identity: PublicIdentity, answer: OpinionAnswer): Promise<SubmitResult> {
    const today = this.ctx.today();
    const household = identity.code
      ? { identification: 'code' as const, codeHash: hashCode(identity.code) }
      : {
          identification: 'registry' as const,
          householdNo: identity.householdNo?.trim(),
          headName: identity.headName === undefined ? undefined : normalizePersonName(identity.headName),
          phoneLast4: identity.phoneLast4?.trim(),
        };
    const complete = identity.code || (identity.householdNo && identity.headName && identity.phoneLast4);
    const by = {
      actor: RESIDENT,
      enteredByUserId: null,
      action: 'needs.opinion.submit',
      afterExtra: { identifiedBy: identity.code ? 'code' : 'registry' },
    };
    const known = await this.latest(campaignId);
    if (known && complete && acceptsOnline(known, today)) {
      const verdict = answerVerdict(answer, known.questionnaire);
      if (verdict.ok) {
        const done = await this.write(this.ctx.db, known, household, { channel: ONLINE_CHANNEL, ...verdict.value }, by);
        if (done) return done;
      }
    }
    return this.ctx.db.transaction(async (tx) => {
      // Shared lock: concluding waits for answers in flight, and answers wait for a conclusion.
      const campaign = await this.ctx.repo.campaign(tx, campaignId, 'share');
      if (!campaign) {
        this.snapshots.delete(campaignId);
        throw campaignNotFound();
      }
      this.snapshot(campaign);
      if (!acceptsOnline(campaign, today)) {
        throw new DomainError(
          'CAMPAIGN_NOT_ACCEPTING',
          { zh: '本次需求征集当前不接受网上提交', en: 'The campaign does not take online answers now' },
          { kind: 'rule', clause: NEEDS_CLAUSE },
        );
      }
      const checked = checkAnswer(answer, campaign.questionnaire);
      if (!complete) throw notIdentified();
      return locked(await this.write(tx, campaign, household, { channel: ONLINE_CHANNEL, ...checked }, by));
    });
  }

  /** Community staff enter a paper form or a courtyard-meeting result for one household (one statement, as `submitPublic`). */
  async enterOpinion(
    actor: Actor,
    campaignId: number,
    input: { householdNo: string; channel: ChannelCode } & OpinionAnswer,
  ): Promise<SubmitResult> {
    requirePermission(actor, 'needs:write');
    const known = await this.latest(campaignId);
    if (!known) throw campaignNotFound();
    const inScope = (code: string) =>
      this.ctx.regions.requireInScope(actor, code).catch(() => {
        throw campaignNotFound();
      });
    await inScope(known.communityCode);
    const household = { identification: 'number' as const, householdNo: input.householdNo.trim() };
    const by = { actor, enteredByUserId: actor.userId, action: 'needs.opinion.enter', afterExtra: {} };
    if (known.status === 'open' && known.channels.includes(input.channel)) {
      const verdict = answerVerdict(input, known.questionnaire);
      if (verdict.ok) {
        const done = await this.write(this.ctx.db, known, household, { channel: input.channel, ...verdict.value }, by);
        if (done) return done;
      }
    }
    return this.ctx.db.transaction(async (tx) => {
      const campaign = await this.ctx.repo.campaign(tx, campaignId, 'share');
      if (!campaign) {
        this.snapshots.delete(campaignId);
        throw campaignNotFound();
      }
      this.snapshot(campaign);
      if (campaign.communityCode !== known.communityCode) await inScope(campaign.communityCode);
      if (campaign.status !== 'open') throw closedCampaign();
      if (!campaign.channels.includes(input.channel)) {
        throw new DomainError(
          'CHANNEL_NOT_ENABLED',
          { zh: `本次征集未启用渠道"${channelLabel(input.channel)}"`, en: `Channel ${input.channel} is not enabled for this campaign` },
          { kind: 'rule', field: 'channel', clause: NEEDS_CLAUSE },
        );
      }
      const checked = checkAnswer(input, campaign.questionnaire);
      return locked(await this.write(tx, campaign, household, { channel: input.channel, ...checked }, by));
    });
  }
}
