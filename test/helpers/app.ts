import type { SQL } from 'drizzle-orm';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { inject } from 'vitest';
import pg from 'pg';
import type { LightMyRequestResponse } from 'fastify';
import { buildApp, type App } from '../../server/src/app.js';
import { loadConfig, loadDatabaseUrl, loadPublicRateLimits, type AppConfig } from '../../server/src/config.js';
import { openDatabase, type Database } from '../../server/src/db/client.js';
import { runMigrations } from '../../server/src/db/migrate.js';
import { DEMO_PASSWORD, seedDemoCity } from '../../server/src/seed/seed.js';
import { parseClockSetting } from '../../server/src/common/clock.js';
import { TEST_NOW } from './test-clock.js';

export { DEMO_PASSWORD };

export interface TestContext {
  app: App;
  database: Database;
  /** Connection string of this test's own database (PostgreSQL runs only). */
  databaseUrl: string | null;
  close(): Promise<void>;
}

/**
 * A real database per test file: PGlite in memory by default; with DATABASE_URL a fresh
 * PostgreSQL database created for this file and dropped afterwards. Never a mock.
 */
export async function createTestDatabase(
  options: { fromSeededSnapshot?: boolean } = {},
): Promise<{ database: Database; databaseUrl: string | null; seeded: boolean; drop(): Promise<void> }> {
  const serverUrl = loadDatabaseUrl();
  const snapshot = options.fromSeededSnapshot ? seededSnapshot() : {};
  if (!serverUrl) {
    const database = snapshot.pgliteSnapshot
      ? await openDatabase({ databaseUrl: null, dataDir: 'memory://', loadDataDir: snapshotBlob(snapshot.pgliteSnapshot) })
      : await openDatabase({ databaseUrl: null, dataDir: 'memory://' });
    return { database, databaseUrl: null, seeded: Boolean(snapshot.pgliteSnapshot), drop: async () => database.close() };
  }
  const name = `sf_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await createDatabase(admin, name, snapshot.templateDatabase);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: url.toString(), dataDir: '' });
  return {
    database,
    databaseUrl: url.toString(),
    seeded: Boolean(snapshot.templateDatabase),
    drop: async () => {
      await database.close();
      const again = new pg.Client({ connectionString: serverUrl });
      await again.connect();
      await again.query(`drop database if exists ${name} with (force)`);
      await again.end();
    },
  };
}

/**
 * The real app on its own database. `today` puts the whole application on a date with one call: its
 * one clock (common/clock.ts), which every service reads, is set to a China date (`2027-01-05`,
 * 10:00 that morning) or an ISO instant with offset (default TEST_NOW); with `seed: false` a later
 * date also gets a demo seeded for it. Move it later with `setToday(app, date)` or `app.clock.set(…)`.
 */
export async function createTestApp(options: { seed?: boolean; config?: Partial<AppConfig>; today?: string } = {}): Promise<TestContext> {
  const { database, databaseUrl, seeded, drop } = await createTestDatabase({ fromSeededSnapshot: options.seed !== false });
  await runMigrations(database);
  // Tests sign in often from one address; the login rate limit has its own test.
  // A test file raises the public rate limits by setting their variables before it starts its app.
  const config: AppConfig = {
    ...loadConfig({}),
    publicRateLimits: loadPublicRateLimits(),
    logLevel: 'silent',
    webDir: null,
    seedDemo: false,
    loginRateLimitPerMinute: 10_000,
    now: parseClockSetting(options.today ?? TEST_NOW),
    ...options.config,
  };
  const app = await buildApp(config, database);
  if (options.seed !== false && !seeded) await seedDemoCity(database.db, app.services);
  await app.ready();
  return {
    app,
    database,
    databaseUrl,
    close: async () => {
      await app.close();
      await drop();
    },
  };
}

/**
 * Puts the whole application (its one clock, read by every service) on a China date at noon
 * (`${date}T04:00:00Z`, 12:00 in China), the instant the tests' factories have always used; the
 * clock runs on from there.
 */
export function setToday(app: App, date: string): void {
  app.clock.set(new Date(`${date}T04:00:00Z`));
}

/** Puts the whole application back on the date every test runs on unless it sets another (TEST_NOW). */
export function setTestNow(app: App): void {
  app.clock.set(parseClockSetting(TEST_NOW));
}

/**
 * Runs `steps` with the whole application on the tests' usual date (TEST_NOW), then puts the clock
 * back on the instant it was on: for preparations the tests have always made on that date
 * (a community's needs campaign) whatever date the test has reached.
 */
export async function atTestNow<T>(app: App, steps: () => Promise<T>): Promise<T> {
  const resume = app.clock.now();
  setTestNow(app);
  try {
    return await steps();
  } finally {
    app.clock.set(resume);
  }
}

/** Signs in and returns the Cookie header value for later requests. */
export async function login(app: App, username: string, password = DEMO_PASSWORD): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
  if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`);
  const cookie = res.cookies.find((c) => c.name === 'sf_session');
  if (!cookie) throw new Error('no session cookie');
  return `sf_session=${cookie.value}`;
}

/** A small client bound to one signed-in user. */
export function as(app: App, cookie: string) {
  const call = (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: unknown): Promise<LightMyRequestResponse> =>
    app.inject({ method, url, headers: { cookie }, ...(payload !== undefined ? { payload: payload as object } : {}) });
  return {
    get: (url: string) => call('GET', url),
    post: (url: string, payload?: unknown) => call('POST', url, payload ?? {}),
    put: (url: string, payload?: unknown) => call('PUT', url, payload ?? {}),
    patch: (url: string, payload?: unknown) => call('PATCH', url, payload ?? {}),
    delete: (url: string) => call('DELETE', url),
  };
}

export async function loginAs(app: App, username: string) {
  return as(app, await login(app, username));
}

/** Raw SQL for assertions on what the database really holds. */
export async function queryRows<T = Record<string, unknown>>(ctx: Pick<TestContext, 'database'>, query: SQL): Promise<T[]> {
  const result = (await ctx.database.db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

/** The dump's bytes, read once per worker process (files share a worker: vitest.config.ts `isolate: false`). */
const snapshotBytes = new Map<string, Buffer>();

/**
 * The dump as the Blob PGlite loads. Node's Blob hands its bytes over in small chunks that are then
 * joined, which costs a noticeable share of a file's start for a 70 MB dump; this one hands PGlite
 * a fresh copy of the bytes at once (a copy: the loaded database must never share memory with the
 * dump the next file loads).
 */
function snapshotBlob(file: string): Blob {
  let bytes = snapshotBytes.get(file);
  if (!bytes) snapshotBytes.set(file, (bytes = fs.readFileSync(file)));
  const source = bytes;
  return new (class extends Blob {
    override arrayBuffer(): Promise<ArrayBuffer> {
      const copy = new Uint8Array(source.byteLength);
      copy.set(source);
      return Promise.resolve(copy.buffer);
    }
  })([]);
}

/** The seeded copy prepared by test/helpers/global-setup.ts, when this run has one. */
function seededSnapshot(): { pgliteSnapshot?: string; templateDatabase?: string } {
  try {
    return { pgliteSnapshot: inject('pgliteSnapshot'), templateDatabase: inject('templateDatabase') };
  } catch {
    return {}; // outside a run with the global setup (e.g. the browser tests)
  }
}

async function createDatabase(admin: pg.Client, name: string, template: string | undefined) {
  if (!template) {
    await admin.query(`create database ${name}`);
    return;
  }
  // Two files cloning the template at the same instant can collide; the clone itself is quick.
  for (let attempt = 1; ; attempt++) {
    try {
      await admin.query(`create database ${name} template ${template}`);
      return;
    } catch (error) {
      if (attempt >= 10) throw error;
      await new Promise((r) => setTimeout(r, 200 * attempt));
    }
  }
}
