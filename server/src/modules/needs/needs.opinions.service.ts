import { createHash, randomBytes } from 'node:crypto';
import type { Executor } from '../../db/client.js';
import type { Actor } from '../../common/access.js';
import { DomainError } from '../../common/errors.js';
import { heldOnce } from '../../common/at-most-one.js';
import { IdempotencyService } from '../idempotency/idempotency.service.js';
import { readUpload, type ContentEncoding, type TableFormat, type UploadEncoding } from '../../common/tabular.js';
import type { AuditActor } from '../audit/audit.service.js';
import type { HouseholdsService } from '../households/households.service.js';
import { formatAddress } from '../households/households.service.js';
import { maskName, seesPersonalData } from '../households/households.rules.js';
import type { CampaignRow, OpinionRow } from './needs.repository.js';
import {
  acceptsOnline,
  checkAnswer,
  codeFromBytes,
  normalizeCode,
  parseOpinionRows,
  NEEDS_CLAUSE,
  ONLINE_CHANNEL,
  type ChannelCode,
  type OpinionAnswer,
} from './needs.rules.js';
import { campaignNotFound, channelLabel, closedCampaign, type NeedsContext } from './needs.context.js';
import type { ImportResult, IssuedCodesView, OpinionListView, SubmitResult } from './needs.schemas.js';

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
const hashCode = (code: string) =>
  createHash('sha256')
    .update(`needs-code:${normalizeCode(code)}`)
    .digest('hex');

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
const notRegistered = (householdNo: string) =>
  new DomainError(
    'HOUSEHOLD_NOT_REGISTERED',
    { zh: `户号 ${householdNo} 未在本社区登记`, en: `Household ${householdNo} is not registered in this community` },
    { kind: 'rule', field: 'householdNo', clause: NEEDS_CLAUSE },
  );

/**
 * Opinions of households [N 3.1.1(1)]: answered on the public page, entered from paper or a
 * courtyard meeting, imported in bulk; a household counts once per campaign (the database's unique
 * index). One-time codes identify households without the registry's details.
 */
export class NeedsOpinionsService {
  private readonly idem = new IdempotencyService();

  constructor(private readonly ctx: NeedsContext) {}

  async listOpinions(
    actor: Actor,
    id: number,
    query: { channel?: string; householdNo?: string; limit?: number; offset?: number },
  ): Promise<OpinionListView> {
    const { campaign } = await this.ctx.scopedCampaign(actor, id, 'needs:read');
    const clear = seesPersonalData(actor, campaign.communityCode);
    const result = await this.ctx.repo.opinions(this.ctx.db, id, {
      channel: query.channel,
      householdNo: query.householdNo?.trim() || undefined,
      limit: Math.min(query.limit ?? 50, 500),
      offset: query.offset ?? 0,
    });
    return {
      total: result.total,
      masked: !clear,
      items: result.items.map(({ opinion: o, household: h }) => ({
        id: o.id,
        householdId: o.householdId,
        householdNo: h.householdNo,
        address: formatAddress(h),
        headName: clear ? h.headName : maskName(h.headName),
        channel: o.channel,
        choices: o.choices,
        freeText: o.freeText, // Public answers are always online and anonymous; every other channel is entered by staff.
        enteredBy: o.enteredByUserId === null && o.channel === ONLINE_CHANNEL ? ('resident' as const) : ('staff' as const),
        revision: o.revision,
        createdAt: o.createdAt.toISOString(),
        updatedAt: o.updatedAt.toISOString(),
      })),
    };
  }

  /**
   * Records one household's answer in the caller's transaction: once per campaign, or replaced in
   * place where the campaign allows changes. Returns the opinion and whether it replaced one.
   */
  private async record(
    tx: Executor,
    campaign: CampaignRow,
    householdId: number,
    householdNo: string,
    channel: ChannelCode,
    answer: { choices: string[]; freeText: string | null },
    enteredByUserId: number | null,
  ) {
    const row = { campaignId: campaign.id, householdId, channel, choices: answer.choices, freeText: answer.freeText, enteredByUserId };
    if (campaign.allowChanges) {
      const saved = await this.ctx.repo.upsertOpinion(tx, row);
      return { opinion: saved, replaced: saved.revision > 1 };
    }
    const saved = await this.ctx.repo.insertOpinionOnce(tx, row);
    if (!saved) throw alreadyAnswered((await this.ctx.repo.opinionOf(tx, campaign.id, householdId))!, householdNo);
    return { opinion: saved, replaced: false };
  }

  /** A resident answers on the public page (no account), identified by the registry or a code. */
  async submitPublic(campaignId: number, identity: PublicIdentity, answer: OpinionAnswer): Promise<SubmitResult> {
    return this.ctx.db.transaction(async (tx) => {
      // Shared lock: concluding waits for answers in flight, and answers wait for a conclusion.
      const campaign = await this.ctx.repo.campaign(tx, campaignId, 'share');
      if (!campaign) throw campaignNotFound();
      if (!acceptsOnline(campaign, this.ctx.today())) {
        throw new DomainError(
          'CAMPAIGN_NOT_ACCEPTING',
          { zh: '本次需求征集当前不接受网上提交', en: 'The campaign does not take online answers now' },
          { kind: 'rule', clause: NEEDS_CLAUSE },
        );
      }
      const checked = checkAnswer(answer, campaign.questionnaire);
      let householdId: number | undefined;
      if (identity.code) {
        const hash = hashCode(identity.code);
        householdId = await this.ctx.repo.consumeCode(tx, campaign.id, hash);
        if (householdId === undefined) {
          const code = await this.ctx.repo.codeByHash(tx, campaign.id, hash);
          if (code?.usedAt)
            throw new DomainError(
              'CODE_USED',
              { zh: '该验证码已使用过，每个验证码只能提交一次', en: 'This one-time code has already been used' },
              { kind: 'conflict', clause: NEEDS_CLAUSE },
            );
          throw notIdentified();
        }
      } else {
        if (!identity.householdNo || !identity.headName || !identity.phoneLast4) throw notIdentified();
        householdId = (
          await this.ctx.households.identify(tx, campaign.communityCode, identity.householdNo, identity.headName, identity.phoneLast4)
        )?.id;
        if (householdId === undefined) throw notIdentified();
      }
      const [household] = await this.ctx.households.byIds(tx, [householdId]);
      const { opinion, replaced } = await this.record(tx, campaign, householdId, household!.householdNo, ONLINE_CHANNEL, checked, null);
      const community = await this.ctx.regions.find(campaign.communityCode, tx);
      await this.ctx.audit.record(tx, RESIDENT, {
        action: replaced ? 'needs.opinion.replace' : 'needs.opinion.submit',
        entityType: 'needs_opinion',
        entityId: String(opinion.id),
        regionPath: community?.path ?? null,
        after: {
          campaignId,
          householdNo: household!.householdNo,
          channel: ONLINE_CHANNEL,
          choices: checked.choices,
          hasFreeText: checked.freeText !== null,
          revision: opinion.revision,
          identifiedBy: identity.code ? 'code' : 'registry',
        },
      });
      return { opinionId: opinion.id, householdNo: household!.householdNo, replaced, revision: opinion.revision };
    });
  }

  /** Community staff enter a paper form or a courtyard-meeting result for one household. */
  async enterOpinion(
    actor: Actor,
    campaignId: number,
    input: { householdNo: string; channel: ChannelCode } & OpinionAnswer,
  ): Promise<SubmitResult> {
    const { community } = await this.ctx.scopedCampaign(actor, campaignId, 'needs:write');
    return this.ctx.db.transaction(async (tx) => {
      const campaign = (await this.ctx.repo.campaign(tx, campaignId, 'share'))!;
      if (campaign.status !== 'open') throw closedCampaign();
      if (!campaign.channels.includes(input.channel)) {
        throw new DomainError(
          'CHANNEL_NOT_ENABLED',
          { zh: `本次征集未启用渠道"${channelLabel(input.channel)}"`, en: `Channel ${input.channel} is not enabled for this campaign` },
          { kind: 'rule', field: 'channel', clause: NEEDS_CLAUSE },
        );
      }
      const checked = checkAnswer(input, campaign.questionnaire);
      const household = await this.ctx.households.byNumber(tx, campaign.communityCode, input.householdNo);
      if (!household) throw notRegistered(input.householdNo);
      const { opinion, replaced } = await this.record(
        tx,
        campaign,
        household.id,
        household.householdNo,
        input.channel,
        checked,
        actor.userId,
      );
      await this.ctx.audit.record(tx, actor, {
        action: replaced ? 'needs.opinion.replace' : 'needs.opinion.enter',
        entityType: 'needs_opinion',
        entityId: String(opinion.id),
        regionPath: community.path,
        after: {
          campaignId,
          householdNo: household.householdNo,
          channel: input.channel,
          choices: checked.choices,
          hasFreeText: checked.freeText !== null,
          revision: opinion.revision,
        },
      });
      return { opinionId: opinion.id, householdNo: household.householdNo, replaced, revision: opinion.revision };
    });
  }

  /** Paper forms in bulk, all or nothing, with a row-level report; never counts a household twice. */
  async importOpinions(
    actor: Actor,
    campaignId: number,
    format: TableFormat,
    content: string,
    requestId?: string,
    contentEncoding: ContentEncoding = 'text',
  ): Promise<ImportResult> {
    const { campaign: snapshot, community } = await this.ctx.scopedCampaign(actor, campaignId, 'needs:write');
    // The file's hash stands for its content in the request hash (a retry sends the same file).
    const keyed = {
      scope: 'needs.opinion.import',
      key: requestId,
      userId: actor.userId,
      request: { campaignId, format, contentEncoding, content: createHash('sha256').update(content).digest('hex') },
    };
    const replayed = await this.idem.replay<{
      format: TableFormat;
      encoding: UploadEncoding;
      rows: number;
      created: number;
      replaced: number;
    }>(this.ctx.db, keyed);
    if (replayed) return replayed;
    const cat = await this.ctx.catalogue(snapshot.fundYear);
    const { rows: table, encoding } = await readUpload(format, content, contentEncoding);
    return heldOnce(
      this.ctx.db.transaction(async (tx) =>
        this.idem.once(tx, keyed, 200, async () => {
          const campaign = (await this.ctx.repo.campaign(tx, campaignId, 'share'))!;
          if (campaign.status !== 'open') throw closedCampaign();
          const { rows, errors } = parseOpinionRows(table, campaign, cat.enhancement);
          const found = await this.ctx.households.byNumbers(
            tx,
            campaign.communityCode,
            rows.map((r) => r.householdNo),
          );
          const byNo = new Map(found.map((h) => [h.householdNo, h]));
          const existing = new Map(
            (
              await this.ctx.repo.opinionsOfHouseholds(
                tx,
                campaignId,
                found.map((h) => h.id),
              )
            ).map((o) => [o.householdId, o]),
          );
          for (const r of rows) {
            const h = byNo.get(r.householdNo);
            if (!h)
              errors.push({
                row: r.row,
                column: '户号',
                message: `户号 ${r.householdNo} 未在本社区登记`,
                messageEn: `household ${r.householdNo} is not registered in this community`,
              });
            else if (!campaign.allowChanges && existing.has(h.id)) {
              const e = existing.get(h.id)!;
              errors.push({
                row: r.row,
                column: '户号',
                message: `户号 ${r.householdNo} 已通过"${channelLabel(e.channel)}"提交过意见，每户只计一次`,
                messageEn: `household ${r.householdNo} already answered via ${e.channel}`,
              });
            }
          }
          if (errors.length) {
            errors.sort((a, b) => a.row - b.row);
            throw new DomainError(
              'IMPORT_INVALID',
              {
                zh: `导入文件有 ${errors.length} 处错误，未导入任何数据`,
                en: `The file has ${errors.length} error(s); nothing was imported`,
              },
              { kind: 'invalid', field: 'content', clause: NEEDS_CLAUSE, details: { errors } },
            );
          }
          const written = await this.ctx.repo.insertOpinions(
            tx,
            rows.map((r) => ({
              campaignId,
              householdId: byNo.get(r.householdNo)!.id,
              channel: r.channel,
              choices: r.choices,
              freeText: r.freeText,
              enteredByUserId: actor.userId,
            })),
            campaign.allowChanges,
          );
          // A resident may have answered online between the check and the insert: all or nothing still.
          if (written !== rows.length) {
            throw new DomainError(
              'IMPORT_CONFLICT',
              { zh: '导入期间有住户同时提交了意见，请重新导入', en: 'A household answered during the import; import again' },
              { kind: 'conflict', clause: NEEDS_CLAUSE },
            );
          }
          const replaced = rows.filter((r) => existing.has(byNo.get(r.householdNo)!.id)).length;
          const summary = { format, encoding, rows: rows.length, created: rows.length - replaced, replaced };
          await this.ctx.audit.record(tx, actor, {
            action: 'needs.opinion.import',
            entityType: 'needs_campaign',
            entityId: String(campaignId),
            regionPath: community.path,
            after: summary,
          });
          return summary;
        }),
      ),
    );
  }

  /**
   * One-time codes for households (the listed ones, or every registered household that has not
   * answered). The codes are returned once, for printing; only their hashes are kept.
   */
  async issueCodes(actor: Actor, campaignId: number, householdNos?: string[]): Promise<IssuedCodesView> {
    const { community } = await this.ctx.scopedCampaign(actor, campaignId, 'needs:write');
    return this.ctx.db.transaction(async (tx) => {
      const campaign = (await this.ctx.repo.campaign(tx, campaignId, 'share'))!;
      if (campaign.status !== 'open') throw closedCampaign();
      let targets: Awaited<ReturnType<HouseholdsService['byNumbers']>>;
      if (householdNos?.length) {
        targets = await this.ctx.households.byNumbers(tx, campaign.communityCode, householdNos);
        const missing = householdNos.filter((n) => !targets!.some((h) => h.householdNo === n));
        if (missing.length) throw notRegistered(missing.join('、'));
      } else {
        const all = await this.ctx.households.allOf(tx, campaign.communityCode);
        const answered = new Set(
          (
            await this.ctx.repo.opinionsOfHouseholds(
              tx,
              campaignId,
              all.map((h) => h.id),
            )
          ).map((o) => o.householdId),
        );
        targets = all.filter((h) => !answered.has(h.id));
      }
      const issued = targets.map((h) => ({ household: h, code: codeFromBytes(randomBytes(16)) }));
      await this.ctx.repo.upsertCodes(
        tx,
        issued.map((i) => ({ campaignId, householdId: i.household.id, codeHash: hashCode(i.code) })),
      );
      await this.ctx.audit.record(tx, actor, {
        action: 'needs.codes.issue',
        entityType: 'needs_campaign',
        entityId: String(campaignId),
        regionPath: community.path,
        after: { count: issued.length, householdNos: issued.map((i) => i.household.householdNo) },
      });
      return {
        items: issued.map((i) => ({
          householdNo: i.household.householdNo,
          address: formatAddress(i.household),
          headName: seesPersonalData(actor, campaign.communityCode) ? i.household.headName : maskName(i.household.headName),
          code: i.code,
        })),
      };
    });
  }
}
