import type { Db } from '../../db/client.js';
import { requirePermission, type Actor } from '../../common/access.js';
import { DomainError, notFoundOrHidden } from '../../common/errors.js';
import { unwrap } from '../../common/verdict.js';
import type { AuditService } from '../audit/audit.service.js';
import type { RegionsService } from '../regions/regions.service.js';
import { NotifyRepository, type ChannelRow } from './notify.repository.js';
import { CHANNEL_KIND_LABELS } from './notify.labels.js';
import { channelAdministrationVerdict, channelTargetProblem, type ChannelKind } from './notify.rules.js';
import type { ChannelListView, ChannelView, CreateChannelBody, UpdateChannelBody } from './notify.schemas.js';

export type ChannelRegions = Pick<RegionsService, 'requireInScope'>;

const channelNotFound = () => notFoundOrHidden({ zh: '提醒通道', en: 'Notification channel' });

export function channelView(row: ChannelRow): ChannelView {
  const kind = row.kind as ChannelKind;
  return {
    id: row.id,
    regionCode: row.regionCode,
    regionName: row.regionName,
    kind,
    kindLabel: CHANNEL_KIND_LABELS[kind],
    name: row.name,
    target: row.target,
    hasSecret: row.secret !== null,
    enabled: row.enabled,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** What the audit keeps of a channel: everything but the DingTalk secret, of which only its presence. */
const audited = (c: { regionCode: string; kind: string; name: string; target: string; secret: string | null; enabled: boolean }) => ({
  regionCode: c.regionCode,
  kind: c.kind,
  name: c.name,
  target: c.target,
  hasSecret: c.secret !== null,
  enabled: c.enabled,
});

function checkTarget(kind: ChannelKind, target: string, secret: string | null | undefined): void {
  const problem = channelTargetProblem(kind, target);
  if (problem)
    throw new DomainError(
      'INVALID_CHANNEL_TARGET',
      { zh: `字段 接收地址（target）无效：${problem}`, en: `Field target is invalid for a ${kind} channel` },
      { kind: 'invalid', field: 'target' },
    );
  if (secret && kind !== 'dingtalk')
    throw new DomainError(
      'INVALID_CHANNEL_TARGET',
      { zh: '字段 加签密钥（secret）无效：只有钉钉机器人使用加签密钥', en: 'Field secret is invalid: only a DingTalk robot is signed' },
      { kind: 'invalid', field: 'secret' },
    );
}

/**
 * The notification channels of one's region and below (ADR 0018): listed, created, changed and
 * disabled by the region's account administrators (`users:write`, the scope rules of ADR 0012).
 * Every change is one audited transaction; the DingTalk secret is never answered nor audited.
 */
export class NotifyChannelsService {
  private readonly repo = new NotifyRepository();

  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly regions: ChannelRegions,
  ) {}

  async list(actor: Actor, regionCode?: string): Promise<ChannelListView> {
    requirePermission(actor, 'users:write');
    const path = regionCode ? (await this.regions.requireInScope(actor, regionCode)).path : (actor.scopePath ?? '\u0000');
    return { items: (await this.repo.channels(this.db, path)).map(channelView) };
  }

  /** A channel the caller administers, or 404 (outside the scope reads as absent). */
  async manageable(actor: Actor, id: number): Promise<ChannelRow> {
    requirePermission(actor, 'users:write');
    const row = await this.repo.channel(this.db, id);
    if (!row || !channelAdministrationVerdict(actor, row.regionPath).ok) throw channelNotFound();
    return row;
  }

  async create(actor: Actor, body: CreateChannelBody): Promise<ChannelView> {
    requirePermission(actor, 'users:write');
    // A region outside the caller's own reads as absent (404), as everywhere (access.ts requireInScope).
    const region = await this.regions.requireInScope(actor, body.regionCode);
    unwrap(channelAdministrationVerdict(actor, region.path));
    checkTarget(body.kind, body.target.trim(), body.secret);
    const values = {
      regionCode: region.code,
      kind: body.kind,
      name: body.name.trim(),
      target: body.target.trim(),
      secret: body.secret?.trim() || null,
      enabled: body.enabled ?? true,
    };
    const id = await this.db.transaction(async (tx) => {
      const newId = await this.repo.insertChannel(tx, values);
      await this.audit.record(tx, actor, {
        action: 'notify.channel.create',
        entityType: 'notify_channel',
        entityId: String(newId),
        regionPath: region.path,
        after: audited(values),
      });
      return newId;
    });
    return channelView((await this.repo.channel(this.db, id))!);
  }

  async update(actor: Actor, id: number, body: UpdateChannelBody): Promise<ChannelView> {
    await this.manageable(actor, id);
    await this.db.transaction(async (tx) => {
      const current = (await this.repo.channel(tx, id, true))!;
      const next = {
        regionCode: current.regionCode,
        kind: current.kind,
        name: body.name?.trim() ?? current.name,
        target: body.target?.trim() ?? current.target,
        secret: body.secret === undefined ? current.secret : body.secret?.trim() || null,
        enabled: body.enabled ?? current.enabled,
      };
      checkTarget(current.kind as ChannelKind, next.target, body.secret);
      await this.repo.updateChannel(tx, id, { ...next, updatedAt: new Date() });
      await this.audit.record(tx, actor, {
        action: body.enabled === false && current.enabled ? 'notify.channel.disable' : 'notify.channel.update',
        entityType: 'notify_channel',
        entityId: String(id),
        regionPath: current.regionPath,
        before: audited(current),
        after: audited(next),
      });
    });
    return channelView((await this.repo.channel(this.db, id))!);
  }
}
