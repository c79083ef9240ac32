import { createHash, randomBytes } from 'node:crypto';
import type { Actor } from '../../common/access.js';
import { DomainError } from '../../common/errors.js';
import { heldOnce } from '../../common/at-most-one.js';
import { IdempotencyService } from '../idempotency/idempotency.service.js';
import { readUpload, type ContentEncoding, type TableFormat, type UploadEncoding } from '../../common/tabular.js';
import type { HouseholdsService } from '../households/households.service.js';
import { formatAddress } from '../households/households.service.js';
import { maskName, seesPersonalData } from '../households/households.rules.js';
import { codeFromBytes, parseOpinionRows, NEEDS_CLAUSE, ONLINE_CHANNEL } from './needs.rules.js';
import { channelLabel, closedCampaign, hashCode, notRegistered, type NeedsContext } from './needs.context.js';
import type { ImportResult, IssuedCodesView, OpinionListView } from './needs.schemas.js';

/**
 * Opinions of households [N 3.1.1(1)]: listed, imported in bulk from paper forms, and one-time
 * codes issued; a household counts once per campaign (the database's unique index). One answer at
 * a time, online or entered by staff, is written in needs.answers.service.ts.
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
