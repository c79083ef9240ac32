import { and, asc, desc, eq, inArray, lt, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { messageRead, plan, planCommunity, planProject, planReview } from '../../db/schema/plans.js';
import { underPath, underPathSql } from '../../common/region-scope.js';

export type PlanRow = typeof plan.$inferSelect;
export type PlanProjectRow = typeof planProject.$inferSelect;
export type PlanReviewRow = typeof planReview.$inferSelect;

const filedUnder = (filter: { pathPrefix: string; fundYear: number }) =>
  sql`p.status = 'filed' and p.fund_year = ${filter.fundYear} and ${underPathSql(sql`p.region_path`, filter.pathPrefix)}`;

/** An int[] as either driver returns it (node-postgres parses it; a raw literal otherwise). */
const intArray = (v: number[] | string): number[] => (Array.isArray(v) ? v.map(Number) : v.replace(/[{}]/g, '').split(',').map(Number));

export class PlansRepository {
  /** Plans under street review whose due date was computed provisionally (ADR 0009). */
  async provisionalReviews(db: Executor) {
    return db
      .select({
        id: plan.id,
        title: plan.title,
        regionPath: plan.regionPath,
        fundYear: plan.fundYear,
        submittedOn: plan.submittedOn,
        reviewDueOn: plan.reviewDueOn,
      })
      .from(plan)
      .where(and(eq(plan.status, 'submitted'), eq(plan.reviewDueProvisional, true)))
      .orderBy(asc(plan.id));
  }

  async insertPlan(db: Executor, row: typeof plan.$inferInsert): Promise<PlanRow> {
    return (await db.insert(plan).values(row).returning())[0]!;
  }

  async plan(db: Executor, id: number, forUpdate = false): Promise<PlanRow | undefined> {
    const q = db.select().from(plan).where(eq(plan.id, id));
    return (forUpdate ? await q.for('update') : await q)[0];
  }

  async updatePlan(db: Executor, id: number, patch: Partial<typeof plan.$inferInsert>) {
    await db
      .update(plan)
      .set({ ...patch, updatedAt: new Date() })
      .where(eq(plan.id, id));
  }

  /** Plans whose owner lies under the path prefix (scope), optionally by year and status. */
  async list(
    db: Executor,
    filter: {
      pathPrefix: string;
      fundYear?: number;
      status?: string[];
      communityCode?: string;
      reviewDueBefore?: string;
      limit: number;
      offset: number;
    },
  ) {
    const conditions: SQL[] = [underPath(plan.regionPath, filter.pathPrefix)];
    if (filter.fundYear) conditions.push(eq(plan.fundYear, filter.fundYear));
    if (filter.status?.length) conditions.push(inArray(plan.status, filter.status as PlanRow['status'][]));
    if (filter.reviewDueBefore) conditions.push(lt(plan.reviewDueOn, filter.reviewDueBefore));
    if (filter.communityCode)
      conditions.push(
        sql`exists (select 1 from ${planCommunity} pc where pc.plan_id = ${plan.id} and pc.community_code = ${filter.communityCode})`,
      );
    const where = and(...conditions);
    const [items, totals] = await Promise.all([
      db
        .select()
        .from(plan)
        .where(where)
        .orderBy(desc(plan.fundYear), asc(plan.reviewDueOn), asc(plan.id))
        .limit(filter.limit)
        .offset(filter.offset),
      db
        .select({ total: sql<number>`count(*)`.mapWith(Number) })
        .from(plan)
        .where(where),
    ]);
    return { items, total: totals[0]?.total ?? 0 };
  }

  async insertCommunities(db: Executor, planId: number, fundYear: number, codes: string[]) {
    if (codes.length) await db.insert(planCommunity).values(codes.map((communityCode) => ({ planId, communityCode, fundYear })));
  }

  async communities(db: Executor, planIds: number[]): Promise<{ planId: number; communityCode: string }[]> {
    if (!planIds.length) return [];
    return db
      .select({ planId: planCommunity.planId, communityCode: planCommunity.communityCode })
      .from(planCommunity)
      .where(inArray(planCommunity.planId, planIds))
      .orderBy(asc(planCommunity.communityCode));
  }

  /** Plans already holding any of these communities in the fund year. */
  /** Plans under a path holding this community, found through the membership index rather than the path's every plan. */
  async plansOfCommunity(db: Executor, filter: { communityCode: string; pathPrefix: string; fundYear: number }): Promise<PlanRow[]> {
    const rows = await db
      .select({ plan })
      .from(planCommunity)
      .innerJoin(plan, eq(plan.id, planCommunity.planId))
      .where(
        and(
          eq(planCommunity.communityCode, filter.communityCode),
          eq(plan.fundYear, filter.fundYear),
          underPath(plan.regionPath, filter.pathPrefix),
        ),
      )
      .orderBy(desc(plan.fundYear), asc(plan.reviewDueOn), asc(plan.id));
    return rows.map((r) => r.plan);
  }

  /** The plans holding a community in a fund year, locked (FOR UPDATE) so a concurrent submission waits. */
  async lockPlansOfCommunity(db: Executor, communityCode: string, fundYear: number) {
    return db
      .select({ id: plan.id, status: plan.status })
      .from(planCommunity)
      .innerJoin(plan, eq(plan.id, planCommunity.planId))
      .where(and(eq(planCommunity.communityCode, communityCode), eq(plan.fundYear, fundYear)))
      .orderBy(asc(plan.id))
      .for('update', { of: plan });
  }

  async plansHolding(db: Executor, fundYear: number, codes: string[]) {
    if (!codes.length) return [];
    return db
      .select({ planId: planCommunity.planId, communityCode: planCommunity.communityCode })
      .from(planCommunity)
      .where(and(eq(planCommunity.fundYear, fundYear), inArray(planCommunity.communityCode, codes)));
  }

  async projects(db: Executor, planIds: number[]): Promise<PlanProjectRow[]> {
    if (!planIds.length) return [];
    return db
      .select()
      .from(planProject)
      .where(inArray(planProject.planId, planIds))
      .orderBy(asc(planProject.planId), asc(planProject.sortOrder), asc(planProject.id));
  }

  async project(db: Executor, id: number): Promise<PlanProjectRow | undefined> {
    return (await db.select().from(planProject).where(eq(planProject.id, id)))[0];
  }

  /** Replaces a draft plan's projects (plan editing). Rows are only deleted while the plan is a draft. */
  async replaceProjects(db: Executor, planId: number, rows: Omit<typeof planProject.$inferInsert, 'planId'>[]) {
    await db.delete(planProject).where(eq(planProject.planId, planId));
    // [N 2.3] A project serving one community without declared shares: that community carries its whole budget.
    const withShares = rows.map((r) =>
      r.shares || r.communityCodes.length !== 1 ? r : { ...r, shares: [{ communityCode: r.communityCodes[0]!, shareFen: r.budgetFen }] },
    );
    if (rows.length) await db.insert(planProject).values(withShares.map((r, i) => ({ ...r, planId, sortOrder: i })));
  }

  async insertReview(db: Executor, row: typeof planReview.$inferInsert) {
    return (await db.insert(planReview).values(row).returning())[0]!;
  }

  async reviews(db: Executor, planId: number): Promise<PlanReviewRow[]> {
    return db.select().from(planReview).where(eq(planReview.planId, planId)).orderBy(asc(planReview.id));
  }

  /** Filed projects (for contracts, issue 7) under a path prefix, by fund year. */
  async filedProjects(db: Executor, filter: { pathPrefix?: string; communityCode?: string; fundYear?: number }) {
    const conditions: SQL[] = [eq(plan.status, 'filed')];
    if (filter.pathPrefix) conditions.push(underPath(plan.regionPath, filter.pathPrefix));
    if (filter.fundYear) conditions.push(eq(plan.fundYear, filter.fundYear));
    if (filter.communityCode) conditions.push(sql`${planProject.communityCodes} @> ${JSON.stringify([filter.communityCode])}::jsonb`);
    return db
      .select({ project: planProject, plan })
      .from(planProject)
      .innerJoin(plan, eq(plan.id, planProject.planId))
      .where(and(...conditions))
      .orderBy(asc(plan.id), asc(planProject.sortOrder), asc(planProject.id));
  }

  /**
   * Relation (community_code, bits) of the communities served by filed projects under a path in a
   * fund year, with the bits of their projects OR-ed together: each of `flags` is another
   * module's relation (plan_project_id, bits), joined on its own so that for a small region the
   * planner can probe it by project. Projects are first grouped by their list of communities (one
   * list per plan, mostly), so that only those lists are unnested, not every project's.
   */
  filedCommunityFactsRelation(filter: { pathPrefix: string; fundYear: number }, flags: SQL[]): SQL {
    const joins = flags.map((f, i) => sql`left join (${f}) ${sql.raw(`f${i}`)} on ${sql.raw(`f${i}`)}.plan_project_id = pp.id`);
    const bits = flags.length
      ? sql.join(
          flags.map((_, i) => sql.raw(`coalesce(f${i}.bits, 0)`)),
          sql` | `,
        )
      : sql`0`;
    return sql`select c.code as community_code, bit_or(g.bits) as bits
      from (select pp.community_codes, bit_or(${bits}) as bits
            from ${plan} p join ${planProject} pp on pp.plan_id = p.id ${sql.join(joins, sql` `)}
            where ${filedUnder(filter)}
            group by pp.community_codes) g
      cross join lateral jsonb_array_elements_text(g.community_codes) as c(code)
      group by c.code`;
  }

  /**
   * Filed projects under a path in a fund year by catalogue type and category: count, budget and
   * the first project (plan id, sort order, id — the order projects are listed in); and per type,
   * the amount of the live contracts (`links`: contract_id, plan_project_id, amount_fen) credited
   * to the type of the first listed project each covers, so a contract counts once.
   */
  async filedTypes(db: Executor, filter: { pathPrefix: string; fundYear: number }, links: SQL) {
    const result = (await db.execute(sql`
      with fp as (
        select pp.id, pp.catalogue_code, pp.category, pp.budget_fen, array[p.id, pp.sort_order, pp.id] as ord
        from ${plan} p join ${planProject} pp on pp.plan_id = p.id
        where ${filedUnder(filter)}
      ),
      firsts as (
        select l.contract_id, l.amount_fen, min(fp.ord) as ord from (${links}) l join fp on fp.id = l.plan_project_id group by l.contract_id, l.amount_fen
      ),
      credited as (
        select fp.catalogue_code, sum(f.amount_fen)::bigint as contracted_fen from firsts f join fp on fp.id = f.ord[3] group by fp.catalogue_code
      )
      select t.catalogue_code, t.category, t.projects, t.budget_fen, t.first, coalesce(c.contracted_fen, 0)::bigint as contracted_fen
      from (select catalogue_code, category, count(*)::int as projects, sum(budget_fen)::bigint as budget_fen, min(ord) as first from fp group by catalogue_code, category) t
      left join credited c on c.catalogue_code = t.catalogue_code`)) as unknown as {
      rows: {
        catalogue_code: string;
        category: 'basic' | 'enhancement';
        projects: number;
        budget_fen: number;
        first: number[] | string;
        contracted_fen: number;
      }[];
    };
    return result.rows.map((r) => ({
      catalogueCode: r.catalogue_code,
      category: r.category,
      projects: Number(r.projects),
      budgetFen: Number(r.budget_fen),
      contractedFen: Number(r.contracted_fen),
      first: intArray(r.first),
    }));
  }

  async projectsWithPlans(db: Executor, projectIds: number[]) {
    if (projectIds.length === 0) return [];
    return db
      .select({ project: planProject, plan })
      .from(planProject)
      .innerJoin(plan, eq(plan.id, planProject.planId))
      .where(sql`${planProject.id} = any(${sql.param(projectIds)}::int[])`);
  }

  async projectWithPlan(db: Executor, projectId: number) {
    return (
      await db
        .select({ project: planProject, plan })
        .from(planProject)
        .innerJoin(plan, eq(plan.id, planProject.planId))
        .where(eq(planProject.id, projectId))
    )[0];
  }

  async readKeys(db: Executor, userId: number): Promise<Set<string>> {
    const rows = await db.select({ key: messageRead.messageKey }).from(messageRead).where(eq(messageRead.userId, userId));
    return new Set(rows.map((r) => r.key));
  }

  async markRead(db: Executor, userId: number, keys: string[]) {
    if (keys.length)
      await db
        .insert(messageRead)
        .values(keys.map((messageKey) => ({ userId, messageKey })))
        .onConflictDoNothing();
  }
}
