import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { PgliteDatabase } from 'drizzle-orm/pglite';
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import type { Database } from './client.js';
import { fromRoot } from '../common/paths.js';

/** From the project root, not this file: the bundle (dist/server) reads the same folder (ADR 0020). */
export const migrationsFolder = fromRoot('server/src/db/migrations');

/** Arbitrary constant: several instances starting together migrate one at a time. */
const MIGRATION_LOCK_KEY = 727_001;

export interface MigrateOptions {
  /**
   * Apply only the migrations before the one with this tag (e.g. '0013_real_dates'), to test a
   * migration against data written by the schema it replaces. A later full run applies the rest.
   */
  before?: string;
}

/** A copy of the migrations folder whose journal ends just before `tag`. */
function folderUpTo(tag: string): string {
  const journal = JSON.parse(fs.readFileSync(path.join(migrationsFolder, 'meta', '_journal.json'), 'utf8')) as {
    entries: { tag: string }[];
  };
  const index = journal.entries.findIndex((e) => e.tag === tag);
  if (index < 0) throw new Error(`no migration tagged ${tag}`);
  const entries = journal.entries.slice(0, index);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sf-migrations-'));
  fs.mkdirSync(path.join(dir, 'meta'));
  fs.writeFileSync(path.join(dir, 'meta', '_journal.json'), JSON.stringify({ ...journal, entries }));
  for (const e of entries) fs.copyFileSync(path.join(migrationsFolder, `${e.tag}.sql`), path.join(dir, `${e.tag}.sql`));
  return dir;
}

export async function runMigrations(database: Database, options: MigrateOptions = {}): Promise<void> {
  const folder = options.before ? folderUpTo(options.before) : migrationsFolder;
  try {
    await migrateFrom(database, folder);
  } catch (error) {
    // Drizzle's message is the whole failed statement; the operator needs the database's reason
    // (e.g. 0013_real_dates naming the rows whose stored dates are not real dates).
    const cause = (error as { cause?: unknown }).cause;
    if (cause instanceof Error) throw new Error(`migration failed: ${cause.message}`, { cause: error });
    throw error;
  } finally {
    if (folder !== migrationsFolder) fs.rmSync(folder, { recursive: true, force: true });
  }
}

async function migrateFrom(database: Database, folder: string): Promise<void> {
  // The migrator of the driver in use only (client.ts loads drivers the same way).
  if (database.kind === 'pglite') {
    const { migrate: migratePglite } = await import('drizzle-orm/pglite/migrator');
    await migratePglite(database.db as unknown as PgliteDatabase, { migrationsFolder: folder });
    return;
  }
  const { migrate: migratePg } = await import('drizzle-orm/node-postgres/migrator');
  const pool = database.pool!;
  const lockClient = await pool.connect();
  try {
    await lockClient.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    await migratePg(database.db as unknown as NodePgDatabase, { migrationsFolder: folder });
  } finally {
    await lockClient.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    lockClient.release();
  }
}
