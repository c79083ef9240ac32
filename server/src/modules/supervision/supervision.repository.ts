import { and, asc, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { underPath } from '../../common/region-scope.js';
import { spotCheck, streetVisit, supervisionFinding } from '../../db/schema/supervision.js';

export type SpotCheckRow = typeof spotCheck.$inferSelect;
export type FindingRow = typeof supervisionFinding.$inferSelect;
export type VisitRow = typeof streetVisit.$inferSelect;

export class SupervisionRepository {
  /** Findings not closed whose rectification deadline was computed provisionally (ADR 0009). */
  async provisionalFindings(db: Executor) {
    return db
      .select({
        id: supervisionFinding.id,
        description: supervisionFinding.description,
        regionPath: supervisionFinding.regionPath,
        foundOn: supervisionFinding.foundOn,
        workdays: supervisionFinding.workdays,
        deadlineOn: supervisionFinding.deadlineOn,
      })
      .from(supervisionFinding)
      .where(and(sql`${supervisionFinding.status} <> 'closed'`, eq(supervisionFinding.deadlineProvisional, true)))
      .orderBy(asc(supervisionFinding.id));
  }

  async insertSpotCheck(db: Executor, row: typeof spotCheck.$inferInsert) {
    return (await db.insert(spotCheck).values(row).returning())[0]!;
  }

  async spotCheck(db: Executor, id: number): Promise<SpotCheckRow | undefined> {
    return (await db.select().from(spotCheck).where(eq(spotCheck.id, id)))[0];
  }

  async spotChecks(db: Executor, fundYear?: number): Promise<SpotCheckRow[]> {
    return db
      .select()
      .from(spotCheck)
      .where(fundYear ? eq(spotCheck.fundYear, fundYear) : undefined)
      .orderBy(desc(spotCheck.id));
  }

  async insertVisit(db: Executor, row: typeof streetVisit.$inferInsert) {
    return (await db.insert(streetVisit).values(row).returning())[0]!;
  }

  async visits(db: Executor, pathPrefix: string): Promise<VisitRow[]> {
    return db
      .select()
      .from(streetVisit)
      .where(underPath(streetVisit.regionPath, pathPrefix))
      .orderBy(desc(streetVisit.visitedOn), desc(streetVisit.id));
  }

  async visit(db: Executor, id: number): Promise<VisitRow | undefined> {
    return (await db.select().from(streetVisit).where(eq(streetVisit.id, id)))[0];
  }

  async insertFinding(db: Executor, row: typeof supervisionFinding.$inferInsert) {
    return (await db.insert(supervisionFinding).values(row).returning())[0]!;
  }

  async finding(db: Executor, id: number, forUpdate = false): Promise<FindingRow | undefined> {
    const q = db.select().from(supervisionFinding).where(eq(supervisionFinding.id, id));
    return (forUpdate ? await q.for('update') : await q)[0];
  }

  async updateFinding(db: Executor, id: number, patch: Partial<typeof supervisionFinding.$inferInsert>) {
    await db.update(supervisionFinding).set(patch).where(eq(supervisionFinding.id, id));
  }

  async findings(
    db: Executor,
    filter: { pathPrefix: string; spotCheckId?: number; visitIds?: number[]; status?: string },
  ): Promise<FindingRow[]> {
    const c: SQL[] = [underPath(supervisionFinding.regionPath, filter.pathPrefix)];
    if (filter.spotCheckId) c.push(eq(supervisionFinding.spotCheckId, filter.spotCheckId));
    if (filter.visitIds) c.push(filter.visitIds.length ? inArray(supervisionFinding.visitId, filter.visitIds) : sql`false`);
    if (filter.status) c.push(eq(supervisionFinding.status, filter.status as FindingRow['status']));
    return db
      .select()
      .from(supervisionFinding)
      .where(and(...c))
      .orderBy(asc(supervisionFinding.deadlineOn), asc(supervisionFinding.id));
  }

  /** Open findings past their deadline under a region (dashboard). */
  async overdueFindings(db: Executor, pathPrefix: string, today: string): Promise<FindingRow[]> {
    return db
      .select()
      .from(supervisionFinding)
      .where(
        and(
          underPath(supervisionFinding.regionPath, pathPrefix),
          inArray(supervisionFinding.status, ['open', 'responded']),
          sql`${supervisionFinding.deadlineOn} < ${today}`,
        ),
      )
      .orderBy(asc(supervisionFinding.deadlineOn));
  }
}
