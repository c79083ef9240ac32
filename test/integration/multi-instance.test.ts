import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { buildApp, type App } from '../../server/src/app.js';
import { loadConfig } from '../../server/src/config.js';
import { TEST_NOW } from '../helpers/test-clock.js';
import { openDatabase, type Database } from '../../server/src/db/client.js';
import { runMigrations } from '../../server/src/db/migrate.js';
import { seedDemoCity } from '../../server/src/seed/seed.js';
import { AuditService } from '../../server/src/modules/audit/audit.service.js';
import { verifyAll } from '../../server/src/modules/invariants/invariants.service.js';
import { as, createTestDatabase, login } from '../helpers/app.js';

/**
 * Two app instances on two connection pools of one PostgreSQL database behave as one: sessions
 * are shared, logout on one ends the session on both, concurrent audited writes keep one valid
 * chain, and two instances starting together on an empty database migrate and seed it once.
 */
type Created = Awaited<ReturnType<typeof createTestDatabase>>;
const created: Created[] = [];
const opened: Database[] = [];
const apps: App[] = [];

async function instance(url: string): Promise<App> {
  const database = await openDatabase({ databaseUrl: url, dataDir: '' });
  opened.push(database);
  await runMigrations(database);
  const app = await buildApp(
    { ...loadConfig({ STARFUND_NOW: TEST_NOW }), logLevel: 'silent', webDir: null, seedDemo: false, loginRateLimitPerMinute: 10_000 },
    database,
  );
  await app.ready();
  apps.push(app);
  return app;
}

afterAll(async () => {
  for (const app of apps) await app.close();
  for (const d of opened) await d.close().catch(() => undefined);
  for (const c of created) await c.drop().catch(() => undefined);
});

describe.runIf(!!process.env.DATABASE_URL)('several instances on one PostgreSQL', () => {
  let a: App;
  let b: App;

  beforeAll(async () => {
    const c = await createTestDatabase();
    created.push(c);
    // Both start together on an empty database: migrations under the advisory lock, the seed claimed once.
    [a, b] = await Promise.all([instance(c.databaseUrl!), instance(c.databaseUrl!)]);
    const seeded = await Promise.all([seedDemoCity(a.database.db, a.services), seedDemoCity(b.database.db, b.services)]);
    expect(seeded.filter((s) => s !== null)).toHaveLength(1);
  });

  it('seeded the city exactly once', async () => {
    const r = (await a.database.db.execute(sql`select (select count(*)::int from app_meta where key = 'demo_seed') as markers,
      (select count(*)::int from app_user where username = 'city') as cities,
      (select count(*)::int from audit_event where action = 'seed.demo_city') as seeds`)) as unknown as {
      rows: { markers: number; cities: number; seeds: number }[];
    };
    expect(r.rows[0]).toEqual({ markers: 1, cities: 1, seeds: 1 });
  });

  it('a session made on one instance works on the other, and logout on either ends it on both', async () => {
    const cookie = await login(a, 'district-210102');
    expect((await as(b, cookie).get('/api/auth/me')).json().user.username).toBe('district-210102');
    expect((await as(b, cookie).post('/api/auth/logout')).statusCode).toBe(200);
    expect((await as(a, cookie).get('/api/auth/me')).statusCode).toBe(401);
    expect((await as(b, cookie).get('/api/auth/me')).statusCode).toBe(401);
  });

  it('concurrent audited writes from both instances keep one valid audit chain', async () => {
    const onA = as(a, await login(a, 'street-210102001'));
    const onB = as(b, await login(b, 'district-210102'));
    const before = await new AuditService(a.database.db).verify();
    const writes = Array.from({ length: 12 }, (_, i) =>
      (i % 2 === 0 ? onA : onB).patch('/api/regions/210102001001/profile', { representatives: 30 + i }),
    );
    const results = await Promise.all(writes);
    expect(results.map((r) => r.statusCode)).toEqual(Array(12).fill(200));
    const after = await new AuditService(b.database.db).verify();
    expect(after.ok && after.headMatches).toBe(true);
    expect(after.count).toBe(before.count + 12);
  });

  it('leaves data that passes every business invariant (npm run verify)', async () => {
    const report = await verifyAll(a.database.db);
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
  });
});
