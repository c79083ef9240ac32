import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { as, createTestApp, DEMO_PASSWORD, login, loginAs, queryRows, type TestContext } from '../helpers/app.js';
import { encodeGbk } from '../helpers/gbk.js';
import { MAX_FAILED_LOGINS } from '../../server/src/modules/auth/auth.service.js';

/** Account administration (issue 18, ADR 0012): scope, privilege ceiling, last administrator, one-time passwords, import. */
let ctx: TestContext;
let street: ReturnType<typeof as>;
let district: ReturnType<typeof as>;
let city: ReturnType<typeof as>;
/** Communities of street 210102001 (the street account's own) and of another street of the district. */
let own: string[];
let other: string[];

beforeAll(async () => {
  ctx = await createTestApp();
  street = await loginAs(ctx.app, 'street-210102001');
  district = await loginAs(ctx.app, 'district-210102');
  city = await loginAs(ctx.app, 'city');
  const communities = async (prefix: string) =>
    (
      await queryRows<{ code: string }>(
        ctx,
        sql`select code from region where level = 'community' and code like ${`${prefix}%`} order by code`,
      )
    ).map((r) => r.code);
  own = await communities('210102001');
  other = await communities('210102002');
});
afterAll(async () => ctx?.close());

const account = (username: string, role: string, regionCode: string, extra: Record<string, unknown> = {}) => ({
  username,
  displayName: `测试账号 ${username}`,
  role,
  regionCode,
  ...extra,
});

const userCount = async (username: string) =>
  (await queryRows<{ n: number }>(ctx, sql`select count(*)::int as n from app_user where username = ${username}`))[0]!.n;

/** Every audit event of an entity, chained or still in the inbox. */
const auditOf = async (userId: number) =>
  queryRows<{ action: string; before: unknown; after: unknown }>(
    ctx,
    sql`select action, before, after from audit_event where entity_type = 'user' and entity_id = ${String(userId)}
        union all
        select action, before, after from audit_inbox where entity_type = 'user' and entity_id = ${String(userId)}`,
  );

const signIn = (username: string, password: string) =>
  ctx.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });

describe('scope of administration', () => {
  it('a street creates a community account in its own street, with a one-time password', async () => {
    const res = await street.post('/api/auth/users', account('acc-own-1', 'community', own[1]!, { phone: '13800000001' }));
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.user).toMatchObject({
      username: 'acc-own-1',
      role: 'community',
      scopeCode: own[1],
      mustChangePassword: true,
      manageable: true,
    });
    expect(body.oneTimePassword).toMatch(/^[A-Za-z0-9]{12}$/);
    const stored = await queryRows<{ password_hash: string }>(ctx, sql`select password_hash from app_user where username = 'acc-own-1'`);
    expect(stored[0]!.password_hash).toMatch(/^\$argon2/);
    expect(stored[0]!.password_hash).not.toContain(body.oneTimePassword);
  });

  it('a street may not create an account in another street (400 naming regionCode)', async () => {
    const res = await street.post('/api/auth/users', account('acc-other-1', 'community', other[0]!));
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'INVALID_REGION_CODE', field: 'regionCode' });
    expect(await userCount('acc-other-1')).toBe(0);
  });

  it('a district creates a street account; the city creates a district account', async () => {
    const s = await district.post('/api/auth/users', account('acc-street-2', 'street_office', '210102002'));
    expect(s.statusCode, s.body).toBe(200);
    const d = await city.post('/api/auth/users', account('acc-district-3', 'district_bureau', '210103'));
    expect(d.statusCode, d.body).toBe(200);
    expect(d.json().user).toMatchObject({ role: 'district_bureau', scopeCode: '210103' });
  });
});

describe('privilege ceiling', () => {
  it('a street cannot create a district bureau account (403 naming role)', async () => {
    const res = await street.post('/api/auth/users', account('acc-up-1', 'district_bureau', '210102'));
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ code: 'ROLE_NOT_ASSIGNABLE', field: 'role' });
    expect(await userCount('acc-up-1')).toBe(0);
  });

  it('a street cannot create a street account of another street', async () => {
    const res = await street.post('/api/auth/users', account('acc-up-2', 'street_office', '210102002'));
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'INVALID_REGION_CODE', field: 'regionCode' });
    expect(await userCount('acc-up-2')).toBe(0);
  });

  it('the city does not administer street accounts', async () => {
    const res = await city.post('/api/auth/users', account('acc-up-3', 'street_office', '210102002'));
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('ROLE_NOT_ASSIGNABLE');
  });

  it("an account outside the caller's region reads as absent (404), whatever the change", async () => {
    const ids = await queryRows<{ id: number; username: string }>(
      ctx,
      sql`select id, username from app_user where username in ('district-210102', 'street-210102002') order by username`,
    );
    for (const { id } of ids) {
      const edit = await street.patch(`/api/auth/users/${id}`, { displayName: '越权修改' });
      expect(edit.statusCode).toBe(404);
      expect(edit.json().code).toBe('ACCOUNT_NOT_FOUND');
      expect((await street.post(`/api/auth/users/${id}/reset-password`)).statusCode).toBe(404);
    }
    const names = await queryRows<{ display_name: string }>(
      ctx,
      sql`select display_name from app_user where id in (${ids[0]!.id}, ${ids[1]!.id})`,
    );
    expect(names.some((n) => n.display_name === '越权修改')).toBe(false);
  });

  it('a community creates nothing and lists nothing', async () => {
    const community = await loginAs(ctx.app, 'community-210102001001');
    expect((await community.post('/api/auth/users', account('acc-up-4', 'community', '210102001001'))).statusCode).toBe(403);
    expect((await community.get('/api/auth/users')).statusCode).toBe(403);
    expect(await userCount('acc-up-4')).toBe(0);
  });
});

describe('duplicate usernames', () => {
  it('a taken username is 409 USERNAME_TAKEN', async () => {
    const res = await street.post('/api/auth/users', account('street-210102001', 'community', own[2]!));
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'USERNAME_TAKEN', field: 'username' });
  });

  it('two identical creates at once: exactly one 200, one 409', async () => {
    const body = account('acc-race-1', 'community', own[2]!);
    const results = await Promise.all([street.post('/api/auth/users', body), street.post('/api/auth/users', body)]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    expect(results.find((r) => r.statusCode === 409)!.json().code).toBe('USERNAME_TAKEN');
    expect(await userCount('acc-race-1')).toBe(1);
  });
});

describe('invalid fields are named and nothing changes', () => {
  it.each([
    ['username', account('Bad Name', 'community', '210102001002')],
    ['phone', account('acc-bad-phone', 'community', '210102001002', { phone: '12345' })],
    ['regionCode', account('acc-bad-level', 'community', '210102001')],
  ])('names %s', async (field, body) => {
    const before = (await queryRows<{ n: number }>(ctx, sql`select count(*)::int as n from app_user`))[0]!.n;
    const res = await street.post('/api/auth/users', body);
    expect(res.statusCode).toBe(400);
    expect(res.json().field).toBe(field);
    expect(res.json().message).toMatch(/[\u4e00-\u9fff]/);
    expect(res.json().messageEn).toContain(field);
    expect((await queryRows<{ n: number }>(ctx, sql`select count(*)::int as n from app_user`))[0]!.n).toBe(before);
  });
});

describe('the last administrator and oneself', () => {
  it('the last enabled administrator of a street cannot be disabled; with a colleague it can', async () => {
    const target = (await district.get('/api/auth/users?q=street-210102016')).json().items[0];
    expect(target.username).toBe('street-210102016');
    const refused = await district.patch(`/api/auth/users/${target.id}`, { disabled: true });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().code).toBe('LAST_ADMINISTRATOR');
    expect((await queryRows<{ disabled: number }>(ctx, sql`select disabled from app_user where id = ${target.id}`))[0]!.disabled).toBe(0);
    expect((await district.post('/api/auth/users', account('acc-street-16b', 'street_office', '210102016'))).statusCode).toBe(200);
    const done = await district.patch(`/api/auth/users/${target.id}`, { disabled: true });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json().user.disabled).toBe(true);
    const events = await auditOf(target.id);
    expect(events.map((e) => e.action)).toContain('user.disable');
  });

  it("two concurrent disables of a street's last two administrators: one wins, one administrator stays", async () => {
    const colleague = (await district.post('/api/auth/users', account('acc-street-19b', 'street_office', '210102019'))).json().user;
    const first = (await district.get('/api/auth/users?q=street-210102019')).json().items[0];
    const results = await Promise.all([
      district.patch(`/api/auth/users/${first.id}`, { disabled: true }),
      district.patch(`/api/auth/users/${colleague.id}`, { disabled: true }),
    ]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 422]);
    const enabled = await queryRows<{ n: number }>(
      ctx,
      sql`select count(*)::int as n from app_user where scope_code = '210102019' and role = 'street_office' and disabled = 0`,
    );
    expect(enabled[0]!.n).toBe(1);
  });

  it('one cannot disable oneself', async () => {
    const me = (await street.get('/api/auth/me')).json().user;
    const res = await street.patch(`/api/auth/users/${me.id}`, { disabled: true });
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('SELF_ADMINISTRATION');
  });
});

describe('disabling, one-time passwords and resets', () => {
  /** A community account of the street, its password changed from the one-time one to `password`. */
  async function activeAccount(username: string, regionCode: string, password: string) {
    const created = (await street.post('/api/auth/users', account(username, 'community', regionCode))).json();
    const session = as(ctx.app, await login(ctx.app, username, created.oneTimePassword));
    const changed = await session.post('/api/auth/password', { currentPassword: created.oneTimePassword, newPassword: password });
    expect(changed.statusCode, changed.body).toBe(200);
    return { id: created.user.id as number, session };
  }

  it('disabling ends the sessions and blocks sign-in; re-enabling restores it', async () => {
    const { id, session } = await activeAccount('acc-disable-1', own[3]!, 'Working1pass');
    expect((await session.get(`/api/regions/${own[3]}`)).statusCode).toBe(200);
    const res = await street.patch(`/api/auth/users/${id}`, { disabled: true });
    expect(res.statusCode, res.body).toBe(200);
    expect((await session.get('/api/auth/me')).statusCode).toBe(401);
    expect((await signIn('acc-disable-1', 'Working1pass')).statusCode).toBe(401);
    expect((await street.patch(`/api/auth/users/${id}`, { disabled: false })).statusCode).toBe(200);
    expect((await signIn('acc-disable-1', 'Working1pass')).statusCode).toBe(200);
    expect((await auditOf(id)).map((e) => e.action)).toEqual(expect.arrayContaining(['user.create', 'user.disable', 'user.enable']));
  });

  it('a one-time password signs in but must be changed before anything else', async () => {
    const created = (await street.post('/api/auth/users', account('acc-otp-1', 'community', own[4]!))).json();
    const res = await signIn('acc-otp-1', created.oneTimePassword);
    expect(res.statusCode).toBe(200);
    expect(res.json().user.mustChangePassword).toBe(true);
    const session = as(ctx.app, `sf_session=${res.cookies.find((c) => c.name === 'sf_session')!.value}`);
    const blocked = await session.get(`/api/regions/${own[4]}`);
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().code).toBe('PASSWORD_CHANGE_REQUIRED');
    expect((await session.get('/api/auth/me')).json().user.mustChangePassword).toBe(true);
    const changed = await session.post('/api/auth/password', { currentPassword: created.oneTimePassword, newPassword: 'Fresh2password' });
    expect(changed.statusCode, changed.body).toBe(200);
    expect((await session.get(`/api/regions/${own[4]}`)).statusCode).toBe(200);
    expect((await session.get('/api/auth/me')).json().user.mustChangePassword).toBe(false);
    const row = await queryRows<{ must_change_password: boolean; last_login_at: Date | null }>(
      ctx,
      sql`select must_change_password, last_login_at from app_user where username = 'acc-otp-1'`,
    );
    expect(row[0]).toMatchObject({ must_change_password: false });
    expect(row[0]!.last_login_at).not.toBeNull();
  });

  it('a reset issues a new one-time password: it works, the old one does not, the lockout clears', async () => {
    const { id, session } = await activeAccount('acc-reset-1', own[5]!, 'Before1password');
    for (let i = 0; i < MAX_FAILED_LOGINS; i++) await signIn('acc-reset-1', 'wrong-password-1');
    expect((await signIn('acc-reset-1', 'Before1password')).statusCode).toBe(429);
    const reset = await street.post(`/api/auth/users/${id}/reset-password`);
    expect(reset.statusCode, reset.body).toBe(200);
    expect(reset.json().user.mustChangePassword).toBe(true);
    expect((await session.get('/api/auth/me')).statusCode).toBe(401);
    expect((await signIn('acc-reset-1', 'Before1password')).statusCode).toBe(401);
    const fresh = await signIn('acc-reset-1', reset.json().oneTimePassword);
    expect(fresh.statusCode).toBe(200);
    expect(fresh.json().user.mustChangePassword).toBe(true);
    const events = await auditOf(id);
    expect(events.map((e) => e.action)).toContain('user.reset_password');
    expect(JSON.stringify(events)).not.toMatch(/argon2|Before1password|passwordHash/);
    expect(JSON.stringify(events)).not.toContain(reset.json().oneTimePassword);
  });

  it('an edit is audited with before and after', async () => {
    const target = (await street.get(`/api/auth/users?q=acc-own-1`)).json().items[0];
    const res = await street.patch(`/api/auth/users/${target.id}`, { displayName: '改名后的社区', phone: '024-23456789' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().user).toMatchObject({ displayName: '改名后的社区', phone: '024-23456789' });
    const update = (await auditOf(target.id)).find((e) => e.action === 'user.update')!;
    expect(update.before).toMatchObject({ displayName: '测试账号 acc-own-1', phone: '13800000001' });
    expect(update.after).toMatchObject({ displayName: '改名后的社区', phone: '024-23456789' });
  });
});

describe('import (all or nothing)', () => {
  const csv = (rows: string[][]) => ['用户名,姓名/名称,角色,区划代码,手机', ...rows.map((r) => r.join(','))].join('\r\n');
  const gbk = (text: string) => ({ format: 'csv', contentEncoding: 'base64', content: encodeGbk(text).toString('base64') });

  it('a dry run of a GBK file reports the encoding and every row, creating nothing', async () => {
    const file = csv([
      ['imp-a', '和睦社区居委会', '社区两委', own[1]!, '13900000001'],
      ['imp-b', '第二社区居委会', 'community', own[2]!, ''],
    ]);
    const res = await street.post('/api/auth/users/import', { ...gbk(file), dryRun: true });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ encoding: 'gb18030', dryRun: true, created: 0 });
    expect(res.json().rows.map((r: { ok: boolean; displayName: string }) => [r.ok, r.displayName])).toEqual([
      [true, '和睦社区居委会'],
      [true, '第二社区居委会'],
    ]);
    expect(await userCount('imp-a')).toBe(0);
  });

  it('one bad row (region code, role) refuses the whole file: 422 naming row and field, nothing created', async () => {
    const file = csv([
      ['imp-c', '好的社区', '社区"两委"', own[1]!, ''],
      ['imp-d', '坏区划', '社区两委', '210102999999', ''],
      ['imp-e', '坏角色', '超级管理员', own[2]!, ''],
      ['imp-f', '别的街道', '社区两委', other[1]!, ''],
    ]);
    const res = await street.post('/api/auth/users/import', gbk(file));
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('IMPORT_ROWS_INVALID');
    const rows = res.json().details.rows as { row: number; ok: boolean; errors: { field: string }[] }[];
    expect(rows.filter((r) => !r.ok).map((r) => [r.row, r.errors.map((e) => e.field)])).toEqual([
      [2, ['regionCode']],
      [3, ['role']],
      [4, ['regionCode']],
    ]);
    for (const u of ['imp-c', 'imp-d', 'imp-e', 'imp-f']) expect(await userCount(u)).toBe(0);
  });

  it('duplicates within the file and against existing accounts are row errors', async () => {
    const file = csv([
      ['imp-g', '甲', '社区两委', own[1]!, ''],
      ['imp-g', '乙', '社区两委', own[2]!, ''],
      ['acc-own-1', '丙', '社区两委', own[2]!, ''],
    ]);
    const res = await street.post('/api/auth/users/import', { ...gbk(file), dryRun: true });
    expect(res.json().rows.map((r: { ok: boolean }) => r.ok)).toEqual([true, false, false]);
    expect(res.json().rows[1].errors[0].field).toBe('username');
  });

  it('a good file creates every account with a one-time password, audited', async () => {
    const file = csv([
      ['imp-h', '和睦社区居委会', '社区两委', own[1]!, '13900000001'],
      ['imp-i', '第二社区居委会', 'community', own[2]!, ''],
    ]);
    const res = await street.post('/api/auth/users/import', gbk(file));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ encoding: 'gb18030', dryRun: false, created: 2 });
    const first = res.json().rows[0];
    const signedIn = await signIn('imp-h', first.oneTimePassword);
    expect(signedIn.statusCode).toBe(200);
    expect(signedIn.json().user).toMatchObject({ displayName: '和睦社区居委会', mustChangePassword: true });
    const id = signedIn.json().user.id as number;
    expect((await auditOf(id)).map((e) => e.action).filter((a) => a.startsWith('user.'))).toEqual(['user.import']);
  });

  it('reads the xlsx template back (the sample row is reported, its username being taken)', async () => {
    const template = await street.get('/api/auth/users/template?format=xlsx');
    expect(template.statusCode).toBe(200);
    const res = await street.post('/api/auth/users/import', {
      format: 'xlsx',
      content: template.rawPayload.toString('base64'),
      dryRun: true,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().encoding).toBe('xlsx');
    expect(res.json().rows).toHaveLength(1);
    expect(res.json().rows[0]).toMatchObject({ username: 'community-210102001001', role: 'community', ok: false });
    expect(res.json().rows[0].errors.map((e: { field: string }) => e.field)).toEqual(['username']);
  });

  it('the template lists the import columns', async () => {
    const res = await street.get('/api/auth/users/template?format=csv');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('用户名,姓名/名称,角色,区划代码,手机');
  });
});

describe('list and export', () => {
  it('filters by role, region, text and status, pages, and says what the caller may manage', async () => {
    const page1 = (await district.get('/api/auth/users?role=street_office&pageSize=3&page=1')).json();
    const page2 = (await district.get('/api/auth/users?role=street_office&pageSize=3&page=2')).json();
    expect(page1.items).toHaveLength(3);
    expect(page1.total).toBeGreaterThan(6);
    expect(page2.total).toBe(page1.total);
    expect(page2.items.map((u: { id: number }) => u.id)).not.toEqual(expect.arrayContaining(page1.items.map((u: { id: number }) => u.id)));
    expect(page1.items.every((u: { role: string; manageable: boolean }) => u.role === 'street_office' && u.manageable)).toBe(true);

    const inStreet = (await district.get('/api/auth/users?regionCode=210102001&pageSize=200')).json();
    expect(inStreet.items.every((u: { scopeCode: string }) => u.scopeCode.startsWith('210102001'))).toBe(true);
    expect(inStreet.items.map((u: { username: string }) => u.username)).toContain('acc-own-1');

    const byPhone = (await street.get('/api/auth/users?q=024-2345')).json();
    expect(byPhone.items.map((u: { username: string }) => u.username)).toEqual(['acc-own-1']);

    const disabled = (await district.get('/api/auth/users?status=disabled')).json();
    expect(disabled.items.map((u: { username: string }) => u.username)).toContain('street-210102016');

    const fromCity = (await city.get('/api/auth/users?regionCode=210102&pageSize=200')).json().items as {
      role: string;
      manageable: boolean;
    }[];
    expect(fromCity.find((u) => u.role === 'district_bureau')!.manageable).toBe(true);
    expect(fromCity.find((u) => u.role === 'street_office')!.manageable).toBe(false);

    const fromStreet = (await street.get('/api/auth/users?pageSize=200')).json().items as { username: string }[];
    expect(fromStreet.some((u) => u.username === 'district-210102' || u.username.startsWith('street-210102002'))).toBe(false);
  });

  it('exports the list as xlsx (and csv) without passwords', async () => {
    const xlsx = await district.get('/api/auth/users/export?format=xlsx&role=street_office');
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe('PK');
    const csvFile = await district.get('/api/auth/users/export?format=csv&regionCode=210102001');
    expect(csvFile.body).toContain('acc-own-1');
    expect(csvFile.body).not.toMatch(/argon2/);
  });

  it('a street gains users:read and users:write; what it may assign is its own street', async () => {
    const me = (await street.get('/api/auth/me')).json().user;
    expect(me.permissions).toEqual(expect.arrayContaining(['users:read', 'users:write']));
    const assignable = (await street.get('/api/auth/users/assignable')).json();
    expect(assignable.root.code).toBe('210102001');
    expect(assignable.roles.map((r: { role: string }) => r.role)).toEqual(['street_office', 'community']);
  });
});

// The demo password still signs in the seeded accounts (the seed is untouched by administration).
it('seeded accounts keep their password and are not forced to change it', async () => {
  const res = await signIn('street-210102001', DEMO_PASSWORD);
  expect(res.json().user.mustChangePassword).toBe(false);
});
