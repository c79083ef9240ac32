import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import { buildApp, type App } from '../../server/src/app.js';
import { loadConfig } from '../../server/src/config.js';
import { TEST_NOW } from '../helpers/test-clock.js';
import type { Database } from '../../server/src/db/client.js';
import { runMigrations } from '../../server/src/db/migrate.js';
import { seedDemoCity } from '../../server/src/seed/seed.js';
import { AuditService } from '../../server/src/modules/audit/audit.service.js';
import { backupToFile, describeTables, EXCLUDED_TABLES, restoreFromFile } from '../../server/src/ops/backup.js';
import { as, createTestDatabase, login } from '../helpers/app.js';
import { bundlePath } from '../../scripts/server-bundle.mjs';

/**
 * Backup and restore round trips, on PGlite or PostgreSQL (DATABASE_URL): every row of every
 * table comes back identical, the audit chain verifies with the same head, sequences continue,
 * and a restore refuses a database that already holds data unless forced.
 */
const run = promisify(execFile);
/** The commands as `npm run restore` / `npm run backup` run them: the bundle (built by the global setup). */
const node = process.execPath;

type Created = Awaited<ReturnType<typeof createTestDatabase>>;
const created: Created[] = [];
let source: Database;
let app: App;
let dir: string;
let file: string;
let restoredTarget: Database;

async function newDatabase(): Promise<Created> {
  const c = await createTestDatabase();
  created.push(c);
  return c;
}

/** md5 of every table's rows (in a stable order), sessions excepted. */
async function contents(database: Database): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const t of await describeTables(database.db)) {
    if (EXCLUDED_TABLES.has(t.name)) continue;
    const r = (await database.db.execute(
      sql.raw(
        `select count(*)::int as n, md5(coalesce(string_agg(to_jsonb(x)::text, E'\\n' order by to_jsonb(x)::text), '')) as h from "${t.name}" x`,
      ),
    )) as unknown as { rows: { n: number; h: string }[] };
    out[t.name] = `${r.rows[0]!.n}:${r.rows[0]!.h}`;
  }
  return out;
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sf-backup-'));
  file = path.join(dir, 'city.backup.jsonl');
  source = (await newDatabase()).database;
  await runMigrations(source);
  app = await buildApp(
    { ...loadConfig({ STARFUND_NOW: TEST_NOW }), logLevel: 'silent', webDir: null, seedDemo: false, loginRateLimitPerMinute: 10_000 },
    source,
  );
  await seedDemoCity(source.db, app.services);
  await app.ready();
  // Some activity after the seed: sign-ins, an audited change.
  const street = as(app, await login(app, 'street-210102001'));
  expect(
    (await street.patch('/api/regions/210102001001/profile', { representatives: 41, address: '和平区 "引号" \\ 反斜杠 😀' })).statusCode,
  ).toBe(200);
});
afterAll(async () => {
  await app?.close();
  for (const c of created.reverse()) await c.drop().catch(() => undefined);
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('backup and restore', () => {
  it('round-trips every row, the audit chain and the ledger into an empty database', async () => {
    const counts = await backupToFile(source, file);
    expect(counts.region).toBeGreaterThan(350);
    expect(counts.audit_event).toBeGreaterThan(0);
    expect(counts.user_session).toBeUndefined();

    const target = (await newDatabase()).database;
    restoredTarget = target;
    const restored = await restoreFromFile(target, file);
    expect(restored).toEqual(counts);
    expect(await contents(target)).toEqual(await contents(source));

    const before = await new AuditService(source.db).verify();
    const after = await new AuditService(target.db).verify();
    expect(after).toMatchObject({ ok: true, headMatches: true, count: before.count });
    expect(after.ok && before.ok && after.headHash === before.headHash).toBe(true);

    const hasLedger = (await describeTables(target.db)).some((t) => t.name === 'ledger_account');
    if (hasLedger) {
      const balances = async (d: Database) =>
        (
          (await d.db.execute(sql`select to_jsonb(a)::text as j from ledger_account a order by id`)) as unknown as { rows: { j: string }[] }
        ).rows.map((r) => r.j);
      expect(await balances(target)).toEqual(await balances(source));
    }

    // The restored city works: sign in, change something (sequences continue after the restored rows).
    const restoredApp = await buildApp(
      { ...loadConfig({ STARFUND_NOW: TEST_NOW }), logLevel: 'silent', webDir: null, seedDemo: false },
      target,
    );
    await restoredApp.ready();
    try {
      const street = as(restoredApp, await login(restoredApp, 'street-210102001'));
      const r = await street.patch('/api/regions/210102001001/profile', { representatives: 42 });
      expect(r.statusCode).toBe(200);
      expect((await new AuditService(target.db).verify()).ok).toBe(true);
      const ledger = (restoredApp.services as unknown as Record<string, { verify?: () => Promise<{ ok: boolean }> }>).ledger;
      if (ledger?.verify) expect((await ledger.verify()).ok).toBe(true);
    } finally {
      await restoredApp.close();
    }
  });

  it('refuses to restore over data unless forced, and refuses a file that is not a backup', async () => {
    const target = restoredTarget; // restored (and then changed) by the first test
    await expect(restoreFromFile(target, file)).rejects.toThrow(/already holds data/);
    const forced = await restoreFromFile(target, file, { force: true });
    expect(forced.region).toBeGreaterThan(350);
    expect(await contents(target)).toEqual(await contents(source));

    const junk = path.join(dir, 'junk.txt');
    fs.writeFileSync(junk, 'hello\n');
    await expect(restoreFromFile((await newDatabase()).database, junk)).rejects.toThrow(/not a StarFund backup/);
    const truncated = path.join(dir, 'truncated.jsonl');
    fs.writeFileSync(truncated, fs.readFileSync(file, 'utf8').split('\n').slice(0, 50).join('\n'));
    const empty = (await newDatabase()).database;
    await expect(restoreFromFile(empty, truncated)).rejects.toThrow(/ends early/);
    const left = (await empty.db.execute(sql`select count(*)::int as n from region`)) as unknown as { rows: { n: number }[] };
    expect(left.rows[0]!.n).toBe(0); // nothing half-restored
  });

  it('npm run backup / npm run restore work on DATA_DIR or DATABASE_URL', async () => {
    // Restore the file with the command into a fresh database, back that up with the command,
    // and compare the row lines of both files.
    // The commands work on this test's own database, never through a read replica of another (ADR 0025).
    const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_READ_URL: '' };
    if (process.env.DATABASE_URL) {
      const c = await newDatabase();
      env.DATABASE_URL = c.databaseUrl!;
    } else {
      env.DATABASE_URL = '';
      env.DATA_DIR = path.join(dir, 'pglite-data');
    }
    const restored = await run(node, [bundlePath('restore'), file], { env });
    expect(restored.stdout).toMatch(/restored \d+ tables/);
    expect(restored.stdout).toContain('audit chain OK');
    const again = path.join(dir, 'again.jsonl');
    const backedUp = await run(node, [bundlePath('backup'), again], { env });
    expect(backedUp.stdout).toContain('backup written');
    const body = (f: string) => fs.readFileSync(f, 'utf8').split('\n').slice(1);
    expect(body(again)).toEqual(body(file));
  });
});
