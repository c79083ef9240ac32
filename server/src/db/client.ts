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
  /** The primary: every write, and every read that is not explicitly routed to `readDb`. */
  db: Db;
  /**
   * Where public and reporting reads may go (ADR 0025): the streaming replica's handle with
   * `DATABASE_READ_URL`, otherwise `db` itself. Never written through (a replica refuses writes).
   */
  readDb: Db;
  /** The replica and what read-your-writes needs of both servers; null without `DATABASE_READ_URL`. */
  replica: ReadReplica | null;
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
  /** A PostgreSQL streaming replica of `databaseUrl` for reads (config `databaseReadUrl`), or null. */
  databaseReadUrl?: string | null;
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
    const pool = postgresPool(pg, options.databaseUrl, options);
    const db = drizzlePg(pool, { schema }) as unknown as Db;
    if (!options.databaseReadUrl) return { db, readDb: db, replica: null, kind: 'postgres', pool, close: () => pool.end() };
    const readPool = postgresPool(pg, options.databaseReadUrl, options);
    const readDb = drizzlePg(readPool, { schema }) as unknown as Db;
    return {
      db,
      readDb,
      replica: readReplica(pool, readPool),
      kind: 'postgres',
      pool,
      close: async () => {
        await Promise.all([pool.end(), readPool.end()]);
      },
    };
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
  return { db, readDb: db, replica: null, kind: 'pglite', pglite: client, close: () => client.close() };
}

/** `pg` is passed in: the driver module is loaded only when PostgreSQL is chosen. */
function postgresPool(driver: typeof pg, connectionString: string, options: DatabaseOptions): pg.Pool {
  // Dates are read as text: whatever the server's default, they must read 'YYYY-MM-DD'. Set as a
  // startup parameter of every connection, so no query races the first one on a new client.
  const pool = new driver.Pool({ connectionString, max: options.databasePoolMax ?? 10, options: '-c datestyle=ISO,YMD' });
  // An idle connection dropped by the server (restart, failover, a forced drop in tests) must
  // not crash the process; the pool replaces it on next use.
  pool.on('error', (err) => {
    if (options.logLevel !== 'silent') console.warn(`database connection lost: ${err.message}`);
  });
  return pool;
}

/**
 * A streaming replica and the two questions read-your-writes asks (ADR 0025): how far the primary's
 * write-ahead log is now (after a session's write), and whether the replica has replayed up to a
 * position (before serving that session a read from it).
 */
export interface ReadReplica {
  readPool: pg.Pool;
  /** The primary's current WAL insert position (`pg_current_wal_insert_lsn()`), e.g. '0/3000148'. */
  primaryWalPosition(): Promise<string>;
  /** Whether the replica has replayed the WAL up to `lsn`; false for an unreadable position. */
  hasReplayed(lsn: string): Promise<boolean>;
}

const WAL_POSITION = /^[0-9A-F]{1,8}\/[0-9A-F]{1,8}$/i;

function readReplica(pool: pg.Pool, readPool: pg.Pool): ReadReplica {
  return {
    readPool,
    async primaryWalPosition() {
      const result = await pool.query<{ lsn: string }>('select pg_current_wal_insert_lsn()::text as lsn');
      return result.rows[0]!.lsn;
    },
    async hasReplayed(lsn) {
      if (!WAL_POSITION.test(lsn)) return false;
      // Null replay position: not a replica in recovery (e.g. promoted); then it holds every write it was told of.
      const result = await readPool.query<{ replayed: boolean | null }>(
        'select coalesce(pg_last_wal_replay_lsn() >= $1::pg_lsn, not pg_is_in_recovery()) as replayed',
        [lsn],
      );
      return result.rows[0]?.replayed === true;
    },
  };
}
