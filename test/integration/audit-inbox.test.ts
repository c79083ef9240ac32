import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { buildApp, type App } from '../../server/src/app.js';
import { loadConfig } from '../../server/src/config.js';
import { TEST_NOW } from '../helpers/test-clock.js';
import { openDatabase, type Database } from '../../server/src/db/client.js';
import { runMigrations } from '../../server/src/db/migrate.js';
import { AuditService } from '../../server/src/modules/audit/audit.service.js';
import { createTestApp, createTestDatabase, login, loginAs, queryRows, type TestContext } from '../helpers/app.js';

/**
 * The audit inbox (ADR 0007): writers record events without locking the chain head, and the
 * chainer moves them onto the hash chain. Many concurrent writes leave one valid chain with one
 * event each; a write's event is chained, and the head has moved, when its response arrives; an
 * event a stopped process left in the inbox is chained at the next start, and by anything that
 * reads the chain.
 */
let ctx: TestContext;
let communities: string[];
beforeAll(async () => {
  ctx = await createTestApp();
  communities = (await queryRows<{ code: string }>(ctx, sql`select code from region where level = 'community' order by code limit 40`)).map(
    (r) => r.code,
  );
});
afterAll(async () => ctx?.close());

const head = async (database: Pick<TestContext, 'database'> = ctx) =>
  (await queryRows<{ seq: number; hash: string }>(database, sql`select seq, hash from audit_head where id = 1`))[0]!;
const inboxCount = async (database: Pick<TestContext, 'database'> = ctx) =>
  (await queryRows<{ n: number }>(database, sql`select count(*)::int as n from audit_inbox`))[0]!.n;
/** The chained events of profile corrections whose address carries `marker`. */
const chainedWith = (marker: string) =>
  queryRows<{ seq: number; address: string }>(
    ctx,
    sql`select seq, after->>'address' as address from audit_event
    where action = 'community.update_profile' and after->>'address' like ${`${marker}%`} order by seq`,
  );

/** An inbox row committed directly, as a process killed between its commit and the chaining leaves it. */
async function leaveInInbox(database: Database, entityId: string) {
  await database.db
    .execute(sql`insert into audit_inbox (at, actor_user_id, actor_name, action, entity_type, entity_id, region_path, before, after)
    values (now(), null, 'system', 'test.left_behind', 'test', ${entityId}, null, null, ${JSON.stringify({ note: 'committed, never chained', n: 1.5, list: [1, 'x', null] })}::jsonb)`);
}

describe('the audit inbox', () => {
  it('many concurrent writes through the API leave one valid chain with exactly one event per write', async () => {
    const city = await login(ctx.app, 'city');
    const before = await ctx.app.services.audit.verify();
    expect(before.ok && before.headMatches).toBe(true);
    const writes = communities.map((code, i) =>
      ctx.app.inject({
        method: 'PATCH',
        url: `/api/regions/${code}/profile`,
        headers: { cookie: city },
        payload: { address: `concurrent-${i}` },
      }),
    );
    const results = await Promise.all(writes);
    expect(results.map((r) => r.statusCode)).toEqual(communities.map(() => 200));

    const events = await chainedWith('concurrent-');
    expect(events.map((e) => e.address).sort()).toEqual(communities.map((_, i) => `concurrent-${i}`).sort());
    expect(await inboxCount()).toBe(0);
    const after = await ctx.app.services.audit.verify();
    expect(after).toMatchObject({ ok: true, headMatches: true, count: before.count + communities.length });
    const rows = await queryRows<{ n: number; min: number; max: number }>(
      ctx,
      sql`select count(*)::int as n, min(seq)::int as min, max(seq)::int as max from audit_event`,
    );
    expect(rows[0]).toEqual({ n: after.count, min: 1, max: after.count });
  });

  it("has each write's event on the chain, and the head moved past it, when its HTTP response arrives", async () => {
    // A real socket, so that request bodies are parsed as in production, not injected.
    const address = await ctx.app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const cookie = await login(ctx.app, 'city');
      const url = typeof address === 'string' ? address : `http://127.0.0.1:${(ctx.app.server.address() as AddressInfo).port}`;
      const checks = communities.map(async (code, i) => {
        const res = await fetch(`${url}/api/regions/${code}/profile`, {
          method: 'PATCH',
          headers: { 'content-type': 'application/json', cookie, origin: url },
          body: JSON.stringify({ address: `answered-${i}` }),
        });
        expect(res.status).toBe(200);
        // Checked the moment this response arrives, while other writes are still running.
        const [event] = await chainedWith(`answered-${i}`);
        expect(event, `answered-${i} chained by its response`).toBeDefined();
        expect((await head()).seq).toBeGreaterThanOrEqual(event!.seq);
      });
      await Promise.all(checks);
    } finally {
      await ctx.app.server.close();
    }
    const check = await ctx.app.services.audit.verify();
    expect(check.ok && check.headMatches).toBe(true);
  });

  it('moves the head before answering a write that a cached read depends on, and not for a read', async () => {
    const street = await loginAs(ctx.app, 'street-210102001');
    const h0 = await head();
    expect((await street.get('/api/regions/210102001001')).statusCode).toBe(200);
    expect(await head()).toEqual(h0);
    expect((await street.patch('/api/regions/210102001001/profile', { representatives: 27 })).statusCode).toBe(200);
    const h1 = await head();
    expect(h1.seq).toBe(h0.seq + 1);
    expect(await inboxCount()).toBe(0);
  });

  it('chains what verify, the audit list and the daily heads would otherwise miss', async () => {
    await leaveInInbox(ctx.database, 'read-verify');
    const count = (await queryRows<{ n: number }>(ctx, sql`select count(*)::int as n from audit_event`))[0]!.n;
    const check = await new AuditService(ctx.database.db).verify();
    expect(check).toMatchObject({ ok: true, headMatches: true, count: count + 1 });

    await leaveInInbox(ctx.database, 'read-list');
    const city = await loginAs(ctx.app, 'city');
    const items = (await city.get('/api/audit/events?entityType=test&limit=10')).json().items as { entityId: string; after: unknown }[];
    expect(items.map((e) => e.entityId)).toContain('read-list');
    expect(items.find((e) => e.entityId === 'read-list')?.after).toEqual({
      note: 'committed, never chained',
      n: 1.5,
      list: [1, 'x', null],
    });

    await leaveInInbox(ctx.database, 'read-days');
    const days = await ctx.app.inject({ method: 'GET', url: '/api/public/audit/daily-heads' });
    expect(days.statusCode).toBe(200);
    expect((days.json() as { days: { headHash: string }[] }).days[0]!.headHash).toBe((await head()).hash);
    expect(await inboxCount()).toBe(0);
  });
});

describe('an event a stopped process left in the inbox', () => {
  let database: Database;
  let app: App | null = null;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const created = await createTestDatabase({ fromSeededSnapshot: true });
    database = created.database;
    drop = created.drop;
    await runMigrations(database);
  });
  afterAll(async () => {
    await app?.close();
    await drop?.();
  });

  it('is chained when the next app starts, and the chain verifies', async () => {
    const before = await new AuditService(database.db).verify();
    expect(before.ok && before.headMatches).toBe(true);
    await leaveInInbox(database, 'startup');
    // Built, not yet ready: no timer runs, so only the start can chain it.
    app = await buildApp({ ...loadConfig({ STARFUND_NOW: TEST_NOW }), logLevel: 'silent', webDir: null, seedDemo: false }, database);
    expect(await inboxCount({ database })).toBe(1);
    await app.ready();
    expect(await inboxCount({ database })).toBe(0);
    const rows = await queryRows<{ seq: number }>(
      { database },
      sql`select seq from audit_event where action = 'test.left_behind' and entity_id = 'startup'`,
    );
    expect(rows).toHaveLength(1);
    expect((await head({ database })).seq).toBe(rows[0]!.seq);
    const after = await new AuditService(database.db).verify();
    expect(after).toMatchObject({ ok: true, headMatches: true, count: before.count + 1 });
  });

  it('is chained by the safety-net timer when nothing else flushes', async () => {
    await leaveInInbox(database, 'timer');
    const deadline = Date.now() + 5000;
    while ((await inboxCount({ database })) > 0) {
      if (Date.now() > deadline) throw new Error('the timer never chained the inbox');
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(await queryRows({ database }, sql`select seq from audit_event where entity_id = 'timer'`)).toHaveLength(1);
  });
});

describe.runIf(!!process.env.DATABASE_URL)('chainers in several processes', () => {
  it('serialise on the head: concurrent writers and flushes from two pools keep one valid chain', async () => {
    const other = await openDatabase({ databaseUrl: ctx.databaseUrl!, dataDir: '' });
    try {
      const services = [new AuditService(ctx.database.db), new AuditService(other.db)];
      const before = await services[0]!.verify();
      const rounds = 20;
      await Promise.all(
        Array.from({ length: rounds }, async (_, i) => {
          const audit = services[i % 2]!;
          const db = i % 2 ? other.db : ctx.database.db;
          await db.transaction(async (tx) => {
            for (let k = 0; k < 5; k++)
              await audit.record(
                tx,
                { userId: null, username: 'system' },
                { action: 'test.parallel', entityType: 'test', entityId: `${i}-${k}` },
              );
          });
          await audit.flush();
          // Its own events are chained once its flush resolves, whichever process chained them.
          const chained = await queryRows<{ n: number }>(
            ctx,
            sql`select count(*)::int as n from audit_event where action = 'test.parallel' and entity_id like ${`${i}-%`}`,
          );
          expect(chained[0]!.n).toBe(5);
        }),
      );
      const after = await services[1]!.verify();
      expect(after).toMatchObject({ ok: true, headMatches: true, count: before.count + rounds * 5 });
    } finally {
      await other.close();
    }
  });
});
