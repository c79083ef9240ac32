import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import { buildApp } from '../../server/src/app.js';
import { loadConfig } from '../../server/src/config.js';
import { TEST_NOW } from '../helpers/test-clock.js';
import { openDatabase, type Database } from '../../server/src/db/client.js';
import { runMigrations } from '../../server/src/db/migrate.js';
import { seedDemoCity } from '../../server/src/seed/seed.js';
import { createTestDatabase } from '../helpers/app.js';
import { bundlePath } from '../../scripts/server-bundle.mjs';

const run = promisify(execFile);
/** The commands as their npm scripts run them: the bundle (built by the global setup). */
const node = process.execPath;

/** The commands and a restart, on a real data directory (PGlite) or a real database (PostgreSQL). */
let dataDir: string;
let databaseUrl: string | null = null;
let dropDatabase: (() => Promise<void>) | null = null;

async function open(): Promise<Database> {
  return openDatabase({ databaseUrl, dataDir });
}

async function startOnce() {
  const database = await open();
  await runMigrations(database);
  const app = await buildApp({ ...loadConfig({ STARFUND_NOW: TEST_NOW }), logLevel: 'silent', webDir: null }, database);
  const seeded = await seedDemoCity(database.db, app.services);
  await app.close();
  await database.close();
  return seeded;
}

function cliEnv() {
  // DATABASE_READ_URL (a PostgreSQL run's replica, ADR 0025) names another database: not this test's.
  return { ...process.env, DATA_DIR: dataDir, DATABASE_URL: databaseUrl ?? '', DATABASE_READ_URL: '' };
}

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sf-cli-'));
  if (process.env.DATABASE_URL) {
    // A database of its own on the server; its pool stays idle until the forced drop at the end.
    const created = await createTestDatabase();
    databaseUrl = created.databaseUrl;
    dropDatabase = created.drop;
  }
});
afterAll(async () => {
  fs.rmSync(dataDir, { recursive: true, force: true });
  await dropDatabase?.();
});

describe('restart and commands', () => {
  it('seeds on the first start and nothing on a restart, keeping the data', async () => {
    const first = await startOnce();
    expect(first?.communities).toBeGreaterThan(350);
    expect(await startOnce()).toBeNull();
    const database = await open();
    const rows = (await database.db.execute(sql`select count(*)::int as n from region where level = 'community'`)) as unknown as {
      rows: { n: number }[];
    };
    expect(rows.rows[0]!.n).toBe(first!.communities);
    await database.close();
  });

  it('db:migrate is safe to run again', async () => {
    const { stdout } = await run(node, [bundlePath('migrate')], { env: cliEnv() });
    expect(stdout).toContain('migrations applied');
  });

  it('npm run verify passes on the seeded city, and exits 1 naming the first offending row', async () => {
    const ok = await run(node, [bundlePath('verify')], { env: cliEnv() });
    expect(ok.stdout).toMatch(/^verify OK: 12 checks passed$/m);

    const database = await open();
    const rows = (await database.db.execute(sql`
      update decision_objection o set received_on = n.window_end + 1, entered_on = greatest(o.entered_on, n.window_end + 1) from decision_notice n
       where n.id = o.notice_id and o.id = (select min(id) from decision_objection) returning o.id`)) as unknown as {
      rows: { id: number }[];
    };
    await database.close();
    const id = rows.rows[0]!.id;
    const failed = await run(node, [bundlePath('verify')], { env: cliEnv() }).then(
      () => null,
      (e: { code: number; stdout: string; stderr: string }) => e,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stderr).toMatch(
      new RegExp(`^FAIL objection_within_window \\[N 3\\.1\\.2\\(1\\)\\]: .* decision_objection ${id} \\{`, 'm'),
    );
    expect(failed?.stderr).toMatch(new RegExp(`^verify FAILED: 1 of 12 checks; first offending row: decision_objection ${id} `, 'm'));
    expect(failed?.stdout).toMatch(/^OK {3}ledger /m);
  });

  it('audit:verify passes on an intact chain and names the first broken event after tampering', async () => {
    const ok = await run(node, [bundlePath('audit-verify')], { env: cliEnv() });
    expect(ok.stdout).toMatch(/audit chain OK: \d+ events/);

    const database = await open();
    await database.db.execute(sql`update audit_event set actor_name = 'mallory' where seq = 2`);
    await database.close();
    const failed = await run(node, [bundlePath('audit-verify')], { env: cliEnv() }).then(
      () => null,
      (e: { code: number; stderr: string }) => e,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stderr).toContain('BROKEN at event #2');
  });
});
