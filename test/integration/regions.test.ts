import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestApp, loginAs, queryRows, type TestContext } from '../helpers/app.js';
import { FIELD_LABELS } from '../../server/src/common/field-labels.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestApp();
});
afterAll(async () => ctx?.close());

describe('region tree and scope', () => {
  it('shows the city bureau all 13 districts and 190 streets and towns', async () => {
    const city = await loginAs(ctx.app, 'city');
    const res = await city.get('/api/regions/2101');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.region.name).toBe('沈阳市');
    expect(body.children).toHaveLength(13);
    expect(body.children.map((c: { name: string }) => c.name)).toContain('和平区');
    let streets = 0;
    for (const d of body.children) streets += (await city.get(`/api/regions/${d.code}`)).json().children.length;
    expect(streets).toBe(190);
  });

  it('counts communities under each region', async () => {
    const city = await loginAs(ctx.app, 'city');
    const district = (await city.get('/api/regions/210102')).json();
    const sum = district.children.reduce((s: number, c: { communityCount: number }) => s + c.communityCount, 0);
    expect(district.region.communityCount).toBe(sum);
    expect(district.children.every((c: { communityCount: number }) => c.communityCount >= 3 && c.communityCount <= 6)).toBe(true);
  });

  it('lets a street office open its own community with rating, households and rosters', async () => {
    const street = await loginAs(ctx.app, 'street-210102001');
    const list = (await street.get('/api/regions/210102001/communities')).json();
    expect(list.total).toBeGreaterThanOrEqual(3);
    expect(list.items.every((c: { streetCode: string }) => c.streetCode === '210102001')).toBe(true);
    const first = list.items[0];
    const res = await street.get(`/api/regions/${first.code}`);
    expect(res.statusCode).toBe(200);
    const community = res.json().community;
    expect(community.residentHouseholds).toBeGreaterThanOrEqual(1000);
    expect(community.residentHouseholds).toBeLessThanOrEqual(3000);
    expect(community.representatives).toBeGreaterThanOrEqual(15);
    expect(community.councilMembers).toBeGreaterThanOrEqual(7);
  });

  it('answers 404 for a community of another district, exactly as for one that does not exist', async () => {
    const street = await loginAs(ctx.app, 'street-210102001');
    const other = await street.get('/api/regions/210103005001');
    const missing = await street.get('/api/regions/210103999999');
    expect(other.statusCode).toBe(404);
    expect(missing.statusCode).toBe(404);
    expect(other.json().message).toBe(missing.json().message);
    expect((await street.get('/api/regions/210103005001/communities')).statusCode).toBe(404);
  });

  it('shows a scoped user its ancestors only as breadcrumbs, never their other branches', async () => {
    const street = await loginAs(ctx.app, 'street-210102001');
    const district = (await street.get('/api/regions/210102')).json();
    expect(district.children.map((c: { code: string }) => c.code)).toEqual(['210102001']);
    const city = (await street.get('/api/regions/2101')).json();
    expect(city.children.map((c: { code: string }) => c.code)).toEqual(['210102']);
    const communities = (await street.get('/api/regions/2101/communities?limit=1000')).json();
    expect(communities.items.every((c: { streetCode: string }) => c.streetCode === '210102001')).toBe(true);
  });

  it('limits a community account to itself', async () => {
    const [code] = await queryRows<{ scope_code: string }>(
      ctx,
      sql`select scope_code from app_user where role = 'community' order by id limit 1`,
    );
    const account = await loginAs(ctx.app, `community-${code!.scope_code}`);
    expect((await account.get(`/api/regions/${code!.scope_code}`)).statusCode).toBe(200);
    const street = (await account.get(`/api/regions/${code!.scope_code.slice(0, 9)}`)).json();
    expect(street.children.map((c: { code: string }) => c.code)).toEqual([code!.scope_code]);
  });

  it('searches communities by name within scope', async () => {
    const city = await loginAs(ctx.app, 'city');
    const all = (await city.get('/api/regions/2101/communities?limit=1000')).json();
    const name: string = all.items[10].name;
    const found = (await city.get(`/api/regions/2101/communities?q=${encodeURIComponent(name.slice(0, 2))}`)).json();
    expect(found.items.some((c: { name: string }) => c.name === name)).toBe(true);
    expect(found.items.every((c: { name: string }) => c.name.includes(name.slice(0, 2)))).toBe(true);
  });
});

describe('community profile edits', () => {
  it('a street corrects its community, and the change is audited with before and after', async () => {
    const street = await loginAs(ctx.app, 'street-210102001');
    const code = '210102001001';
    const before = (await street.get(`/api/regions/${code}`)).json().community;
    const res = await street.patch(`/api/regions/${code}/profile`, { residentHouseholds: 2345, representatives: 31 });
    expect(res.statusCode).toBe(200);
    expect(res.json().community.residentHouseholds).toBe(2345);
    const city = await loginAs(ctx.app, 'city');
    const events = (await city.get(`/api/audit/events?entityType=community&entityId=${code}`)).json().items;
    expect(events[0].action).toBe('community.update_profile');
    expect(events[0].before.residentHouseholds).toBe(before.residentHouseholds);
    expect(events[0].after.residentHouseholds).toBe(2345);
    expect(events[0].actorName).toBe('street-210102001');
  });

  it("refuses another district's community with 404 and changes nothing", async () => {
    const street = await loginAs(ctx.app, 'street-210102001');
    const city = await loginAs(ctx.app, 'city');
    const before = (await city.get('/api/regions/210103005001')).json().community;
    const res = await street.patch('/api/regions/210103005001/profile', { residentHouseholds: 1 });
    expect(res.statusCode).toBe(404);
    expect((await city.get('/api/regions/210103005001')).json().community).toEqual(before);
  });

  it('rejects bad input with 400 naming the field in Chinese and English, changing nothing', async () => {
    const street = await loginAs(ctx.app, 'street-210102001');
    const code = '210102001002';
    const before = (await street.get(`/api/regions/${code}`)).json().community;
    const cases: [unknown, string][] = [
      [{ residentHouseholds: -5 }, 'residentHouseholds'],
      [{ residentHouseholds: 'many' }, 'residentHouseholds'],
      [{ representatives: 1.5 }, 'representatives'],
      [{ unknownField: 1 }, 'unknownField'],
      [{ representatives: '20' }, 'representatives'], // JSON bodies are not coerced
    ];
    for (const [payload, field] of cases) {
      const res = await street.patch(`/api/regions/${code}/profile`, payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      const body = res.json();
      expect(body.field).toBe(field);
      // The Chinese half names the field as people call it (common/field-labels.ts), the English half by its key.
      expect(body.message).toContain(FIELD_LABELS[field] ?? field);
      expect(body.message).toMatch(/[\u4e00-\u9fa5]/);
      expect(body.messageEn).toContain(field);
    }
    expect((await street.get(`/api/regions/${code}`)).json().community).toEqual(before);
  });

  it('does not let a community account edit (no regions:write) — 403', async () => {
    const [code] = await queryRows<{ scope_code: string }>(
      ctx,
      sql`select scope_code from app_user where role = 'community' order by id limit 1`,
    );
    const account = await loginAs(ctx.app, `community-${code!.scope_code}`);
    expect((await account.patch(`/api/regions/${code!.scope_code}/profile`, { representatives: 20 })).statusCode).toBe(403);
  });
});
