import fs from 'node:fs';
import type { PGlite } from '@electric-sql/pglite';
import type pg from 'pg';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import * as schema from './schema/index.js';

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** Repositories take either: a plain handle or the caller's transaction. */
export type Executor = Db | Tx;

export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  close(): Promise<void>;
  /** Underlying pool (PostgreSQL only), for the migrator's advisory lock. */
  pool?: pg.Pool;
  pglite?: PGlite;
}

const INT8_OID = 20;
const DATE_OID = 1082;

/** A `date` column comes back as the 'YYYY-MM-DD' text it is, never a JS Date shifted by the time zone. */
const keepDate = (value: string): string => value;

/** BIGINT (money in fen, sequences, counts) as JS numbers on both drivers, refusing silent loss. */
function parseInt8(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new RangeError(`BIGINT ${value} exceeds the safe integer range`);
  return n;
}

export interface DatabaseOptions {
  databaseUrl: string | null;
  dataDir: string;
  loadDataDir?: Blob;
  /** PostgreSQL connections per process (config `databasePoolMax`). */
  databasePoolMax?: number;
  /** 'silent' keeps a lost idle connection out of the console (config `logLevel`). */
  logLevel?: string;
}

/** Each driver is loaded only when chosen: a process uses one, and loading both slowed every start (ADR 0020). */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.databaseUrl) {
    const [{ default: pg }, { drizzle: drizzlePg }] = await Promise.all([import('pg'), import('drizzle-orm/node-postgres')]);
    // Process-wide on purpose: Drizzle passes its own per-query `types` that fall back to pg.types.
    pg.types.setTypeParser(INT8_OID, parseInt8);
    pg.types.setTypeParser(DATE_OID, keepDate);
    // Dates are read as text: whatever the server's default, they must read 'YYYY-MM-DD'. Set as a
    // startup parameter of every connection, so no query races the first one on a new client.
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.databasePoolMax ?? 10,
      options: '-c datestyle=ISO,YMD',
    });
    // An idle connection dropped by the server (restart, failover, a forced drop in tests) must
    // not crash the process; the pool replaces it on next use.
    pool.on('error', (err) => {
      if (options.logLevel !== 'silent') console.warn(`database connection lost: ${err.message}`);
    });
    const db = drizzlePg(pool, { schema }) as unknown as Db;
    return { db, kind: 'postgres', pool, close: () => pool.end() };
  }
  const dataDir = options.dataDir;
  if (!dataDir.startsWith('memory://')) fs.mkdirSync(dataDir, { recursive: true });
  const [{ PGlite, types: pgliteTypes }, { drizzle: drizzlePglite }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('drizzle-orm/pglite'),
  ]);
  const client = await PGlite.create(dataDir, {
    parsers: { [pgliteTypes.INT8]: parseInt8, [pgliteTypes.DATE]: keepDate },
    ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
  });
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  return { db, kind: 'pglite', pglite: client, close: () => client.close() };
}
