import type { Db } from '../../db/client.js';
import { requirePermission, type Actor } from '../../common/access.js';
import type { Clock } from '../../common/clock.js';
import type { AuditService } from '../audit/audit.service.js';
import { NotifyChannelsService, type ChannelRegions } from './notify.channels.service.js';
import { NotifyRemindersService, type ReminderSettings, type ReminderSources } from './notify.reminders.service.js';
import { transports, type Send } from './notify.transports.js';
import type { OutboxItemView, OutboxListView, RemindersStatusView, RunResultView } from './notify.schemas.js';

/**
 * Reminders that leave the system (ADR 0018): the channels of each region and the outbox through
 * which the daily digest and immediate notices go out by e-mail and group robots. The module's
 * one outward service: routes, the scheduler (main.ts) and `npm run reminders` use it.
 */
export class NotifyService {
  readonly channels: NotifyChannelsService;
  readonly reminders: NotifyRemindersService;

  constructor(
    db: Db,
    audit: AuditService,
    regions: ChannelRegions,
    sources: ReminderSources,
    clock: Clock,
    private readonly settings: ReminderSettings,
    send: Send = transports(settings),
  ) {
    this.channels = new NotifyChannelsService(db, audit, regions);
    this.reminders = new NotifyRemindersService(db, sources, clock, settings, send);
  }

  status(actor: Actor): RemindersStatusView {
    requirePermission(actor, 'users:write');
    return {
      enabled: this.settings.enabled,
      digestHour: this.settings.digestHour,
      intervalMinutes: this.settings.intervalMinutes,
      emailConfigured: this.settings.smtpUrl !== null,
      publicBaseUrl: this.settings.publicBaseUrl,
    };
  }

  async outbox(actor: Actor, query: { channelId?: number; limit?: number }): Promise<OutboxListView> {
    if (query.channelId !== undefined) await this.channels.manageable(actor, query.channelId);
    else requirePermission(actor, 'users:write');
    return { items: await this.reminders.recent(actor.scopePath ?? '\u0000', query.channelId, query.limit ?? 50) };
  }

  async sendTest(actor: Actor, channelId: number): Promise<OutboxItemView> {
    return this.reminders.sendTest(await this.channels.manageable(actor, channelId));
  }

  /** Enqueue and dispatch once (the scheduler's tick, `npm run reminders -- --once`); nothing while off. */
  runOnce(options: { digest: boolean }): Promise<RunResultView> {
    return this.reminders.runOnce(options);
  }
}
