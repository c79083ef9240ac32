import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { as, createTestApp, DEMO_PASSWORD, login, queryRows, type TestContext } from '../helpers/app.js';
import { MAX_FAILED_LOGINS } from '../../server/src/modules/auth/auth.service.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestApp();
});
afterAll(async () => ctx?.close());

const loginRaw = (payload: unknown, headers: Record<string, string> = {}) =>
  ctx.app.inject({ method: 'POST', url: '/api/auth/login', payload: payload as object, headers });

describe('sign-in', () => {
  it('signs in each demo role and reports its scope', async () => {
    const expected: Record<string, { role: string; scope: string }> = {
      city: { role: 'city_bureau', scope: '2101' },
      finance: { role: 'city_finance', scope: '2101' },
      'district-210102': { role: 'district_bureau', scope: '210102' },
      'street-210102001': { role: 'street_office', scope: '210102001' },
    };
    for (const [username, want] of Object.entries(expected)) {
      const me = await as(ctx.app, await login(ctx.app, username)).get('/api/auth/me');
      expect(me.statusCode).toBe(200);
      expect(me.json().user.role).toBe(want.role);
      expect(me.json().user.scope.code).toBe(want.scope);
    }
  });

  it('sets an HttpOnly, SameSite=Strict session cookie', async () => {
    const res = await loginRaw({ username: 'city', password: DEMO_PASSWORD });
    const cookie = res.cookies.find((c) => c.name === 'sf_session')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Strict');
    expect(res.body).not.toContain(cookie.value);
  });

  it('refuses a wrong password and an unknown user with the same 401 message', async () => {
    const wrong = await loginRaw({ username: 'finance', password: 'nope' });
    const unknown = await loginRaw({ username: 'nobody', password: 'nope' });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json().message).toBe(unknown.json().message);
    expect(wrong.json().message).toBe('用户名或密码错误');
  });

  it('names the missing field on bad input', async () => {
    const res = await loginRaw({ username: 'city' });
    expect(res.statusCode).toBe(400);
    expect(res.json().field).toBe('password');
    expect(res.json().message).toContain('密码');
    expect(res.json().messageEn).toContain('password');
  });

  it('stores passwords as argon2 hashes only', async () => {
    const rows = await queryRows<{ password_hash: string }>(ctx, sql`select password_hash from app_user where username = 'city'`);
    expect(rows[0]!.password_hash).toMatch(/^\$argon2id\$/);
    expect(rows[0]!.password_hash).not.toContain(DEMO_PASSWORD);
  });

  it('locks an account after repeated wrong passwords, even for the right one', async () => {
    const username = 'district-210103';
    for (let i = 0; i < MAX_FAILED_LOGINS; i++) expect((await loginRaw({ username, password: `bad-${i}` })).statusCode).toBe(401);
    const locked = await loginRaw({ username, password: DEMO_PASSWORD });
    expect(locked.statusCode).toBe(429);
    expect(locked.json().code).toBe('ACCOUNT_LOCKED');
  });

  it('gives a new session on every login and ends it on logout', async () => {
    const first = await login(ctx.app, 'district-210104');
    const second = await login(ctx.app, 'district-210104');
    expect(first).not.toBe(second);
    const client = as(ctx.app, first);
    expect((await client.get('/api/auth/me')).statusCode).toBe(200);
    expect((await client.post('/api/auth/logout')).statusCode).toBe(200);
    expect((await client.get('/api/auth/me')).statusCode).toBe(401);
    // the other session is untouched
    expect((await as(ctx.app, second).get('/api/auth/me')).statusCode).toBe(200);
  });

  it('requires a session for protected routes', async () => {
    expect((await ctx.app.inject({ method: 'GET', url: '/api/regions/2101' })).statusCode).toBe(401);
    expect((await ctx.app.inject({ method: 'GET', url: '/api/regions/2101', headers: { cookie: 'sf_session=forged' } })).statusCode).toBe(
      401,
    );
  });

  it('refuses a cross-site write carrying the session cookie', async () => {
    const cookie = await login(ctx.app, 'street-210102001');
    const res = await ctx.app.inject({
      method: 'PATCH',
      url: '/api/regions/210102001001/profile',
      payload: { representatives: 20 },
      headers: { cookie, origin: 'https://evil.example', host: 'localhost:80' },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('CSRF');
  });

  it('rate-limits login attempts from one address', async () => {
    const limitedCtx = await createTestApp({ seed: false, config: { loginRateLimitPerMinute: 5 } });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 7; i++) {
        const res = await limitedCtx.app.inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { username: `ghost-${i}`, password: 'x' },
        });
        codes.push(res.statusCode);
      }
      expect(codes.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
      expect(codes.slice(5)).toEqual([429, 429]);
    } finally {
      await limitedCtx.close();
    }
  });
});

describe('accounts in scope', () => {
  it('a district bureau lists only accounts of its district', async () => {
    const district = as(ctx.app, await login(ctx.app, 'district-210102'));
    const items = (await district.get('/api/auth/users')).json().items as { username: string; scopeCode: string }[];
    expect(items.length).toBeGreaterThan(5);
    expect(items.every((u) => u.scopeCode.startsWith('210102'))).toBe(true);
    expect(items.some((u) => u.username === 'city')).toBe(false);
  });

  it('a street office lists only accounts of its street (users:read, issue 18); a community may not (403)', async () => {
    const street = as(ctx.app, await login(ctx.app, 'street-210102001'));
    const items = (await street.get('/api/auth/users?pageSize=200')).json().items as { scopeCode: string }[];
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((u) => u.scopeCode.startsWith('210102001'))).toBe(true);
    const community = as(ctx.app, await login(ctx.app, 'community-210102001001'));
    expect((await community.get('/api/auth/users')).statusCode).toBe(403);
  });
});
