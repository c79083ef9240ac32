import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { sql } from 'drizzle-orm';
import { loadBenchConfig } from '../server/src/config.js';
import { openDatabase, type Database } from '../server/src/db/client.js';

/**
 * Where a benchmark scale lives: its own PGlite directory (`data/bench-<scale>`), or its own
 * database on the PostgreSQL server of `DATABASE_URL` (`starfund_bench_<scale>`), so that
 * generating data never touches the console's own database.
 */
export type BenchTarget = { kind: 'pglite'; dataDir: string } | { kind: 'postgres'; url: string };

export function benchTarget(scale: string, env?: NodeJS.ProcessEnv): BenchTarget {
  const config = loadBenchConfig(env);
  if (config.benchDatabaseUrl) return { kind: 'postgres', url: config.benchDatabaseUrl };
  if (config.databaseUrl) {
    const url = new URL(config.databaseUrl);
    url.pathname = `/starfund_bench_${scale}`;
    return { kind: 'postgres', url: url.toString() };
  }
  return { kind: 'pglite', dataDir: path.resolve(config.benchDataDir ?? `./data/bench-${scale}`) };
}

export const describeTarget = (t: BenchTarget) =>
  t.kind === 'pglite' ? `PGlite ${t.dataDir}` : `PostgreSQL ${new URL(t.url).host}${new URL(t.url).pathname}`;

/** The environment a StarFund process needs to open this target. */
export function targetEnv(t: BenchTarget): Record<string, string> {
  return t.kind === 'pglite' ? { DATA_DIR: t.dataDir, DATABASE_URL: '' } : { DATABASE_URL: t.url };
}

/** Drops and recreates the target (empty). */
export async function resetTarget(t: BenchTarget): Promise<void> {
  if (t.kind === 'pglite') {
    fs.rmSync(t.dataDir, { recursive: true, force: true });
    return;
  }
  const url = new URL(t.url);
  const name = url.pathname.slice(1);
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`refusing to recreate database "${name}"`);
  url.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: url.toString() });
  await admin.connect();
  try {
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
}

export async function openTarget(t: BenchTarget, poolSize?: number): Promise<Database> {
  return t.kind === 'pglite'
    ? openDatabase({ databaseUrl: null, dataDir: t.dataDir })
    : openDatabase({ databaseUrl: t.url, dataDir: '', ...(poolSize ? { databasePoolMax: poolSize } : {}) });
}

/** COPY text-format cell: \N for null, backslash escapes for the separators. */
export function copyCell(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (typeof value === 'number') return String(value);
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

export const copyLine = (values: readonly unknown[]) => values.map(copyCell).join('\t');

/** `COPY table (columns) FROM STDIN` with the given text-format lines, on either driver. */
export async function copyRows(database: Database, table: string, columns: readonly string[], lines: string[]): Promise<void> {
  if (lines.length === 0) return;
  const statement = `COPY ${table} (${columns.map((c) => `"${c}"`).join(', ')}) FROM`;
  if (database.kind === 'pglite') {
    const text = lines.join('\n') + '\n';
    await database.pglite!.query(`${statement} '/dev/blob'`, [], { blob: new Blob([text]) });
    return;
  }
  const client = await database.pool!.connect();
  try {
    // Chunks of lines rather than one string: a V8 string tops out near 512 MB.
    async function* chunks() {
      for (let i = 0; i < lines.length; i += 10_000) yield lines.slice(i, i + 10_000).join('\n') + '\n';
    }
    await pipeline(Readable.from(chunks()), client.query(copyFrom(`${statement} STDIN`)));
  } finally {
    client.release();
  }
}

/** Plain SQL on the target (setup and clean-up of the benchmark's own rows). */
export async function exec(database: Database, statement: string) {
  return database.db.execute(sql.raw(statement));
}

export async function rowsOf<T>(database: Database, statement: string): Promise<T[]> {
  const result = (await database.db.execute(sql.raw(statement))) as unknown as { rows: T[] };
  return result.rows;
}
