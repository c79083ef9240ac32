import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import type { LightMyRequestResponse } from 'fastify';
import { buildApp, type App } from '../../server/src/app.js';
import { loadConfig, loadPublicRateLimits, type AppConfig } from '../../server/src/config.js';
import { openDatabase, type Database } from '../../server/src/db/client.js';
import { runMigrations } from '../../server/src/db/migrate.js';
import { seedDemoCity } from '../../server/src/seed/seed.js';
import { parseClockSetting } from '../../server/src/common/clock.js';
import { WAL_COOKIE } from '../../server/src/read-routing.js';
import { createTestDatabase, login } from '../helpers/app.js';
import { TEST_NOW } from '../helpers/test-clock.js';

/**
 * Public and reporting reads from a PostgreSQL streaming replica (DATABASE_READ_URL, ADR 0025), on a
 * real replica (.ci/start-replica: pg_basebackup of the test server, streaming). Replay on the replica
 * is paused to make "the replica is behind" certain, not a race: a page served from the replica then
 * shows the old data, while the primary holds the new.
 */
const readServerUrl = process.env.DATABASE_READ_URL?.trim() || null;
const enabled = Boolean(process.env.DATABASE_URL && readServerUrl);
const YEAR = 2026;

let app: App;
let routed: Database;
let drop: () => Promise<void>;
/** Superuser connections: to the primary's and the replica's copy of this file's database. */
let primary: pg.Client;
let replica: pg.Client;
let community: string;
let street: string;

async function replayPaused(paused: boolean) {
  await replica.query(paused ? 'select pg_wal_replay_pause()' : 'select pg_wal_replay_resume()');
}

/** Waits until the replica has replayed everything the primary has written so far. */
async function replicaCaughtUp() {
  const { rows } = await primary.query<{ lsn: string }>('select pg_current_wal_insert_lsn()::text as lsn');
  for (let i = 0; i < 300; i++) {
    const r = await replica.query<{ ok: boolean }>('select pg_last_wal_replay_lsn() >= $1::pg_lsn as ok', [rows[0]!.lsn]);
    if (r.rows[0]!.ok) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the replica did not replay the primary within 30 s');
}

/** Connections the app took from its replica pool while `steps` ran (the pool's own `acquire` events). */
async function replicaConnectionsTaken(steps: () => Promise<void>): Promise<number> {
  let taken = 0;
  const count = () => void taken++;
  routed.replica!.readPool.on('acquire', count);
  try {
    await steps();
  } finally {
    routed.replica!.readPool.off('acquire', count);
  }
  return taken;
}

/** A browser: keeps the session and the read-your-writes cookie the server sets. */
function browser(sessionCookie: string | null) {
  const jar = new Map<string, string>();
  if (sessionCookie) jar.set('sf_session', sessionCookie.replace(/^sf_session=/, ''));
  const keep = (res: LightMyRequestResponse) => {
    for (const c of res.cookies) {
      const expired = c.value === '' || (c.expires instanceof Date && c.expires.getTime() <= Date.now()) || c.maxAge === 0;
      if (expired) jar.delete(c.name);
      else jar.set(c.name, c.value);
    }
    return res;
  };
  const headers = () => ({ cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') });
  return {
    jar,
    get: async (url: string) => keep(await app.inject({ method: 'GET', url, headers: headers() })),
    post: async (url: string, payload: object) => keep(await app.inject({ method: 'POST', url, headers: headers(), payload })),
  };
}

const anonymous = () => browser(null);
const pageUrl = () => `/api/public/portal/communities/${community}?year=${YEAR}`;
const publishedOn = (res: LightMyRequestResponse, kind: string): string | null =>
  (res.json() as { disclosures: { kind: string; publishedOn: string | null }[] }).disclosures.find((d) => d.kind === kind)!.publishedOn;
const recordsOf = async (client: pg.Client, kind: string) =>
  Number(
    (
      await client.query<{ n: string }>('select count(*) as n from disclosure_record where community_code = $1 and kind = $2', [
        community,
        kind,
      ])
    ).rows[0]!.n,
  );

describe.runIf(enabled)(
  'reads from a streaming replica (DATABASE_READ_URL) [ADR 0025] — skipped without DATABASE_URL and DATABASE_READ_URL (e.g. .ci/start-replica)',
  () => {
    beforeAll(async () => {
      const made = await createTestDatabase({ fromSeededSnapshot: true });
      drop = made.drop;
      await runMigrations(made.database);
      const readUrl = new URL(readServerUrl!);
      readUrl.pathname = new URL(made.databaseUrl!).pathname;
      primary = new pg.Client({ connectionString: made.databaseUrl! });
      await primary.connect();
      // The clone reaches the replica by replication: connect once it is there, then let it catch up.
      for (let i = 0; ; i++) {
        replica = new pg.Client({ connectionString: readUrl.toString() });
        try {
          await replica.connect();
          break;
        } catch (err) {
          if (i > 300) throw err;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
      routed = await openDatabase({ databaseUrl: made.databaseUrl, databaseReadUrl: readUrl.toString(), dataDir: '' });
      const config: AppConfig = {
        ...loadConfig({}),
        databaseUrl: made.databaseUrl,
        databaseReadUrl: readUrl.toString(),
        publicRateLimits: loadPublicRateLimits(),
        logLevel: 'silent',
        webDir: null,
        seedDemo: false,
        loginRateLimitPerMinute: 10_000,
        now: parseClockSetting(TEST_NOW),
      };
      app = await buildApp(config, routed);
      if (!made.seeded) await seedDemoCity(routed.db, app.services);
      await app.ready();
      // A community with a signed contract (so a public page) and no disclosures recorded yet.
      const found = await primary.query<{ code: string; street: string }>(
        `select r.code, r.parent_code as street from region r
        where r.code = (select min(community_code) from contract where signed_on is not null and fund_year = $1)`,
        [YEAR],
      );
      community = found.rows[0]!.code;
      street = found.rows[0]!.street;
      await replicaCaughtUp();
    }, 120_000);

    afterAll(async () => {
      // Never leave the shared replica paused, whatever failed.
      if (replica) await replayPaused(false).catch(() => undefined);
      await replica?.end().catch(() => undefined);
      await primary?.end().catch(() => undefined);
      await app?.close();
      await routed?.close();
      await drop?.();
    });

    it('serves portal pages from the replica: behind while replay is paused, current once it resumes; the write went to the primary only', async () => {
      const staff = browser(await login(app, `street-${street}`));
      const visitor = anonymous();
      const before = await visitor.get(pageUrl());
      expect(before.statusCode).toBe(200);
      expect(publishedOn(before, 'contracts')).toBeNull();

      await replayPaused(true);
      try {
        const today = app.services.disclosure.today();
        const taken = await replicaConnectionsTaken(async () => {
          const written = await staff.post('/api/disclosure/records', {
            communityCode: community,
            fundYear: YEAR,
            kind: 'contracts',
            publishedOn: today,
            title: '服务合同公开',
          });
          // The write succeeds while the replica replays nothing: it went to the primary.
          expect(written.statusCode).toBe(200);
        });
        expect(taken).toBe(0);
        expect(await recordsOf(primary, 'contracts')).toBe(1);
        expect(await recordsOf(replica, 'contracts')).toBe(0);

        // A visitor's page comes from the replica: the old data, although the primary has the new.
        const stale = await visitor.get(pageUrl());
        expect(stale.statusCode).toBe(200);
        expect(publishedOn(stale, 'contracts')).toBeNull();
        // So do the open data and the city page (served, not failed, on the paused replica).
        expect((await visitor.get(`/api/public/portal/city?year=${YEAR}`)).statusCode).toBe(200);
        expect((await visitor.get('/api/public/open-data')).statusCode).toBe(200);

        await replayPaused(false);
        await replicaCaughtUp();
        const fresh = await visitor.get(pageUrl());
        expect(publishedOn(fresh, 'contracts')).toBe(today);
        expect(await recordsOf(replica, 'contracts')).toBe(1);
      } finally {
        await replayPaused(false);
      }
    });

    it('shows a staff member their own write at once; others read the replica, and the staff member too once it caught up', async () => {
      const staff = browser(await login(app, `street-${street}`));
      const visitor = anonymous();
      await replicaCaughtUp();
      expect(publishedOn(await staff.get(pageUrl()), 'payments')).toBeNull();

      await replayPaused(true);
      try {
        const today = app.services.disclosure.today();
        const written = await staff.post('/api/disclosure/records', {
          communityCode: community,
          fundYear: YEAR,
          kind: 'payments',
          publishedOn: today,
          title: '资金拨付公开',
        });
        expect(written.statusCode).toBe(200);
        // The write left the primary's WAL position with the browser.
        expect(staff.jar.get(WAL_COOKIE)).toMatch(/^[0-9A-F]+\/[0-9A-F]+$/);

        // The staff member's next read (the public page, signed in) comes from the primary: their write is there.
        const own = await staff.get(pageUrl());
        expect(publishedOn(own, 'payments')).toBe(today);
        // A visitor still reads the paused replica: the staff member's read was not the replica by chance.
        expect(publishedOn(await visitor.get(pageUrl()), 'payments')).toBeNull();
        expect(await recordsOf(replica, 'payments')).toBe(0);
      } finally {
        await replayPaused(false);
      }

      await replicaCaughtUp();
      // Caught up: the staff member's read goes to the replica again, and the position is dropped.
      const later = await staff.get(pageUrl());
      expect(publishedOn(later, 'payments')).toBe(app.services.disclosure.today());
      expect(staff.jar.has(WAL_COOKIE)).toBe(false);
    });

    it('reports and the dashboard read the replica; writes take nothing from its pool', async () => {
      const city = browser(await login(app, 'city'));
      expect(
        await replicaConnectionsTaken(async () => expect((await city.get('/api/district-reports')).statusCode).toBe(200)),
      ).toBeGreaterThan(0);
      expect(
        await replicaConnectionsTaken(async () => expect((await city.get(`/api/dashboard?fundYear=${YEAR}`)).statusCode).toBe(200)),
      ).toBeGreaterThan(0);
      // A staff write (and the sign-in, the session check, the audit chaining) uses the primary alone.
      const staff = browser(await login(app, `street-${street}`));
      const taken = await replicaConnectionsTaken(async () => {
        const written = await staff.post('/api/disclosure/records', {
          communityCode: community,
          fundYear: YEAR,
          kind: 'progress',
          publishedOn: app.services.disclosure.today(),
          title: '实施进度公开',
        });
        expect(written.statusCode).toBe(200);
      });
      expect(taken).toBe(0);
      // And the replica refuses writes outright.
      await expect(replica.query('create table written_on_replica (id int)')).rejects.toThrow(/read-only/);
    });
  },
);
