/**
 * Logical backup and restore in StarFund's own format, through the app's database connection, so
 * it works the same on PGlite and on PostgreSQL without pg_dump.
 *
 * Format (JSON lines, UTF-8):
 *   line 1   {"format":"starfund-backup","version":1,"createdAt":…,"engine":…,"migrations":{"count":N,"lastHash":…}}
 *   then per table, parents before children:
 *            {"table":"region","columns":[…],"rows":R}
 *            R lines, each a row as PostgreSQL's own `to_jsonb(row)` text (never re-parsed, so
 *            BIGINT, NUMERIC, timestamps and jsonb come back exactly)
 *   last     {"end":true,"tables":T}
 *
 * The dump runs in one REPEATABLE READ, read-only transaction: a consistent snapshot even while
 * the server keeps working (PostgreSQL). Sessions (`user_session`) are not backed up: a restore
 * signs everyone out. A restore goes into an empty database at the same migration level, in one
 * transaction, and checks each table's row count before committing.
 */
import fs from 'node:fs';
import readline from 'node:readline';
import { sql, type SQL } from 'drizzle-orm';
import type { Database, Executor } from '../db/client.js';
import { runMigrations } from '../db/migrate.js';

export const BACKUP_FORMAT = 'starfund-backup';
export const BACKUP_VERSION = 1;
/** Not backed up: transient, and restoring them would revive sign-ins. */
export const EXCLUDED_TABLES = new Set(['user_session']);
const PAGE = 2000;
const BATCH = 500;

export interface BackupHeader {
  format: string;
  version: number;
  createdAt: string;
  engine: Database['kind'];
  migrations: { count: number; lastHash: string | null };
}

interface TableInfo {
  name: string;
  columns: string[];
  primaryKey: string[];
  /** Self-references: [fk columns, referenced columns] pairs, for ordering rows parent first. */
  selfRefs: { from: string[]; to: string[] }[];
  identityAlways: boolean;
}

async function rows<T>(db: Executor, query: SQL): Promise<T[]> {
  return ((await db.execute(query)) as unknown as { rows: T[] }).rows;
}

export async function migrationLevel(db: Executor): Promise<{ count: number; lastHash: string | null }> {
  try {
    const r = await rows<{ count: number; last: string | null }>(
      db,
      sql`select count(*)::int as count, (select hash from drizzle.__drizzle_migrations order by id desc limit 1) as last from drizzle.__drizzle_migrations`,
    );
    return { count: r[0]!.count, lastHash: r[0]!.last };
  } catch {
    return { count: 0, lastHash: null };
  }
}

/** Tables of the public schema, each after the tables it references. */
export async function describeTables(db: Executor): Promise<TableInfo[]> {
  const tables = (
    await rows<{ name: string }>(db, sql`select tablename as name from pg_tables where schemaname = 'public' order by tablename`)
  ).map((r) => r.name);
  const columns = await rows<{ table_name: string; column_name: string; is_generated: string; identity_generation: string | null }>(
    db,
    sql`select table_name, column_name, is_generated, identity_generation from information_schema.columns where table_schema = 'public' order by table_name, ordinal_position`,
  );
  const keys = await rows<{ table_name: string; column_name: string }>(
    db,
    sql`select kcu.table_name, kcu.column_name from information_schema.table_constraints tc
            join information_schema.key_column_usage kcu on kcu.constraint_name = tc.constraint_name and kcu.table_schema = tc.table_schema
            where tc.table_schema = 'public' and tc.constraint_type = 'PRIMARY KEY' order by kcu.table_name, kcu.ordinal_position`,
  );
  const fks = await rows<{ child: string; parent: string; from_cols: string[] | string; to_cols: string[] | string }>(
    db,
    sql`select cl.relname as child, pl.relname as parent,
              array(select a.attname::text from unnest(c.conkey) with ordinality k(n, i) join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.n order by k.i) as from_cols,
              array(select a.attname::text from unnest(c.confkey) with ordinality k(n, i) join pg_attribute a on a.attrelid = c.confrelid and a.attnum = k.n order by k.i) as to_cols
            from pg_constraint c join pg_class cl on cl.oid = c.conrelid join pg_class pl on pl.oid = c.confrelid
            join pg_namespace n on n.oid = c.connamespace where c.contype = 'f' and n.nspname = 'public'
            order by cl.relname, pl.relname, c.conname`, // a stable order: the catalog's differs after a restore
  );
  const asArray = (v: string[] | string) =>
    Array.isArray(v)
      ? v
      : v
          .replace(/^\{|\}$/g, '')
          .split(',')
          .filter(Boolean);
  const info = new Map<string, TableInfo>();
  for (const name of tables) {
    const cols = columns.filter((c) => c.table_name === name);
    info.set(name, {
      name,
      columns: cols.filter((c) => c.is_generated !== 'ALWAYS').map((c) => c.column_name),
      primaryKey: keys.filter((k) => k.table_name === name).map((k) => k.column_name),
      selfRefs: fks
        .filter((f) => f.child === name && f.parent === name)
        .map((f) => ({ from: asArray(f.from_cols), to: asArray(f.to_cols) })),
      identityAlways: cols.some((c) => c.identity_generation === 'ALWAYS'),
    });
  }
  // Topological order over foreign keys (self-references handled per row).
  const ordered: TableInfo[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string) => {
    if (state.get(name) === 'done' || state.get(name) === 'visiting') return;
    state.set(name, 'visiting');
    for (const f of fks) if (f.child === name && f.parent !== name && info.has(f.parent)) visit(f.parent);
    state.set(name, 'done');
    ordered.push(info.get(name)!);
  };
  for (const name of tables) visit(name);
  return ordered;
}

const ident = (name: string) => sql.identifier(name);
const columnList = (cols: string[]) => sql.join(cols.map(ident), sql`, `);

/** Rows of a self-referencing table, parents before the rows that point at them. */
function orderSelfReferencing(lines: string[], table: TableInfo): string[] {
  const parsed = lines.map((text) => ({ text, row: JSON.parse(text) as Record<string, unknown> }));
  const keyOf = (row: Record<string, unknown>, cols: string[]) =>
    cols.some((c) => row[c] === null || row[c] === undefined) ? null : JSON.stringify(cols.map((c) => row[c]));
  const placed = new Set<string>();
  const out: string[] = [];
  let pending = parsed;
  while (pending.length) {
    const next: typeof pending = [];
    for (const p of pending) {
      const ready = table.selfRefs.every((ref) => {
        const k = keyOf(p.row, ref.from);
        return k === null || placed.has(`${ref.to.join()}:${k}`) || !parsed.some((q) => keyOf(q.row, ref.to) === k);
      });
      if (ready) {
        out.push(p.text);
        for (const ref of table.selfRefs) {
          const k = keyOf(p.row, ref.to);
          if (k !== null) placed.add(`${ref.to.join()}:${k}`);
        }
      } else next.push(p);
    }
    if (next.length === pending.length) throw new Error(`table ${table.name}: rows reference each other in a cycle`);
    pending = next;
  }
  return out;
}

/** Writes a backup through `write` (one call per line, without the newline). */
export async function writeBackup(database: Database, write: (line: string) => Promise<void> | void): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  await database.db.transaction(
    async (tx) => {
      const header: BackupHeader = {
        format: BACKUP_FORMAT,
        version: BACKUP_VERSION,
        createdAt: new Date().toISOString(),
        engine: database.kind,
        migrations: await migrationLevel(tx),
      };
      await write(JSON.stringify(header));
      const tables = (await describeTables(tx)).filter((t) => !EXCLUDED_TABLES.has(t.name));
      for (const table of tables) {
        const total = (await rows<{ n: number }>(tx, sql`select count(*)::int as n from ${ident(table.name)}`))[0]!.n;
        await write(JSON.stringify({ table: table.name, columns: table.columns, rows: total }));
        const order = table.primaryKey.length ? columnList(table.primaryKey) : sql`1`;
        const projection = sql`jsonb_build_object(${sql.join(
          table.columns.map((c) => sql`${c}::text, t.${ident(c)}`),
          sql`, `,
        )})::text`;
        const collected: string[] = [];
        for (let offset = 0; offset < total; offset += PAGE) {
          const page = await rows<{ j: string }>(
            tx,
            sql`select ${projection} as j from ${ident(table.name)} t order by ${order} limit ${PAGE} offset ${offset}`,
          );
          if (table.selfRefs.length) collected.push(...page.map((r) => r.j));
          else for (const r of page) await write(r.j);
        }
        if (table.selfRefs.length) for (const line of orderSelfReferencing(collected, table)) await write(line);
        counts[table.name] = total;
      }
      await write(JSON.stringify({ end: true, tables: tables.length }));
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
  return counts;
}

export async function backupToFile(database: Database, file: string): Promise<Record<string, number>> {
  const out = fs.createWriteStream(file, { encoding: 'utf8' });
  const write = (line: string) =>
    new Promise<void>((resolve, reject) => {
      if (out.write(`${line}\n`)) resolve();
      else out.once('drain', resolve).once('error', reject);
    });
  try {
    return await writeBackup(database, write);
  } finally {
    await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  }
}

export class RestoreRefused extends Error {}

async function isEmpty(db: Executor): Promise<boolean> {
  for (const table of await describeTables(db)) {
    if (EXCLUDED_TABLES.has(table.name)) continue;
    const r = await rows<{ any: boolean }>(db, sql`select exists (select 1 from ${ident(table.name)}) as any`);
    if (r[0]!.any) return false;
  }
  return true;
}

/**
 * Restores a backup into `database`: migrates it first, refuses a database that already holds
 * data (unless `force`, which drops and recreates the schema) or a different migration level,
 * and inserts everything in one transaction.
 */
export async function restoreFromFile(
  database: Database,
  file: string,
  options: { force?: boolean } = {},
): Promise<Record<string, number>> {
  const lines = readline.createInterface({ input: fs.createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  const iterator = lines[Symbol.asyncIterator]();
  const next = async (): Promise<string> => {
    const r = await iterator.next();
    if (r.done) throw new RestoreRefused('the backup file ends early (truncated?)');
    return r.value;
  };
  try {
    let header: BackupHeader;
    try {
      header = JSON.parse(await next()) as BackupHeader;
    } catch (e) {
      throw e instanceof RestoreRefused ? e : new RestoreRefused('not a StarFund backup file');
    }
    if (header.format !== BACKUP_FORMAT || header.version !== BACKUP_VERSION)
      throw new RestoreRefused(`not a StarFund backup file of version ${BACKUP_VERSION}`);

    await runMigrations(database);
    if (!(await isEmpty(database.db))) {
      if (!options.force)
        throw new RestoreRefused('the database already holds data; restore into an empty database, or pass --force to replace everything');
      await database.db.execute(sql`drop schema if exists drizzle cascade`);
      await database.db.execute(sql`drop schema public cascade`);
      await database.db.execute(sql`create schema public`);
      await runMigrations(database);
    }
    const level = await migrationLevel(database.db);
    if (level.count !== header.migrations.count || level.lastHash !== header.migrations.lastHash) {
      throw new RestoreRefused(
        `the backup is at migration level ${header.migrations.count}, this version of StarFund at ${level.count}: restore with the version that made the backup, then upgrade`,
      );
    }

    const counts: Record<string, number> = {};
    await database.db.transaction(async (tx) => {
      const tables = new Map((await describeTables(tx)).map((t) => [t.name, t]));
      for (;;) {
        const section = JSON.parse(await next()) as { table?: string; columns?: string[]; rows?: number; end?: boolean };
        if (section.end) break;
        const table = section.table ? tables.get(section.table) : undefined;
        if (!table || !section.columns || typeof section.rows !== 'number')
          throw new RestoreRefused(`unknown table ${section.table ?? '?'} in the backup`);
        const cols = section.columns.filter((c) => table.columns.includes(c));
        if (cols.length !== section.columns.length) throw new RestoreRefused(`table ${table.name}: columns differ from this version's`);
        const overriding = table.identityAlways ? sql` overriding system value` : sql``;
        let batch: string[] = [];
        const flush = async () => {
          if (!batch.length) return;
          await tx.execute(sql`insert into ${ident(table.name)} (${columnList(cols)})${overriding}
            select ${columnList(cols)} from jsonb_populate_recordset(null::${ident(table.name)}, ${`[${batch.join(',')}]`}::jsonb)`);
          batch = [];
        };
        for (let i = 0; i < section.rows; i++) {
          batch.push(await next());
          if (batch.length >= BATCH) await flush();
        }
        await flush();
        const n = (await rows<{ n: number }>(tx, sql`select count(*)::int as n from ${ident(table.name)}`))[0]!.n;
        if (n !== section.rows) throw new RestoreRefused(`table ${table.name}: ${n} rows after restore, the backup has ${section.rows}`);
        counts[table.name] = n;
        // Sequences continue after the restored rows.
        const serials = await rows<{ column_name: string; seq: string | null }>(
          tx,
          sql`select column_name, pg_get_serial_sequence(${`public.${JSON.stringify(table.name)}`}, column_name) as seq
                  from information_schema.columns where table_schema = 'public' and table_name = ${table.name}`,
        );
        for (const s of serials.filter((x) => x.seq)) {
          await tx.execute(
            sql`select setval(${s.seq}::regclass, coalesce((select max(${ident(s.column_name)}) from ${ident(table.name)}), 0) + 1, false)`,
          );
        }
      }
    });
    return counts;
  } finally {
    lines.close();
  }
}
