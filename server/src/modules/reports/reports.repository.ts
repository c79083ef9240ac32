import { and, asc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { underPath } from '../../common/region-scope.js';
import { districtReport } from '../../db/schema/reports.js';

export type ReportRow = typeof districtReport.$inferSelect;

/** Facts of a community's filed projects; the project facts relation sets bit i for PROJECT_FACTS[i]. */
export const PROJECT_FACTS = ['contracted', 'midterm', 'final'] as const;
const factBit = (fact: (typeof PROJECT_FACTS)[number]) => 1 << PROJECT_FACTS.indexOf(fact);

/**
 * Relations (plan_project_id, bits) of the projects with a fact, from other modules' relations:
 * projects under a signed contract (plan_project_id) and projects with a concluded evaluation
 * (plan_project_id, kind; both kinds in one scan).
 */
export function projectFlags(signed: SQL, evaluated: SQL): SQL[] {
  const kindBit = sql`case e.kind when 'midterm' then ${sql.raw(String(factBit('midterm')))} when 'final' then ${sql.raw(String(factBit('final')))} else 0 end`;
  return [
    sql`select s.plan_project_id, ${sql.raw(String(factBit('contracted')))} as bits from (${signed}) s`,
    sql`select e.plan_project_id, ${kindBit} as bits from (${evaluated}) e`,
  ];
}

/**
 * Other modules' relations the funnel is counted from (see their services): rated communities
 * (community_code, stars, street_code, district_code), communities with a campaign and with a
 * decision (community_code), and per community served by filed projects the project facts
 * (community_code, bits: see PROJECT_FACTS; one row per community).
 */
export interface FunnelRelations {
  rated: SQL;
  campaign: SQL;
  decided: SQL;
  projectFacts: SQL;
}

/** Each rated community with the furthest funnel step whose every earlier step holds (0 = allocated). */
function stepsOf(rel: FunnelRelations): SQL {
  const has = (relation: SQL) => sql`exists (select 1 from (${relation}) x where x.community_code = r.community_code)`;
  const bit = (fact: (typeof PROJECT_FACTS)[number]) => sql`coalesce(f.bits & ${sql.raw(String(factBit(fact)))}, 0) <> 0`;
  // In the order of FUNNEL_STEPS after 'allocated'; a filed plan implies the decision was taken.
  const facts = [
    has(rel.campaign),
    sql`(f.community_code is not null or ${has(rel.decided)})`,
    sql`f.community_code is not null`,
    bit('contracted'),
    bit('midterm'),
    bit('final'),
  ];
  const step = sql`case ${sql.join(
    facts.map((fact, i) => sql`when not ${fact} then ${sql.raw(String(i))}`),
    sql` `,
  )} else ${sql.raw(String(facts.length))} end`;
  return sql`select r.community_code, r.street_code, r.district_code, r.stars, ${step} as step
    from (${rel.rated}) r left join (${rel.projectFacts}) f on f.community_code = r.community_code`;
}

export class ReportsRepository {
  async insert(db: Executor, row: typeof districtReport.$inferInsert): Promise<ReportRow | undefined> {
    return (await db.insert(districtReport).values(row).onConflictDoNothing().returning())[0];
  }

  /** Rated communities counted per district and funnel step, with each group's first community code. */
  async funnelByDistrict(db: Executor, rel: FunnelRelations) {
    const result = (await db.execute(sql`
      select district_code, step, min(community_code) as first_code, count(*)::int as communities
      from (${stepsOf(rel)}) s group by district_code, step`)) as unknown as {
      rows: { district_code: string; step: number; first_code: string; communities: number }[];
    };
    return result.rows.map((r) => ({
      districtCode: r.district_code,
      step: Number(r.step),
      firstCode: r.first_code,
      communities: Number(r.communities),
    }));
  }

  /** Every rated community with its step (for drill-downs below the city). */
  async funnelCommunities(db: Executor, rel: FunnelRelations) {
    const result = (await db.execute(sql`select * from (${stepsOf(rel)}) s`)) as unknown as {
      rows: { community_code: string; street_code: string; district_code: string; stars: number; step: number }[];
    };
    return result.rows.map((r) => ({
      code: r.community_code,
      streetCode: r.street_code,
      districtCode: r.district_code,
      stars: Number(r.stars),
      step: Number(r.step),
    }));
  }

  async get(db: Executor, id: number, forUpdate = false): Promise<ReportRow | undefined> {
    const q = db.select().from(districtReport).where(eq(districtReport.id, id));
    return (forUpdate ? await q.for('update') : await q)[0];
  }

  async update(db: Executor, id: number, patch: Partial<typeof districtReport.$inferInsert>) {
    await db.update(districtReport).set(patch).where(eq(districtReport.id, id));
  }

  async list(db: Executor, filter: { pathPrefix: string; fundYear?: number; kind?: string; status?: string[] }): Promise<ReportRow[]> {
    const c: SQL[] = [underPath(districtReport.regionPath, filter.pathPrefix)];
    if (filter.fundYear) c.push(eq(districtReport.fundYear, filter.fundYear));
    if (filter.kind) c.push(eq(districtReport.kind, filter.kind as ReportRow['kind']));
    if (filter.status?.length) c.push(inArray(districtReport.status, filter.status as ReportRow['status'][]));
    return db
      .select()
      .from(districtReport)
      .where(and(...c))
      .orderBy(asc(districtReport.fundYear), asc(districtReport.districtCode), asc(districtReport.kind));
  }
}
