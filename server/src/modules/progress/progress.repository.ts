import { and, eq, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { underPathSql } from '../../common/region-scope.js';
import { communityProgress } from '../../db/schema/progress.js';

export type ProgressRow = typeof communityProgress.$inferSelect;

/** One difference between a stored row and the row recomputed from the source tables. */
export interface ProgressDifference {
  communityCode: string;
  fundYear: number;
  /** A column name, or '(row)' when the whole row is missing on one side. */
  field: string;
  stored: unknown;
  recomputed: unknown;
}

const rowsOf = <T>(result: unknown) => (result as { rows: T[] }).rows;
const num = (v: unknown) => Number(v ?? 0);

/**
 * The read model's SQL (ADR 0023). The computation itself is the database function
 * `community_progress_compute` (migration 0019), shared by the triggers that keep the rows in each
 * write's transaction, by the backfill and by `npm run verify`; this repository calls it and reads
 * the rows in aggregate.
 */
export class ProgressRepository {
  /** Recomputes and stores the rows of these communities in a fund year (all of the year's when `codes` is null). */
  async refresh(db: Executor, fundYear: number, codes: string[] | null) {
    await db.execute(
      sql`select community_progress_refresh(${fundYear}::int, ${
        codes === null
          ? null
          : sql`array[${sql.join(
              codes.map((c) => sql`${c}`),
              sql`, `,
            )}]::text[]`
      })`,
    );
  }

  /** Every row recomputed from the source tables, set-based (the migration's backfill does the same). */
  async rebuild(db: Executor) {
    await db.execute(sql`select community_progress_rebuild()`);
  }

  /**
   * Turns the read model's triggers off or on (DDL: takes each table's lock). For bulk loads only,
   * which then call `rebuild`: a trigger per loaded row would recompute each community many times.
   */
  async setTriggers(db: Executor, enabled: boolean) {
    const result = await db.execute(
      sql`select tgrelid::regclass::text as table_name, tgname from pg_trigger where tgname like 'community\_progress\_%' and not tgisinternal`,
    );
    for (const t of rowsOf<{ table_name: string; tgname: string }>(result)) {
      await db.execute(sql.raw(`alter table ${t.table_name} ${enabled ? 'enable' : 'disable'} trigger "${t.tgname}"`));
    }
  }

  /**
   * Stored rows compared with rows recomputed from the source tables, field by field: every year
   * with a policy, every rated community; the first `limit` differences in (community, year, field) order.
   */
  async differences(db: Executor, limit: number): Promise<ProgressDifference[]> {
    const result = await db.execute(sql`
      with recomputed as (select c.* from policy_year py cross join lateral community_progress_compute(py.year, null) c),
      pairs as (
        select coalesce(s.community_code, r.community_code) as community_code, coalesce(s.fund_year, r.fund_year) as fund_year,
          to_jsonb(s) as stored, to_jsonb(r) as recomputed
        from ${communityProgress} s full join recomputed r on r.community_code = s.community_code and r.fund_year = s.fund_year
        where to_jsonb(s) is distinct from to_jsonb(r)
      )
      select p.community_code, p.fund_year, '(row)' as field,
        to_jsonb(case when p.stored is null then 'missing' else 'present' end) as stored,
        to_jsonb(case when p.recomputed is null then 'missing' else 'present' end) as recomputed
      from pairs p where p.stored is null or p.recomputed is null
      union all
      select p.community_code, p.fund_year, f.key, p.stored -> f.key, p.recomputed -> f.key
      from pairs p cross join lateral jsonb_object_keys(p.recomputed) as f(key)
      where p.stored is not null and p.recomputed is not null and (p.stored -> f.key) is distinct from (p.recomputed -> f.key)
      order by 1, 2, 3
      limit ${limit}`);
    return rowsOf<{ community_code: string; fund_year: number; field: string; stored: unknown; recomputed: unknown }>(result).map((r) => ({
      communityCode: r.community_code,
      fundYear: Number(r.fund_year),
      field: r.field,
      stored: r.stored,
      recomputed: r.recomputed,
    }));
  }

  async get(db: Executor, communityCode: string, fundYear: number): Promise<ProgressRow | undefined> {
    const rows = await db
      .select()
      .from(communityProgress)
      .where(and(eq(communityProgress.communityCode, communityCode), eq(communityProgress.fundYear, fundYear)));
    return rows[0];
  }

  /** Rows under a path counted per district and funnel step, with each group's first community code. */
  async funnelByDistrict(db: Executor, fundYear: number, pathPrefix: string) {
    const result = await db.execute(sql`
      select district_code, step, min(community_code) as first_code, count(*)::int as communities
      from ${communityProgress} where fund_year = ${fundYear} and ${underPathSql(sql`region_path`, pathPrefix)}
      group by district_code, step`);
    return rowsOf<{ district_code: string; step: number; first_code: string; communities: number }>(result).map((r) => ({
      districtCode: r.district_code,
      step: num(r.step),
      firstCode: r.first_code,
      communities: num(r.communities),
    }));
  }

  /** Every row under a path with its step (drill-downs below the city). */
  async funnelCommunities(db: Executor, fundYear: number, pathPrefix: string) {
    const result = await db.execute(sql`
      select community_code, street_code, district_code, stars, step
      from ${communityProgress} where fund_year = ${fundYear} and ${underPathSql(sql`region_path`, pathPrefix)}`);
    return rowsOf<{ community_code: string; street_code: string; district_code: string; stars: number; step: number }>(result).map((r) => ({
      code: r.community_code,
      streetCode: r.street_code,
      districtCode: r.district_code,
      stars: num(r.stars),
      step: num(r.step),
    }));
  }

  /**
   * Rows with a ledger account under a path summed per district and star level: the figures, the
   * count and the smallest account id (the order districts are listed in).
   */
  async moneyByDistrictAndStars(db: Executor, fundYear: number, pathPrefix: string) {
    const result = await db.execute(sql`
      select district_code, stars, min(account_id) as first_id, count(*)::int as communities,
        sum(allocated_fen)::bigint as allocated, sum(committed_fen)::bigint as committed,
        sum(paid_fen)::bigint as paid, sum(available_fen)::bigint as available
      from ${communityProgress}
      where fund_year = ${fundYear} and account_id is not null and ${underPathSql(sql`region_path`, pathPrefix)}
      group by district_code, stars`);
    return rowsOf<Record<string, unknown>>(result).map((r) => ({
      districtCode: String(r.district_code),
      stars: num(r.stars),
      firstAccountId: num(r.first_id),
      communities: num(r.communities),
      allocated: num(r.allocated),
      committed: num(r.committed),
      paid: num(r.paid),
      available: num(r.available),
    }));
  }

  /** Evaluation assignments of the rows under a path, by kind and grade (outstanding: not concluded). */
  async gradeTotals(db: Executor, fundYear: number, pathPrefix: string) {
    const kinds = ['midterm', 'final'] as const;
    const grades = ['excellent', 'good', 'pass', 'fail', 'outstanding'] as const;
    const columns = kinds.flatMap((k) => grades.map((g) => `${k}_${g}`));
    const result = await db.execute(sql`
      select ${sql.raw(columns.map((c) => `coalesce(sum(${c}), 0)::int as ${c}`).join(', '))}
      from ${communityProgress} where fund_year = ${fundYear} and ${underPathSql(sql`region_path`, pathPrefix)}`);
    const row = rowsOf<Record<string, unknown>>(result)[0] ?? {};
    const of = (k: (typeof kinds)[number]) =>
      Object.fromEntries(grades.map((g) => [g, num(row[`${k}_${g}`])])) as Record<(typeof grades)[number], number>;
    return { midterm: of('midterm'), final: of('final') };
  }
}
