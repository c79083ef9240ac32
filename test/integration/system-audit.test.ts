import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { API_TAGS } from '../../server/src/app.js';
import { createTestApp, loginAs, queryRows, type TestContext } from '../helpers/app.js';
import { seedDemoCity } from '../../server/src/seed/seed.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestApp();
});
afterAll(async () => ctx?.close());

describe('health and API document', () => {
  it('reports the database kind', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/api/health' });
    expect(res.json()).toEqual({ status: 'ok', db: process.env.DATABASE_URL ? 'postgres' : 'pglite' });
  });

  it('documents every route, each tagged with its module and declaring its error responses', async () => {
    const doc = (await ctx.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    const known = new Set(API_TAGS.map(([t]) => t));
    const operations = Object.entries(doc.paths as Record<string, Record<string, { tags?: string[] }>>).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => ({ path, method, tags: op.tags ?? [] })),
    );
    expect(operations.length).toBeGreaterThan(15);
    for (const op of operations) {
      expect(op.tags.length, `${op.method} ${op.path}`).toBeGreaterThan(0);
      for (const t of op.tags) expect(known.has(t as never), `${op.path} tag ${t}`).toBe(true);
    }
    for (const tag of ['auth', 'regions', 'policy', 'calendar', 'audit']) expect(operations.some((o) => o.tags.includes(tag))).toBe(true);
  });

  it('serves the interactive docs', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/api/docs/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
  });

  it('sends security headers', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/api/health' });
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('answers unknown API paths with a JSON 404', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/api/nothing-here' });
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('NOT_FOUND');
  });
});

describe('demo seed', () => {
  it('rates 50 / 100 / 200 communities for 2022, spread over every district', async () => {
    const rows = await queryRows<{ stars: number; n: number }>(
      ctx,
      sql`select stars, count(*)::int as n from rating where year = 2022 group by stars order by stars desc`,
    );
    expect(rows).toEqual([
      { stars: 5, n: 50 },
      { stars: 4, n: 100 },
      { stars: 3, n: 200 },
    ]);
    const districts = await queryRows<{ n: number }>(
      ctx,
      sql`select count(distinct split_part(r.path, '/', 2))::int as n from rating x join region r on r.code = x.community_code where x.year = 2022 and x.stars = 5`,
    );
    expect(districts[0]!.n).toBe(13);
  });

  it('gives communities 1,000–3,000 households, 15–40 representatives and 7–15 council members', async () => {
    const [range] = await queryRows<Record<string, number>>(
      ctx,
      sql`select min(resident_households) as hmin, max(resident_households) as hmax,
      min(representatives) as rmin, max(representatives) as rmax, min(council_members) as cmin, max(council_members) as cmax, count(*)::int as n from community_profile`,
    );
    expect(range!.hmin).toBeGreaterThanOrEqual(1000);
    expect(range!.hmax).toBeLessThanOrEqual(3000);
    expect(range!.rmin).toBeGreaterThanOrEqual(15);
    expect(range!.rmax).toBeLessThanOrEqual(40);
    expect(range!.cmin).toBeGreaterThanOrEqual(7);
    expect(range!.cmax).toBeLessThanOrEqual(15);
    expect(range!.n).toBeGreaterThan(350);
  });

  it('seeds nothing twice', async () => {
    const before = await queryRows<{ n: number }>(ctx, sql`select count(*)::int as n from region`);
    expect(await seedDemoCity(ctx.database.db, ctx.app.services)).toBeNull();
    const after = await queryRows<{ n: number }>(ctx, sql`select count(*)::int as n from region`);
    expect(after).toEqual(before);
  });
});

describe('audit chain', () => {
  it('verifies after writes, and names the first event altered behind its back', async () => {
    const city = await loginAs(ctx.app, 'city');
    await city.patch('/api/regions/210102001003/profile', { councilMembers: 11 });
    const ok = (await city.get('/api/audit/verify')).json();
    expect(ok.ok).toBe(true);
    expect(ok.count).toBeGreaterThan(3);

    const [target] = await queryRows<{ seq: number }>(
      ctx,
      sql`select seq from audit_event where action = 'community.update_profile' order by seq desc limit 1`,
    );
    await ctx.database.db.execute(sql`update audit_event set after = '{"councilMembers": 3}'::jsonb where seq = ${target!.seq}`);
    const broken = (await city.get('/api/audit/verify')).json();
    expect(broken.ok).toBe(false);
    expect(broken.brokenSeq).toBe(target!.seq);
    expect(broken.reason).toContain('hash');
  });

  it('shows a district only the events of its own regions', async () => {
    const street = await loginAs(ctx.app, 'street-210103005');
    await street.patch('/api/regions/210103005001/profile', { representatives: 22 });
    const district = await loginAs(ctx.app, 'district-210102');
    const items = (await district.get('/api/audit/events?limit=500')).json().items as { regionPath: string | null }[];
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((e) => e.regionPath?.startsWith('2101/210102'))).toBe(true);
  });
});
