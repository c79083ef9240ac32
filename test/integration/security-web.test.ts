import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { buildApp, type App } from '../../server/src/app.js';
import { loadConfig } from '../../server/src/config.js';
import { TEST_NOW } from '../helpers/test-clock.js';
import { runMigrations } from '../../server/src/db/migrate.js';
import { seedDemoCity } from '../../server/src/seed/seed.js';
import { as, createTestDatabase, DEMO_PASSWORD, login, queryRows } from '../helpers/app.js';
import type { Database } from '../../server/src/db/client.js';

/**
 * Web security: headers on the console and the API, the CSRF check, session rotation and
 * logout, the password change and its policy, and 5xx answers that reveal nothing.
 * The app is built here (not with createTestApp) so that test-only failing routes and a
 * stand-in console page can be added before `ready`.
 */
let app: App;
let database: Database;
let drop: () => Promise<void>;
let webDir: string;

const LEAKS = /stack|\.ts:\d+|\.js:\d+|select |no_such_table|relation "|syntax error|SECRET/i;

beforeAll(async () => {
  webDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sf-web-'));
  fs.writeFileSync(path.join(webDir, 'index.html'), '<!doctype html><html><body><div id="root"></div></body></html>');
  const created = await createTestDatabase();
  database = created.database;
  drop = created.drop;
  await runMigrations(database);
  app = await buildApp(
    { ...loadConfig({ STARFUND_NOW: TEST_NOW }), logLevel: 'silent', webDir, seedDemo: false, loginRateLimitPerMinute: 10_000 },
    database,
  );
  // Test-only routes that fail the ways production code can fail.
  const hidden = { schema: { hide: true }, config: { access: 'public' as const } };
  app.get('/api/__test/throw', hidden, async () => {
    throw new Error('SECRET internal detail at /srv/app/server/src/x.ts:12');
  });
  app.get('/api/__test/sql', hidden, async () => {
    await app.database.db.execute(sql`select secret_column from no_such_table`);
    return {};
  });
  app.get(
    '/api/__test/bad-response',
    { ...hidden, schema: { hide: true, response: { 200: { type: 'object', required: ['n'], properties: { n: { type: 'integer' } } } } } },
    async () => ({ n: 'SECRET' }),
  );
  app.get('/api/__test/unavailable', hidden, async () => {
    throw Object.assign(new Error('SECRET pool exhausted'), { statusCode: 503 });
  });
  await seedDemoCity(database.db, app.services);
  await app.ready();
});
afterAll(async () => {
  await app?.close();
  await drop?.();
  fs.rmSync(webDir, { recursive: true, force: true });
});

describe('security headers', () => {
  it('serves the console page with a strict Content-Security-Policy and helmet headers', async () => {
    for (const url of ['/', '/regions/210102']) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toContain('text/html');
      const csp = String(res.headers['content-security-policy']);
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toMatch(/script-src[^;]*unsafe-(inline|eval)/);
      expect(csp).toContain("object-src 'none'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("base-uri 'self'");
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
      expect(res.headers['x-powered-by']).toBeUndefined();
    }
  });

  it('sends the same headers on the API, and API answers are never cached', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/health' });
    expect(res.statusCode).toBe(200);
    expect(String(res.headers['content-security-policy'])).toContain("default-src 'self'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['cache-control']).toBe('no-store');
    const me = await as(app, await login(app, 'city')).get('/api/auth/me');
    expect(me.headers['cache-control']).toBe('no-store');
  });

  it('the API documentation page has its own CSP', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/docs' });
    expect(res.statusCode).toBeLessThan(400);
    expect(String(res.headers['content-security-policy'])).toContain("default-src 'self'");
  });
});

describe('errors reveal nothing internal', () => {
  it('answers 5xx with a fixed message, never a stack trace or SQL', async () => {
    for (const url of ['/api/__test/throw', '/api/__test/sql', '/api/__test/bad-response', '/api/__test/unavailable']) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(500);
      expect(res.json()).toEqual({ statusCode: 500, code: 'INTERNAL', message: '服务器内部错误', messageEn: 'Internal server error' });
      expect(res.body).not.toMatch(LEAKS);
    }
  });

  it('answers malformed requests with 4xx naming no internals', async () => {
    const cookie = await login(app, 'street-210102001');
    const badJson = await app.inject({
      method: 'PATCH',
      url: '/api/regions/210102001001/profile',
      headers: { cookie, 'content-type': 'application/json' },
      payload: '{"representatives": ',
    });
    expect(badJson.statusCode).toBe(400);
    expect(badJson.body).not.toMatch(LEAKS);
    const tooBig = await app.inject({
      method: 'PATCH',
      url: '/api/regions/210102001001/profile',
      headers: { cookie, 'content-type': 'application/json' },
      payload: JSON.stringify({ address: 'x'.repeat(2 * 1024 * 1024) }),
    });
    expect(tooBig.statusCode).toBe(413);
    const wrongType = await app.inject({
      method: 'PATCH',
      url: '/api/regions/210102001001/profile',
      headers: { cookie, 'content-type': 'text/plain' },
      payload: 'hello',
    });
    expect([400, 415]).toContain(wrongType.statusCode);
    expect(wrongType.body).not.toMatch(LEAKS);
    const unknown = await app.inject({ method: 'GET', url: "/api/no-such-thing?q=' or 1=1 --" });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.body).not.toMatch(LEAKS);
  });
});

describe('cross-site requests', () => {
  it('refuses unsafe requests from another site, an opaque origin, or a cross-site fetch, and accepts our own', async () => {
    const cookie = await login(app, 'street-210102001');
    const url = '/api/regions/210102001001/profile';
    const attempt = (headers: Record<string, string>) =>
      app.inject({ method: 'PATCH', url, payload: { representatives: 21 }, headers: { cookie, host: 'starfund.local', ...headers } });
    for (const headers of <Record<string, string>[]>[
      { origin: 'https://evil.example' },
      { origin: 'null' },
      { origin: 'not a url' },
      { 'sec-fetch-site': 'cross-site' },
    ]) {
      const res = await attempt(headers);
      expect(res.statusCode, JSON.stringify(headers)).toBe(403);
      expect(res.json().code).toBe('CSRF');
    }
    expect((await attempt({ origin: 'https://starfund.local' })).statusCode).toBe(200);
    expect((await attempt({ 'sec-fetch-site': 'same-origin' })).statusCode).toBe(200);
  });

  it('refuses a cross-site sign-in (login CSRF)', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'city', password: DEMO_PASSWORD },
      headers: { origin: 'https://evil.example', host: 'starfund.local' },
    });
    expect(res.statusCode).toBe(403);
    expect(res.cookies.find((c) => c.name === 'sf_session')).toBeUndefined();
  });

  it('answers 401, not a validation message, to an anonymous write with a bad body', async () => {
    const res = await app.inject({ method: 'PATCH', url: '/api/regions/210102001001/profile', payload: { nonsense: true } });
    expect(res.statusCode).toBe(401);
  });
});

describe('sessions', () => {
  it('never promotes a session id planted before sign-in', async () => {
    const planted = 'attacker-chosen-session-id';
    const res = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'city', password: DEMO_PASSWORD },
      headers: { cookie: `sf_session=${planted}` },
    });
    expect(res.statusCode).toBe(200);
    const issued = res.cookies.find((c) => c.name === 'sf_session')!;
    expect(issued.value).not.toBe(planted);
    expect(issued.value.length).toBeGreaterThanOrEqual(43);
    expect((await as(app, `sf_session=${planted}`).get('/api/auth/me')).statusCode).toBe(401);
    expect((await as(app, `sf_session=${issued.value}`).get('/api/auth/me')).statusCode).toBe(200);
  });

  it('stores only a hash of the session token', async () => {
    const cookie = await login(app, 'finance');
    const token = cookie.split('=')[1]!;
    const rows = await queryRows<{ token_hash: string }>({ database }, sql`select token_hash from user_session`);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.some((r) => r.token_hash === token)).toBe(false);
  });

  it('logout ends the session for good: a replayed cookie is refused', async () => {
    const cookie = await login(app, 'district-210102');
    const client = as(app, cookie);
    expect((await client.get('/api/auth/me')).statusCode).toBe(200);
    const out = await client.post('/api/auth/logout');
    expect(out.statusCode).toBe(200);
    expect(out.cookies.find((c) => c.name === 'sf_session')?.value).toBe('');
    expect((await client.get('/api/auth/me')).statusCode).toBe(401);
    expect((await client.get('/api/regions/210102')).statusCode).toBe(401);
  });
});

describe('password change', () => {
  const username = 'district-210104';
  const change = (cookie: string, body: unknown) =>
    app.inject({ method: 'POST', url: '/api/auth/password', headers: { cookie }, payload: body as object });

  it('requires a session', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/auth/password',
      payload: { currentPassword: DEMO_PASSWORD, newPassword: 'NewSecret2027' },
    });
    expect(res.statusCode).toBe(401);
  });

  it('refuses a wrong current password and weak new ones, naming the field, changing nothing', async () => {
    const cookie = await login(app, username);
    const before = await queryRows<{ password_hash: string }>(
      { database },
      sql`select password_hash from app_user where username = ${username}`,
    );
    const cases: [unknown, string][] = [
      [{ currentPassword: 'wrong-password-1', newPassword: 'NewSecret2027' }, 'currentPassword'],
      [{ currentPassword: DEMO_PASSWORD, newPassword: 'short1' }, 'newPassword'],
      [{ currentPassword: DEMO_PASSWORD, newPassword: 'onlyletterslong' }, 'newPassword'],
      [{ currentPassword: DEMO_PASSWORD, newPassword: '12345678901234' }, 'newPassword'],
      [{ currentPassword: DEMO_PASSWORD, newPassword: username.toUpperCase() }, 'newPassword'],
      [{ currentPassword: DEMO_PASSWORD, newPassword: DEMO_PASSWORD }, 'newPassword'],
      [{ currentPassword: DEMO_PASSWORD }, 'newPassword'],
      [{ currentPassword: DEMO_PASSWORD, newPassword: 'NewSecret2027', extra: 1 }, 'extra'],
    ];
    for (const [body, field] of cases) {
      const res = await change(cookie, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().field).toBe(field);
      expect(res.json().messageEn).toContain(field);
    }
    const after = await queryRows<{ password_hash: string; failed_logins: number }>(
      { database },
      sql`select password_hash, failed_logins from app_user where username = ${username}`,
    );
    expect(after[0]!.password_hash).toBe(before[0]!.password_hash);
    expect(after[0]!.failed_logins).toBe(1); // the wrong current password counts towards the lockout
  });

  it('changes the password (argon2), keeps this session, ends the others, and audits without secrets', async () => {
    const mine = await login(app, username);
    const other = await login(app, username);
    const res = await change(mine, { currentPassword: DEMO_PASSWORD, newPassword: 'Heping-2027-safe' });
    expect(res.statusCode).toBe(200);
    expect((await as(app, mine).get('/api/auth/me')).statusCode).toBe(200);
    expect((await as(app, other).get('/api/auth/me')).statusCode).toBe(401);
    const old = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: DEMO_PASSWORD } });
    expect(old.statusCode).toBe(401);
    await login(app, username, 'Heping-2027-safe');
    const rows = await queryRows<{ password_hash: string }>(
      { database },
      sql`select password_hash from app_user where username = ${username}`,
    );
    expect(rows[0]!.password_hash).toMatch(/^\$argon2id\$/);
    const events = await queryRows<{ action: string; before: unknown; after: unknown }>(
      { database },
      sql`select action, before, after from audit_event where action = 'auth.password_changed'`,
    );
    expect(events).toHaveLength(1);
    expect(JSON.stringify(events[0])).not.toContain('Heping-2027-safe');
    expect(JSON.stringify(events[0])).not.toContain('argon2');
  });
});
