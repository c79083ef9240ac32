import { and, asc, desc, eq, inArray, like, or, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { messageRead, plan, planCommunity, planProject, planReview } from '../../db/schema/index.js';

export type PlanRow = typeof plan.$inferSelect;
export type PlanProjectRow = typeof planProject.$inferSelect;
export type PlanReviewRow = typeof planReview.$inferSelect;

const escapeLike = (s: string) => s.replace(/[%_\\]/g, (c) => `\\${c}`);

export class PlansRepository {
  async insertPlan(db: Executor, row: typeof plan.$inferInsert): Promise<PlanRow> {
    return (await db.insert(plan).values(row).returning())[0]!;
  }

  async plan(db: Executor, id: number, forUpdate = false): Promise<PlanRow | undefined> {
    const q = db.select().from(plan).where(eq(plan.id, id));
    return (forUpdate ? await q.for('update') : await q)[0];
  }

  async updatePlan(db: Executor, id: number, patch: Partial<typeof plan.$inferInsert>) {
    await db.update(plan).set({ ...patch, updatedAt: new Date() }).where(eq(plan.id, id));
  }

  /** Plans whose owner lies under the path prefix (scope), optionally by year and status. */
  async list(db: Executor, filter: { pathPrefix: string; fundYear?: number; status?: string[]; communityCode?: string; limit: number; offset: number }) {
    const prefix = escapeLike(filter.pathPrefix);
    const conditions: SQL[] = [or(eq(plan.regionPath, filter.pathPrefix), like(plan.regionPath, `${prefix}/%`))!];
    if (filter.fundYear) conditions.push(eq(plan.fundYear, filter.fundYear));
    if (filter.status?.length) conditions.push(inArray(plan.status, filter.status as PlanRow['status'][]));
    if (filter.communityCode) conditions.push(sql`exists (select 1 from ${planCommunity} pc where pc.plan_id = ${plan.id} and pc.community_code = ${filter.communityCode})`);
    const where = and(...conditions);
    const [items, totals] = await Promise.all([
      db.select().from(plan).where(where).orderBy(desc(plan.fundYear), asc(plan.reviewDueOn), asc(plan.id)).limit(filter.limit).offset(filter.offset),
      db.select({ total: sql<number>`count(*)`.mapWith(Number) }).from(plan).where(where),
    ]);
    return { items, total: totals[0]?.total ?? 0 };
  }

  async insertCommunities(db: Executor, planId: number, fundYear: number, codes: string[]) {
    if (codes.length) await db.insert(planCommunity).values(codes.map((communityCode) => ({ planId, communityCode, fundYear })));
  }

  async communities(db: Executor, planIds: number[]): Promise<{ planId: number; communityCode: string }[]> {
    if (!planIds.length) return [];
    return db.select({ planId: planCommunity.planId, communityCode: planCommunity.communityCode }).from(planCommunity).where(inArray(planCommunity.planId, planIds)).orderBy(asc(planCommunity.communityCode));
  }

  /** Plans already holding any of these communities in the fund year. */
  async plansHolding(db: Executor, fundYear: number, codes: string[]) {
    if (!codes.length) return [];
    return db.select({ planId: planCommunity.planId, communityCode: planCommunity.communityCode }).from(planCommunity).where(and(eq(planCommunity.fundYear, fundYear), inArray(planCommunity.communityCode, codes)));
  }

  async projects(db: Executor, planIds: number[]): Promise<PlanProjectRow[]> {
    if (!planIds.length) return [];
    return db.select().from(planProject).where(inArray(planProject.planId, planIds)).orderBy(asc(planProject.planId), asc(planProject.sortOrder), asc(planProject.id));
  }

  async project(db: Executor, id: number): Promise<PlanProjectRow | undefined> {
    return (await db.select().from(planProject).where(eq(planProject.id, id)))[0];
  }

  /** Replaces a draft plan's projects (plan editing). Rows are only deleted while the plan is a draft. */
  async replaceProjects(db: Executor, planId: number, rows: Omit<typeof planProject.$inferInsert, 'planId'>[]) {
    await db.delete(planProject).where(eq(planProject.planId, planId));
    if (rows.length) await db.insert(planProject).values(rows.map((r, i) => ({ ...r, planId, sortOrder: i })));
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
    if (filter.pathPrefix) conditions.push(or(eq(plan.regionPath, filter.pathPrefix), like(plan.regionPath, `${escapeLike(filter.pathPrefix)}/%`))!);
    if (filter.fundYear) conditions.push(eq(plan.fundYear, filter.fundYear));
    if (filter.communityCode) conditions.push(sql`${planProject.communityCodes} @> ${JSON.stringify([filter.communityCode])}::jsonb`);
    return db.select({ project: planProject, plan }).from(planProject).innerJoin(plan, eq(plan.id, planProject.planId)).where(and(...conditions)).orderBy(asc(plan.id), asc(planProject.sortOrder), asc(planProject.id));
  }

  async projectWithPlan(db: Executor, projectId: number) {
    return (await db.select({ project: planProject, plan }).from(planProject).innerJoin(plan, eq(plan.id, planProject.planId)).where(eq(planProject.id, projectId)))[0];
  }

  async readKeys(db: Executor, userId: number): Promise<Set<string>> {
    const rows = await db.select({ key: messageRead.messageKey }).from(messageRead).where(eq(messageRead.userId, userId));
    return new Set(rows.map((r) => r.key));
  }

  async markRead(db: Executor, userId: number, keys: string[]) {
    if (keys.length) await db.insert(messageRead).values(keys.map((messageKey) => ({ userId, messageKey }))).onConflictDoNothing();
  }
}
