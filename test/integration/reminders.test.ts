import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHmac } from 'node:crypto';
import { SMTPServer } from 'smtp-server';
import { sql } from 'drizzle-orm';
import { buildApp, type App } from '../../server/src/app.js';
import { openDatabase, type Database } from '../../server/src/db/client.js';
import { loadConfig, type AppConfig } from '../../server/src/config.js';
import { createTestApp, loginAs, type TestContext } from '../helpers/app.js';

/**
 * Reminders that leave the system (ADR 0018), against a real SMTP server and a local HTTP receiver
 * started here. The demo on 2026-12-07: street 210102002 has one plan review (嘉陵社区), overdue since
 * 2026-11-26 — an item for the digest and an immediate notice.
 */
const STREET = '210102002';
const BASE = 'https://starfund.example.cn';

interface Mail {
  to: string[];
  raw: string;
}
const mails: Mail[] = [];
interface Hit {
  path: string;
  query: URLSearchParams;
  body: Record<string, unknown>;
}
const hits: Hit[] = [];
/** Answers queued per path (status, JSON); the default is DingTalk/WeCom success. */
const answers = new Map<string, { status: number; json: unknown }[]>();

let smtp: SMTPServer;
let receiver: http.Server;
let smtpPort = 0;
let hookBase = '';
let ctx: TestContext;
const extra: { app: App; database?: Database }[] = [];

function remindersConfig(enabled: boolean): Partial<AppConfig> {
  const base = loadConfig({});
  return {
    publicBaseUrl: BASE,
    reminders: {
      ...base.reminders,
      enabled,
      maxAttempts: 4,
      smtpUrl: `smtp://127.0.0.1:${smtpPort}`,
      smtpFrom: 'StarFund <noreply@starfund.example.cn>',
      webhookTimeoutMs: 5000,
    },
  };
}

/** Another app instance on the same database (as multi-instance.test.ts: its own pool on PostgreSQL). */
async function secondInstance(enabled: boolean): Promise<App> {
  const database = ctx.databaseUrl ? await openDatabase({ databaseUrl: ctx.databaseUrl, dataDir: '' }) : undefined;
  const app = await buildApp({ ...ctx.app.config, ...remindersConfig(enabled) }, database ?? ctx.database);
  await app.ready();
  app.clock.set(ctx.app.clock.now());
  extra.push({ app, database });
  return app;
}

function decodeWords(header: string): string {
  // Adjacent encoded words are one text: join their bytes before decoding UTF-8.
  return header.replace(/(=\?UTF-8\?([BQ])\?[^?]*\?=\s*)+/gi, (run) => {
    const bytes: Buffer[] = [];
    for (const m of run.matchAll(/=\?UTF-8\?([BQ])\?([^?]*)\?=/gi)) {
      bytes.push(m[1]!.toUpperCase() === 'B' ? Buffer.from(m[2]!, 'base64') : qp(m[2]!.replace(/_/g, ' ')));
    }
    return Buffer.concat(bytes).toString('utf8');
  });
}

function qp(text: string): Buffer {
  const out: number[] = [];
  const s = text.replace(/=\r?\n/g, '');
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '=' && /^[0-9A-F]{2}$/i.test(s.slice(i + 1, i + 3))) {
      out.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else out.push(...Buffer.from(s[i]!, 'utf8'));
  }
  return Buffer.from(out);
}

/** The subject and the text body of a raw single-part message. */
function parseMail(raw: string): { subject: string; body: string } {
  const [head, ...rest] = raw.split(/\r?\n\r?\n/);
  const unfolded = head!.replace(/\r?\n[ \t]+/g, ' ');
  const subject = decodeWords(/^Subject: (.*)$/im.exec(unfolded)?.[1] ?? '');
  const encoding = /^Content-Transfer-Encoding: (.*)$/im.exec(unfolded)?.[1]?.trim().toLowerCase();
  const content = rest.join('\n\n');
  const body =
    encoding === 'base64'
      ? Buffer.from(content.replace(/\s+/g, ''), 'base64').toString('utf8')
      : encoding === 'quoted-printable'
        ? qp(content).toString('utf8')
        : content;
  return { subject, body };
}

async function addChannel(kind: 'email' | 'wecom' | 'dingtalk', target: string, secret?: string) {
  const street = await loginAs(ctx.app, `street-${STREET}`);
  const res = await street.post('/api/notify/channels', {
    regionCode: STREET,
    kind,
    name: `测试-${kind}`,
    target,
    ...(secret ? { secret } : {}),
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { id: number; hasSecret: boolean };
}

async function disable(id: number) {
  const street = await loginAs(ctx.app, `street-${STREET}`);
  expect((await street.patch(`/api/notify/channels/${id}`, { enabled: false })).statusCode).toBe(200);
}

async function outboxOf(channelId: number) {
  return (await ctx.database.db.execute(
    sql`select dedupe_key, kind, status, attempts, last_error, sent_at from notify_outbox where channel_id = ${channelId} order by id`,
  )) as unknown as {
    rows: { dedupe_key: string; kind: string; status: string; attempts: number; last_error: string | null; sent_at: unknown }[];
  };
}

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  smtpPort = (smtp.server.address() as AddressInfo).port;

  receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url!, 'http://x');
      hits.push({ path: url.pathname, query: url.searchParams, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
      const answer = answers.get(url.pathname)?.shift() ?? { status: 200, json: { errcode: 0, errmsg: 'ok' } };
      res.writeHead(answer.status, { 'content-type': 'application/json', connection: 'close' }).end(JSON.stringify(answer.json));
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  hookBase = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;

  ctx = await createTestApp({ config: remindersConfig(true) });
});

afterAll(async () => {
  for (const e of extra) {
    await e.app.close();
    await e.database?.close();
  }
  await ctx?.close();
  await new Promise<void>((resolve) => smtp?.close(() => resolve()));
  await new Promise<void>((resolve) => receiver?.close(() => resolve()));
});

describe('reminders', () => {
  it('mails the daily digest of a region with due items over SMTP', async () => {
    const channel = await addChannel('email', 'office@jialing.example.cn, head@jialing.example.cn');
    const result = await ctx.app.services.notify.runOnce({ digest: true });
    expect(result.sent).toBeGreaterThanOrEqual(2);
    const digest = mails.map((m) => ({ ...m, ...parseMail(m.raw) })).find((m) => m.subject.includes('待办提醒'));
    expect(digest, mails.map((m) => m.raw).join('\n----\n')).toBeDefined();
    expect(digest!.to).toEqual(['office@jialing.example.cn', 'head@jialing.example.cn']);
    expect(digest!.subject).toContain('2026-12-07');
    expect(digest!.body).toContain('街道初审使用方案');
    expect(digest!.body).toContain('2026-11-26');
    expect(digest!.body).toContain(`${BASE}/plans/`);
    const rows = (await outboxOf(channel.id)).rows;
    expect(rows.map((r) => r.kind).sort()).toEqual(['digest', 'immediate']);
    expect(rows.every((r) => r.status === 'sent' && r.attempts === 1 && r.sent_at !== null)).toBe(true);
    // A second run on the same day sends nothing again.
    const before = mails.length;
    await ctx.app.services.notify.runOnce({ digest: true });
    expect(mails.length).toBe(before);
    await disable(channel.id);
  }, 60_000);

  it('posts 企业微信 and 钉钉 robot payloads, DingTalk signed with its secret', async () => {
    const secret = 'SEC0123456789abcdef+/=';
    const wecom = await addChannel('wecom', `${hookBase}/wecom?key=k1`);
    const ding = await addChannel('dingtalk', `${hookBase}/ding?access_token=t1`, secret);
    expect(ding.hasSecret).toBe(true);
    await ctx.app.services.notify.runOnce({ digest: true });

    const wecomHits = hits.filter((h) => h.path === '/wecom');
    expect(wecomHits).toHaveLength(2);
    for (const h of wecomHits) {
      expect(h.query.get('key')).toBe('k1');
      expect(Object.keys(h.body).sort()).toEqual(['markdown', 'msgtype']);
      expect(h.body.msgtype).toBe('markdown');
      expect(typeof (h.body.markdown as { content: string }).content).toBe('string');
    }
    expect(wecomHits.some((h) => (h.body.markdown as { content: string }).content.includes('街道初审使用方案'))).toBe(true);

    const dingHits = hits.filter((h) => h.path === '/ding');
    expect(dingHits).toHaveLength(2);
    for (const h of dingHits) {
      expect(h.body.msgtype).toBe('markdown');
      const md = h.body.markdown as { title: string; text: string };
      expect(md.title).toContain('星级社区');
      expect(md.text).toContain('2026-11-26');
      const timestamp = h.query.get('timestamp')!;
      expect(timestamp).toMatch(/^\d{13}$/);
      expect(h.query.get('access_token')).toBe('t1');
      expect(h.query.get('sign')).toBe(createHmac('sha256', secret).update(`${timestamp}\n${secret}`).digest('base64'));
    }
    // The secret is never answered nor audited.
    const street = await loginAs(ctx.app, `street-${STREET}`);
    expect((await street.get('/api/notify/channels')).body).not.toContain(secret);
    const audit = (await ctx.database.db.execute(
      sql`select count(*)::int as n from (select "after"::text as a from audit_inbox union all select "after"::text from audit_event) x where a like ${`%${secret}%`}`,
    )) as unknown as { rows: { n: number }[] };
    expect(audit.rows[0]!.n).toBe(0);
    await disable(wecom.id);
    await disable(ding.id);
  }, 60_000);

  it('retries a failed send after the backoff and records each attempt', async () => {
    answers.set('/retry', [
      { status: 500, json: { error: 'down' } },
      { status: 200, json: { errcode: 310000, errmsg: 'keywords not in content' } },
    ]);
    const channel = await addChannel('dingtalk', `${hookBase}/retry?access_token=r`);
    const first = await ctx.app.services.notify.runOnce({ digest: false });
    expect(first).toMatchObject({ sent: 0, failed: 1 });
    let [row] = (await outboxOf(channel.id)).rows;
    expect(row).toMatchObject({ kind: 'immediate', status: 'pending', attempts: 1, sent_at: null });
    expect(row!.last_error).toContain('HTTP 500');

    // Not due again before the backoff has passed.
    expect(await ctx.app.services.notify.reminders.dispatch()).toEqual({ sent: 0, failed: 0 });
    ctx.app.clock.set(new Date(ctx.app.clock.now().getTime() + 61_000));
    expect(await ctx.app.services.notify.reminders.dispatch()).toEqual({ sent: 0, failed: 1 });
    [row] = (await outboxOf(channel.id)).rows;
    expect(row).toMatchObject({ status: 'pending', attempts: 2 });
    expect(row!.last_error).toContain('310000');

    ctx.app.clock.set(new Date(ctx.app.clock.now().getTime() + 121_000));
    expect(await ctx.app.services.notify.reminders.dispatch()).toEqual({ sent: 1, failed: 0 });
    [row] = (await outboxOf(channel.id)).rows;
    expect(row).toMatchObject({ status: 'sent', attempts: 3, last_error: null });
    expect(row!.sent_at).not.toBeNull();
    expect(hits.filter((h) => h.path === '/retry')).toHaveLength(3);
    await disable(channel.id);
  }, 60_000);

  it('sends once across two instances running at the same time', async () => {
    const channel = await addChannel('wecom', `${hookBase}/multi?key=m`);
    const other = await secondInstance(true);
    const results = await Promise.all([
      ctx.app.services.notify.runOnce({ digest: true }),
      other.services.notify.runOnce({ digest: true }),
      ctx.app.services.notify.runOnce({ digest: true }),
      other.services.notify.runOnce({ digest: true }),
    ]);
    const rows = (await outboxOf(channel.id)).rows;
    expect(rows.map((r) => r.kind).sort()).toEqual(['digest', 'immediate']);
    expect(
      rows.every((r) => r.status === 'sent' && r.attempts === 1),
      JSON.stringify({ rows, results }),
    ).toBe(true);
    const delivered = hits.filter((h) => h.path === '/multi').map((h) => (h.body.markdown as { content: string }).content);
    expect(delivered).toHaveLength(rows.length);
    expect(new Set(delivered).size).toBe(rows.length);
    expect(results.reduce((n, r) => n + r.enqueued, 0)).toBe(rows.length);
    await disable(channel.id);
  }, 60_000);

  it('sends nothing when reminders are off', async () => {
    const channel = await addChannel('wecom', `${hookBase}/off?key=o`);
    const off = await secondInstance(false);
    expect(await off.services.notify.runOnce({ digest: true })).toEqual({ enqueued: 0, sent: 0, failed: 0 });
    const street = await loginAs(off, `street-${STREET}`);
    const test = await street.post(`/api/notify/channels/${channel.id}/test`);
    expect(test.statusCode).toBe(422);
    expect(test.json().code).toBe('REMINDERS_OFF');
    expect((await outboxOf(channel.id)).rows).toHaveLength(0);
    expect(hits.filter((h) => h.path === '/off')).toHaveLength(0);
    // The same channel does receive once reminders are on: the channel was not the reason.
    const sent = await ctx.app.services.notify.runOnce({ digest: false });
    expect(sent.sent).toBeGreaterThanOrEqual(1);
    expect(hits.filter((h) => h.path === '/off').length).toBeGreaterThanOrEqual(1);
    await disable(channel.id);
  }, 60_000);

  it('keeps channels to the administrators of the region and above', async () => {
    const other = await loginAs(ctx.app, 'street-210102001');
    const created = await addChannel('email', 'x@example.cn');
    expect((await other.patch(`/api/notify/channels/${created.id}`, { enabled: true })).statusCode).toBe(404);
    expect((await other.get('/api/notify/channels')).json().items.map((c: { id: number }) => c.id)).not.toContain(created.id);
    // A region beside one's own reads as absent.
    expect(
      (await other.post('/api/notify/channels', { regionCode: STREET, kind: 'email', name: '越权', target: 'y@example.cn' })).statusCode,
    ).toBe(404);
    const district = await loginAs(ctx.app, 'district-210102');
    expect((await district.get('/api/notify/channels')).json().items.map((c: { id: number }) => c.id)).toContain(created.id);
    const community = await loginAs(ctx.app, 'community-210102001001');
    expect((await community.get('/api/notify/channels')).statusCode).toBe(403);
    const bad = await district.post('/api/notify/channels', { regionCode: STREET, kind: 'email', name: '坏地址', target: 'nobody' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'INVALID_CHANNEL_TARGET', field: 'target' });
    await disable(created.id);
  }, 60_000);
});
