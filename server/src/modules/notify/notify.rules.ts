/**
 * Reminders that leave the system (pure): which to-do items are urgent, the keys that make every
 * message "sent once", the retry schedule, the DingTalk signature and the Chinese text of the
 * messages — ADR 0018. The deadlines themselves come from the to-do items (each cites its clause).
 */
import { createHmac } from 'node:crypto';
import { hasPermission, pathInScope, type Actor } from '../../common/access.js';
import { ACCEPTED, refuse, type Verdict } from '../../common/verdict.js';

export const CHANNEL_KINDS = ['email', 'wecom', 'dingtalk'] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];
export const OUTBOX_KINDS = ['digest', 'immediate', 'test'] as const;
export type OutboxKind = (typeof OUTBOX_KINDS)[number];
export const OUTBOX_STATUSES = ['pending', 'sending', 'sent', 'failed'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

/** Working days before a due date within which an item is sent at once (and every overdue item). */
export const IMMEDIATE_WORKDAYS = 2;
/** The first retry waits this long; each further one twice as long, up to BACKOFF_MAX_MS. */
export const BACKOFF_BASE_MS = 60_000;
export const BACKOFF_MAX_MS = 60 * 60_000;
/** A claimed row whose dispatcher died is due again after this long. */
export const CLAIM_MS = 5 * 60_000;

/** The fields of a to-do item a reminder uses (plans.schemas TodoItem; `clause` only when the item has one). */
export interface ReminderItem {
  key: string;
  title: string;
  detail: string;
  regionName: string;
  dueOn: string | null;
  workdaysLeft: number | null;
  overdue: boolean;
  link: string;
  clause?: string;
}

/** The last line of every message: names the platform (and carries a DingTalk robot's keyword, "星级社区"). */
export const SIGNATURE = '—— 星级社区"以奖代补"专项资金管理平台';

export interface Message {
  subject: string;
  /** Markdown (the robots render it; e-mail sends it as text). */
  body: string;
}

/** ADR 0018: an item is sent at once when it is overdue or due within two working days. */
export function isImmediate(item: Pick<ReminderItem, 'dueOn' | 'workdaysLeft' | 'overdue'>): boolean {
  if (item.overdue) return true;
  return item.dueOn !== null && item.workdaysLeft !== null && item.workdaysLeft <= IMMEDIATE_WORKDAYS;
}

/** ADR 0018: one digest per channel per business day. */
export function digestKey(channelId: number, businessDate: string): string {
  return `digest:${channelId}:${businessDate}`;
}

/** ADR 0018: one immediate notice per channel, item and due date (a moved due date is a new notice). */
export function immediateKey(channelId: number, itemKey: string, dueOn: string | null): string {
  return `immediate:${channelId}:${itemKey}:${dueOn ?? '-'}`;
}

/** ADR 0018: a test message is its own (each press of 发送测试 sends one). */
export function testKey(channelId: number, at: Date): string {
  return `test:${channelId}:${at.toISOString()}`;
}

/** ADR 0018: the wait after the `attempts`-th failed send: 1, 2, 4, 8 … minutes, at most an hour. */
export function backoffMs(attempts: number): number {
  return Math.min(BACKOFF_BASE_MS * 2 ** Math.max(0, attempts - 1), BACKOFF_MAX_MS);
}

/** ADR 0018: what a failed send leaves: retried after the backoff, or failed once the attempts are spent. */
export function afterFailure(
  attempts: number,
  maxAttempts: number,
  now: Date,
): { status: 'failed'; nextAttemptAt: Date } | { status: 'pending'; nextAttemptAt: Date } {
  if (attempts >= maxAttempts) return { status: 'failed', nextAttemptAt: now };
  return { status: 'pending', nextAttemptAt: new Date(now.getTime() + backoffMs(attempts)) };
}

/** ADR 0018: DingTalk's robot signature: base64(HMAC-SHA256(`timestamp\nsecret`, key = secret)). */
export function dingtalkSign(timestamp: number, secret: string): string {
  return createHmac('sha256', secret).update(`${timestamp}\n${secret}`).digest('base64');
}

/** ADR 0018: the webhook URL with `timestamp` and the url-encoded `sign` when a secret is set. */
export function dingtalkUrl(webhook: string, secret: string | null, timestamp: number): string {
  if (!secret) return webhook;
  const sep = webhook.includes('?') ? '&' : '?';
  return `${webhook}${sep}timestamp=${timestamp}&sign=${encodeURIComponent(dingtalkSign(timestamp, secret))}`;
}

/**
 * ADR 0018 (with the scope rules of ADR 0012): an account administrator (`users:write`) keeps the
 * channels of its own region and of the regions below it; any other region reads as absent
 * (400 INVALID_REGION_CODE naming `regionCode`).
 */
export function channelAdministrationVerdict(actor: Actor, regionPath: string | null): Verdict {
  if (hasPermission(actor, 'users:write') && regionPath !== null && pathInScope(actor.scopePath, regionPath)) return ACCEPTED;
  return refuse({
    code: 'INVALID_REGION_CODE',
    zh: '字段 区划代码（regionCode）无效：不存在或不在本辖区内',
    en: 'Field regionCode is invalid: no such region within your area',
    kind: 'invalid',
    field: 'regionCode',
  });
}

const EMAIL = /^[^\s@,;<>]+@[^\s@,;<>]+\.[^\s@,;<>]+$/;

/** ADR 0018: the addresses of an e-mail channel's target (comma, semicolon or space separated). */
export function emailAddresses(target: string): string[] {
  return target
    .split(/[,;，；\s]+/)
    .map((a) => a.trim())
    .filter((a) => a !== '');
}

/**
 * ADR 0018: what is wrong with a channel's target for its kind (a Chinese sentence naming the
 * field), or null: e-mail needs 1–20 addresses; a robot an http(s) URL.
 */
export function channelTargetProblem(kind: ChannelKind, target: string): string | null {
  if (kind === 'email') {
    const addresses = emailAddresses(target);
    if (addresses.length === 0 || addresses.length > 20) return '须填写 1–20 个邮箱地址，以逗号分隔';
    const bad = addresses.find((a) => !EMAIL.test(a));
    return bad ? `"${bad}" 不是有效的邮箱地址` : null;
  }
  let url: URL;
  try {
    url = new URL(target.trim());
  } catch {
    return '须为机器人的 Webhook 地址（http:// 或 https:// 开头）';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return '须为机器人的 Webhook 地址（http:// 或 https:// 开头）';
  return null;
}

/** ADR 0018: items in the order a reader acts on them: overdue first, then by due date, undated last. */
export function byUrgency<T extends Pick<ReminderItem, 'overdue' | 'dueOn' | 'key'>>(items: readonly T[]): T[] {
  return [...items].sort(
    (a, b) => Number(b.overdue) - Number(a.overdue) || (a.dueOn ?? '9999').localeCompare(b.dueOn ?? '9999') || a.key.localeCompare(b.key),
  );
}

/** ADR 0018: the Chinese words for an item's deadline: "已逾期（应于 … 前）", "2026-12-10 到期（剩 3 个工作日）". */
export function dueText(item: Pick<ReminderItem, 'dueOn' | 'workdaysLeft' | 'overdue'>): string {
  if (!item.dueOn) return '无固定期限';
  if (item.overdue) return `已逾期（应于 ${item.dueOn} 前完成）`;
  return `${item.dueOn} 到期${item.workdaysLeft !== null ? `（剩 ${item.workdaysLeft} 个工作日）` : ''}`;
}

function itemLines(item: ReminderItem, baseUrl: string): string {
  const clause = item.clause ? ` ${item.clause}` : '';
  const detail = item.detail ? `：${item.detail}` : '';
  return `- **${item.title}**（${item.regionName}）${detail}\n  ${dueText(item)}${clause}　[去办理](${baseUrl}${item.link})`;
}

/** ADR 0018: the daily digest of a region: every item, overdue and due first, each with its link. */
export function digestMessage(regionName: string, businessDate: string, items: readonly ReminderItem[], baseUrl: string): Message {
  const sorted = byUrgency(items);
  const urgent = sorted.filter(isImmediate).length;
  const subject = `【星级社区专项资金】${regionName} ${businessDate} 待办提醒（${sorted.length} 项${urgent ? `，${urgent} 项临期或逾期` : ''}）`;
  const body = [
    `### ${regionName} 今日待办（${businessDate}）`,
    `共 ${sorted.length} 项${urgent ? `，其中 ${urgent} 项两个工作日内到期或已逾期` : ''}：`,
    '',
    ...sorted.map((i) => itemLines(i, baseUrl)),
    '',
    `登录控制台查看全部待办：${baseUrl}/todo`,
    SIGNATURE,
  ].join('\n');
  return { subject, body };
}

/** ADR 0018: an immediate notice of one item due within two working days or overdue. */
export function immediateMessage(regionName: string, item: ReminderItem, baseUrl: string): Message {
  const state = item.overdue ? '已逾期' : '即将到期';
  return {
    subject: `【星级社区专项资金】${state}：${item.title}（${item.regionName}）`,
    body: [`### ${state}提醒：${item.title}`, `${regionName}：`, '', itemLines(item, baseUrl), '', SIGNATURE].join('\n'),
  };
}

/** ADR 0018: the message of 发送测试, so that a channel can be checked before it is relied on. */
export function testMessage(regionName: string, channelName: string, at: string, baseUrl: string): Message {
  return {
    subject: `【星级社区专项资金】提醒通道测试：${channelName}`,
    body: `### 提醒通道测试\n${regionName}的提醒通道"${channelName}"已能收到消息（${at}）。\n\n控制台：${baseUrl}/notify\n${SIGNATURE}`,
  };
}

/** ADR 0018: the hour of day in China (UTC+8) of an instant: when the daily digest is due. */
export function chinaHour(at: Date): number {
  return (at.getUTCHours() + 8) % 24;
}
