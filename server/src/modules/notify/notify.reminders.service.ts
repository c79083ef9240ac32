import type { Db } from '../../db/client.js';
import type { Actor } from '../../common/access.js';
import type { Clock } from '../../common/clock.js';
import { DomainError } from '../../common/errors.js';
import type { RemindersConfig } from '../../config.js';
import type { TodoItem } from '../plans/plans.schemas.js';
import { NotifyRepository, type ChannelRow, type NewOutboxRow, type OutboxRow } from './notify.repository.js';
import { OUTBOX_KIND_LABELS, OUTBOX_STATUS_LABELS } from './notify.labels.js';
import {
  afterFailure,
  byUrgency,
  CLAIM_MS,
  digestKey,
  digestMessage,
  immediateKey,
  immediateMessage,
  isImmediate,
  testKey,
  testMessage,
  type ChannelKind,
  type OutboxKind,
  type OutboxStatus,
  type ReminderItem,
} from './notify.rules.js';
import type { Send } from './notify.transports.js';
import type { OutboxItemView, RunResultView } from './notify.schemas.js';

/** What reminders read of other modules (wired in services.ts). */
export interface ReminderSources {
  /** The enabled accounts acting for a region (auth). */
  accounts: { actorsAt(regionCode: string): Promise<Actor[]> };
  /** An account's to-do (the to-do centre, plans.todo.service.ts). */
  todo: { todo(actor: Actor): Promise<{ today: string; items: TodoItem[] }> };
  /** Whether a date is a working day (calendar): the digest goes out on business days. */
  calendar: { isWorkday(date: string): Promise<boolean> };
}

export interface ReminderSettings extends RemindersConfig {
  publicBaseUrl: string;
}

const BATCH = 20;

/** A to-do item reduced to the fields a reminder carries (`clause` only when the item has one). */
function reminderItem(item: TodoItem): ReminderItem {
  const clause = (item as { clause?: unknown }).clause;
  return {
    key: item.key,
    title: item.title,
    detail: item.detail,
    regionName: item.regionName,
    dueOn: item.dueOn,
    workdaysLeft: item.workdaysLeft,
    overdue: item.overdue,
    link: item.link,
    ...(typeof clause === 'string' && clause !== '' ? { clause } : {}),
  };
}

export function outboxItemView(r: { row: OutboxRow; channelName: string; channelKind: string; regionName: string }): OutboxItemView {
  const { row } = r;
  return {
    id: row.id,
    channelId: row.channelId,
    channelName: r.channelName,
    channelKind: r.channelKind as ChannelKind,
    regionName: r.regionName,
    kind: row.kind as OutboxKind,
    kindLabel: OUTBOX_KIND_LABELS[row.kind as OutboxKind],
    businessDate: row.businessDate,
    subject: row.subject,
    status: row.status as OutboxStatus,
    statusLabel: OUTBOX_STATUS_LABELS[row.status as OutboxStatus],
    attempts: row.attempts,
    nextAttemptAt: row.nextAttemptAt.toISOString(),
    lastError: row.lastError,
    sentAt: row.sentAt ? row.sentAt.toISOString() : null,
    createdAt: row.createdAt.toISOString(),
  };
}

/**
 * Reminders through the outbox (ADR 0018). `enqueue` turns the to-do of each enabled channel's
 * region into rows — a digest once per channel per business day, an immediate notice once per
 * channel, item and due date — inserted with ON CONFLICT DO NOTHING on their dedupe key, so that
 * any number of instances and runs enqueue each once. `dispatch` claims due rows (FOR UPDATE SKIP
 * LOCKED), sends them and records the outcome: sent, or retried after a backoff, or failed.
 * Nothing happens while reminders are off.
 */
export class NotifyRemindersService {
  private readonly repo = new NotifyRepository();

  constructor(
    private readonly db: Db,
    private readonly sources: ReminderSources,
    private readonly clock: Clock,
    private readonly settings: ReminderSettings,
    private readonly send: Send,
  ) {}

  get enabled(): boolean {
    return this.settings.enabled;
  }

  /** Enqueue (immediate notices always; the digest when `digest`) and dispatch once. Off: nothing. */
  async runOnce(options: { digest: boolean }): Promise<RunResultView> {
    if (!this.settings.enabled) return { enqueued: 0, sent: 0, failed: 0 };
    const enqueued = await this.enqueue(options);
    return { enqueued, ...(await this.dispatch()) };
  }

  /** The items waiting for the accounts of a region, each once (accounts of one office share them). */
  async itemsOf(regionCode: string): Promise<ReminderItem[]> {
    const byKey = new Map<string, ReminderItem>();
    for (const actor of await this.sources.accounts.actorsAt(regionCode)) {
      for (const item of (await this.sources.todo.todo(actor)).items) if (!byKey.has(item.key)) byKey.set(item.key, reminderItem(item));
    }
    return byUrgency([...byKey.values()]);
  }

  /** Puts today's messages of every enabled channel into the outbox; returns how many rows were new. */
  async enqueue(options: { digest: boolean }): Promise<number> {
    if (!this.settings.enabled) return 0;
    const today = this.clock.today();
    const digest = options.digest && (await this.sources.calendar.isWorkday(today));
    const channels = await this.repo.channels(this.db, null, true);
    const itemsByRegion = new Map<string, ReminderItem[]>();
    const rows: NewOutboxRow[] = [];
    for (const channel of channels) {
      if (!itemsByRegion.has(channel.regionCode)) itemsByRegion.set(channel.regionCode, await this.itemsOf(channel.regionCode));
      rows.push(...this.messagesFor(channel, itemsByRegion.get(channel.regionCode)!, today, digest));
    }
    return (await this.repo.enqueue(this.db, rows, this.clock.now())).length;
  }

  private messagesFor(channel: ChannelRow, items: ReminderItem[], today: string, digest: boolean): NewOutboxRow[] {
    const base = this.settings.publicBaseUrl;
    const rows: NewOutboxRow[] = [];
    if (digest && items.length > 0) {
      const m = digestMessage(channel.regionName, today, items, base);
      rows.push({ channelId: channel.id, dedupeKey: digestKey(channel.id, today), kind: 'digest', businessDate: today, ...m });
    }
    for (const item of items.filter(isImmediate)) {
      const m = immediateMessage(channel.regionName, item, base);
      rows.push({
        channelId: channel.id,
        dedupeKey: immediateKey(channel.id, item.key, item.dueOn),
        kind: 'immediate',
        businessDate: today,
        ...m,
      });
    }
    return rows;
  }

  /** Sends every due row (or only `ids`), a batch at a time; each row claimed by one dispatcher only. */
  async dispatch(ids?: number[]): Promise<{ sent: number; failed: number }> {
    let sent = 0;
    let failed = 0;
    for (let round = 0; round < 1000; round++) {
      const now = this.clock.now();
      const claimed = await this.repo.claimDue(this.db, now, new Date(now.getTime() + CLAIM_MS), BATCH, ids);
      if (claimed.length === 0) break;
      for (const row of claimed) {
        if (await this.deliver(row)) sent++;
        else failed++;
      }
    }
    return { sent, failed };
  }

  /** One claimed row: sent and recorded, or its error recorded with the next attempt (or failed). */
  private async deliver(row: OutboxRow): Promise<boolean> {
    const channel = await this.repo.channel(this.db, row.channelId);
    try {
      if (!channel?.enabled) throw new Error('通道已停用');
      await this.send({ kind: channel.kind as ChannelKind, target: channel.target, secret: channel.secret }, row);
      await this.repo.markSent(this.db, row.id, this.clock.now());
      return true;
    } catch (error) {
      const reason = (error instanceof Error ? error.message : String(error)).slice(0, 500);
      const next = afterFailure(row.attempts, channel?.enabled ? this.settings.maxAttempts : 0, this.clock.now());
      await this.repo.markFailedAttempt(this.db, row.id, next.status, next.nextAttemptAt, reason);
      return false;
    }
  }

  /** 发送测试: one test message to the channel, sent now; answers its outbox row. */
  async sendTest(channel: ChannelRow): Promise<OutboxItemView> {
    if (!this.settings.enabled) {
      throw new DomainError(
        'REMINDERS_OFF',
        { zh: '提醒功能未开启（服务器环境变量 REMINDERS=on），不发送任何消息', en: 'Reminders are off (set REMINDERS=on)' },
        { kind: 'rule' },
      );
    }
    if (!channel.enabled) {
      throw new DomainError('CHANNEL_DISABLED', { zh: '该提醒通道已停用，请先启用', en: 'The channel is disabled' }, { kind: 'rule' });
    }
    const now = this.clock.now();
    const at = `${this.clock.today()} ${new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(11, 16)}`;
    const m = testMessage(channel.regionName, channel.name, at, this.settings.publicBaseUrl);
    const [id] = await this.repo.enqueue(
      this.db,
      [{ channelId: channel.id, dedupeKey: testKey(channel.id, now), kind: 'test', businessDate: this.clock.today(), ...m }],
      now,
    );
    if (id !== undefined) await this.dispatch([id]);
    const row = (await this.repo.outboxRow(this.db, id!))!;
    return outboxItemView({ row, channelName: channel.name, channelKind: channel.kind, regionName: channel.regionName });
  }

  /** The latest outbox rows of the channels at or under `path`. */
  async recent(path: string, channelId: number | undefined, limit: number): Promise<OutboxItemView[]> {
    return (await this.repo.recentOutbox(this.db, path, channelId, limit)).map(outboxItemView);
  }
}
