import { afterEach, describe, expect, it } from 'vitest';
import { asc, sql } from 'drizzle-orm';
import { createTestDatabase, queryRows } from '../helpers/app.js';
import { runMigrations } from '../../server/src/db/migrate.js';
import { streetVisit, calendarDueDateChange } from '../../server/src/db/schema/index.js';
import type { Database } from '../../server/src/db/client.js';

/**
 * Migration 0013_real_dates turns every stored calendar date into a `date` column. A database
 * written by the previous schema (text columns) is built, then migrated: a value that is not a
 * real date stops the migration naming table, column, row and value, and changes nothing; real
 * dates migrate and read back as the same 'YYYY-MM-DD' strings on either driver.
 */
const TAG = '0013_real_dates';

let drop: (() => Promise<void>) | null = null;
afterEach(async () => {
  await drop?.();
  drop = null;
});

async function databaseBefore0013(): Promise<Database> {
  const made = await createTestDatabase();
  drop = made.drop;
  await runMigrations(made.database, { before: TAG });
  const ctx = { database: made.database };
  await made.database.db.execute(sql`insert into region (code, parent_code, level, name, kind, path) values
    ('2101', null, 'city', '测试市', 'city', '2101'),
    ('210101', '2101', 'district', '测试区', 'district', '2101/210101'),
    ('210101001', '210101', 'street', '测试街道', 'street', '2101/210101/210101001'),
    ('210101001001', '210101001', 'community', '测试社区', 'community', '2101/210101/210101001/210101001001')`);
  await made.database.db
    .execute(sql`insert into street_visit (street_code, community_code, region_path, visited_on, aspects, summary) values
    ('210101001', '210101001001', '2101/210101/210101001/210101001001', '2026-03-01', '[]'::jsonb, 'a'),
    ('210101001', '210101001001', '2101/210101/210101001/210101001001', '2024-02-29', '[]'::jsonb, 'b'),
    ('210101001', '210101001001', '2101/210101/210101001/210101001001', '0001-01-01', '[]'::jsonb, 'c')`);
  await made.database.db
    .execute(sql`insert into calendar_due_date_change (year, kind, entity_id, title, region_path, before, after, provisional, changed_on) values
    (2027, 'plan_review', 1, 't', '2101', '2027-01-29', '2027-02-08', false, '2026-12-01')`);
  expect(await columnType(ctx, 'street_visit', 'visited_on')).toBe('text');
  return made.database;
}

async function columnType(ctx: { database: Database }, table: string, column: string): Promise<string> {
  const rows = await queryRows<{ data_type: string }>(
    ctx,
    sql`select data_type from information_schema.columns where table_schema = 'public' and table_name = ${table} and column_name = ${column}`,
  );
  return rows[0]!.data_type;
}

async function appliedMigrations(ctx: { database: Database }): Promise<number> {
  const rows = await queryRows<{ n: number | string }>(ctx, sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
  return Number(rows[0]!.n);
}

/** The whole message of a failed migration: Drizzle wraps the database's error as its cause. */
function messageOf(error: unknown): string {
  const parts: string[] = [];
  for (let e = error as { message?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e) parts.push(String(e.message ?? e));
  return parts.join('\n');
}

async function migrationError(database: Database): Promise<string> {
  try {
    await runMigrations(database);
  } catch (error) {
    return messageOf(error);
  }
  throw new Error('the migration was expected to refuse');
}

describe('migration 0013_real_dates', () => {
  for (const bad of ['2026-02-30', '2026-13-01', '0000-00-00', '2026-2-3']) {
    it(`refuses a stored ${JSON.stringify(bad)}, naming table, column, row and value, and changes nothing`, async () => {
      const database = await databaseBefore0013();
      const ctx = { database };
      const [row] = await queryRows<{ id: number }>(ctx, sql`update street_visit set visited_on = ${bad} where summary = 'b' returning id`);
      const before = await queryRows(ctx, sql`select id, visited_on from street_visit order by id`);
      const applied = await appliedMigrations(ctx);

      const message = await migrationError(database);
      // The operator reads the database's reason first, not the statement that failed.
      expect(message.startsWith('migration failed: migration 0013_real_dates refused')).toBe(true);
      expect(message).toContain(`street_visit.visited_on id=${row!.id} value='${bad}'`);
      // Only the bad row is named.
      expect(message).not.toContain("value='2026-03-01'");

      expect(await columnType(ctx, 'street_visit', 'visited_on')).toBe('text');
      expect(await columnType(ctx, 'calendar_due_date_change', 'before')).toBe('text');
      expect(await queryRows(ctx, sql`select id, visited_on from street_visit order by id`)).toEqual(before);
      expect(await appliedMigrations(ctx)).toBe(applied);
    });
  }

  it('names every bad value of every column in one refusal', async () => {
    const database = await databaseBefore0013();
    await database.db.execute(sql`update street_visit set visited_on = '2026-04-31' where summary = 'a'`);
    await database.db.execute(sql`update street_visit set visited_on = '2025-02-29' where summary = 'b'`);
    await database.db.execute(sql`update street_visit set visited_on = '' where summary = 'c'`);
    await database.db.execute(sql`update calendar_due_date_change set before = 'today', after = '2027-00-10'`);
    const message = await migrationError(database);
    expect(message).toMatch(/5 stored value\(s\)/);
    for (const value of ['2026-04-31', '2025-02-29', ''])
      expect(message).toMatch(new RegExp(`street_visit\\.visited_on id=\\d+ value='${value}'`));
    expect(message).toMatch(/calendar_due_date_change\.before id=\d+ value='today'/);
    expect(message).toMatch(/calendar_due_date_change\.after id=\d+ value='2027-00-10'/);
  });

  it('migrates real dates to date columns; they read back unchanged, as strings, and order as dates', async () => {
    const database = await databaseBefore0013();
    const ctx = { database };
    await runMigrations(database);

    for (const [table, column] of [
      ['street_visit', 'visited_on'],
      ['calendar_due_date_change', 'before'],
      ['calendar_due_date_change', 'after'],
      ['plan', 'review_due_on'],
      ['contract_instalment', 'due_on'],
      ['decision_notice', 'window_end'],
    ] as const) {
      expect(await columnType(ctx, table, column)).toBe('date');
    }
    // Every calendar date of the schema is a date column: no text column is named like one.
    const textDates = await queryRows<{ t: string }>(
      ctx,
      sql`select table_name || '.' || column_name as t from information_schema.columns
      where table_schema = 'public' and data_type = 'text' and (column_name like '%\\_on' or column_name in ('valid_until', 'window_end', 'before', 'after'))`,
    );
    expect(textDates).toEqual([]);

    const typed = await database.db.select({ visitedOn: streetVisit.visitedOn }).from(streetVisit).orderBy(asc(streetVisit.visitedOn));
    expect(typed.map((r) => r.visitedOn)).toEqual(['0001-01-01', '2024-02-29', '2026-03-01']);
    const raw = await queryRows<{ visited_on: unknown }>(
      ctx,
      sql`select visited_on from street_visit where visited_on >= ${'2024-01-01'} order by visited_on desc`,
    );
    expect(raw.map((r) => r.visited_on)).toEqual(['2026-03-01', '2024-02-29']);
    const [change] = await database.db.select().from(calendarDueDateChange);
    expect([change!.before, change!.after, change!.changedOn]).toEqual(['2027-01-29', '2027-02-08', '2026-12-01']);

    // The database itself now refuses an impossible date.
    await expect(database.db.execute(sql`update street_visit set visited_on = ${'2026-02-30'}`)).rejects.toThrow();
    // Migrating again is a no-op.
    await runMigrations(database);
  });
});
