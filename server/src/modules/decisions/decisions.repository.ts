import { and, asc, desc, eq, inArray, like, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { decision, decisionNotice, decisionObjection, decisionProject, decisionStep, decisionVote } from '../../db/schema/decisions.js';
import { escapeLike } from '../../common/region-scope.js';

export type DecisionRow = typeof decision.$inferSelect;
export type ProjectRow = typeof decisionProject.$inferSelect;
export type StepRow = typeof decisionStep.$inferSelect;
export type VoteRow = typeof decisionVote.$inferSelect;
export type NoticeRow = typeof decisionNotice.$inferSelect;
export type ObjectionRow = typeof decisionObjection.$inferSelect;

export class DecisionsRepository {
  /** Open notices whose window end was computed provisionally (ADR 0009), with their decision. */
  async provisionalNotices(db: Executor) {
    return db
      .select({
        id: decisionNotice.id,
        decisionId: decisionNotice.decisionId,
        postedOn: decisionNotice.postedOn,
        windowEnd: decisionNotice.windowEnd,
        communityCode: decision.communityCode,
        fundYear: decision.fundYear,
      })
      .from(decisionNotice)
      .innerJoin(decision, eq(decision.id, decisionNotice.decisionId))
      .where(and(eq(decisionNotice.status, 'open'), eq(decisionNotice.windowEndProvisional, true)))
      .orderBy(asc(decisionNotice.id));
  }

  async insertDecision(db: Executor, row: typeof decision.$inferInsert): Promise<DecisionRow> {
    return (await db.insert(decision).values(row).returning())[0]!;
  }

  async decision(db: Executor, id: number, forUpdate = false): Promise<DecisionRow | undefined> {
    const q = db.select().from(decision).where(eq(decision.id, id));
    return (forUpdate ? await q.for('update') : await q)[0];
  }

  async liveForCampaign(db: Executor, campaignId: number): Promise<DecisionRow | undefined> {
    return (
      await db
        .select()
        .from(decision)
        .where(and(eq(decision.campaignId, campaignId), sql`${decision.status} <> 'rejected'`))
    )[0];
  }

  async updateDecision(db: Executor, id: number, patch: Partial<typeof decision.$inferInsert>) {
    await db
      .update(decision)
      .set({ ...patch, updatedAt: new Date() })
      .where(eq(decision.id, id));
  }

  /** Decisions of communities whose code starts with `codePrefix` (region codes nest). */
  async list(
    db: Executor,
    filter: { codePrefix: string; communityCode?: string; fundYear?: number; status?: string; limit: number; offset: number },
  ) {
    const conditions: SQL[] = [like(decision.communityCode, `${escapeLike(filter.codePrefix)}%`)];
    if (filter.communityCode) conditions.push(eq(decision.communityCode, filter.communityCode));
    if (filter.fundYear) conditions.push(eq(decision.fundYear, filter.fundYear));
    if (filter.status) conditions.push(eq(decision.status, filter.status as DecisionRow['status']));
    const where = and(...conditions);
    const [items, totals] = await Promise.all([
      db
        .select()
        .from(decision)
        .where(where)
        .orderBy(desc(decision.fundYear), asc(decision.communityCode), desc(decision.id))
        .limit(filter.limit)
        .offset(filter.offset),
      db
        .select({ total: sql<number>`count(*)`.mapWith(Number) })
        .from(decision)
        .where(where),
    ]);
    return { items, total: totals[0]?.total ?? 0 };
  }

  /**
   * Relation (community_code) of the communities whose decision of the fund year was taken and
   * noticed: status noticed or ready_for_review (a notice closing unobjected only moves noticed
   * to ready_for_review, so the lazily read status is the same set). Callers narrow it by joining.
   */
  decidedCommunitiesRelation(fundYear: number): SQL {
    return sql`select community_code from ${decision} where fund_year = ${fundYear} and status in ('noticed', 'ready_for_review')`;
  }

  async insertProjects(db: Executor, rows: (typeof decisionProject.$inferInsert)[]) {
    if (rows.length) await db.insert(decisionProject).values(rows);
  }

  async projects(db: Executor, decisionId: number): Promise<ProjectRow[]> {
    return db.select().from(decisionProject).where(eq(decisionProject.decisionId, decisionId)).orderBy(asc(decisionProject.rank));
  }

  async insertStep(db: Executor, row: typeof decisionStep.$inferInsert): Promise<StepRow> {
    return (await db.insert(decisionStep).values(row).returning())[0]!;
  }

  async steps(db: Executor, decisionId: number): Promise<StepRow[]> {
    return db.select().from(decisionStep).where(eq(decisionStep.decisionId, decisionId)).orderBy(asc(decisionStep.seq));
  }

  async insertVotes(db: Executor, rows: (typeof decisionVote.$inferInsert)[]) {
    if (rows.length) await db.insert(decisionVote).values(rows);
  }

  async votes(db: Executor, stepIds: number[]): Promise<VoteRow[]> {
    if (stepIds.length === 0) return [];
    return db.select().from(decisionVote).where(inArray(decisionVote.stepId, stepIds));
  }

  async insertNotice(db: Executor, row: typeof decisionNotice.$inferInsert): Promise<NoticeRow> {
    return (await db.insert(decisionNotice).values(row).returning())[0]!;
  }

  async notice(db: Executor, id: number, forUpdate = false): Promise<NoticeRow | undefined> {
    const q = db.select().from(decisionNotice).where(eq(decisionNotice.id, id));
    return (forUpdate ? await q.for('update') : await q)[0];
  }

  async notices(db: Executor, decisionIds: number[]): Promise<NoticeRow[]> {
    if (decisionIds.length === 0) return [];
    return db
      .select()
      .from(decisionNotice)
      .where(inArray(decisionNotice.decisionId, decisionIds))
      .orderBy(asc(decisionNotice.decisionId), asc(decisionNotice.round));
  }

  async updateNotice(db: Executor, id: number, patch: Partial<typeof decisionNotice.$inferInsert>) {
    await db.update(decisionNotice).set(patch).where(eq(decisionNotice.id, id));
  }

  /** Inserts unless this representative already objected to this notice; undefined then. */
  async insertObjectionOnce(db: Executor, row: typeof decisionObjection.$inferInsert): Promise<ObjectionRow | undefined> {
    return (await db.insert(decisionObjection).values(row).onConflictDoNothing().returning())[0];
  }

  async objectionOf(db: Executor, noticeId: number, householdId: number, representativeName: string): Promise<ObjectionRow | undefined> {
    return (
      await db
        .select()
        .from(decisionObjection)
        .where(
          and(
            eq(decisionObjection.noticeId, noticeId),
            eq(decisionObjection.householdId, householdId),
            eq(decisionObjection.representativeName, representativeName),
          ),
        )
    )[0];
  }

  async objections(db: Executor, noticeIds: number[]): Promise<ObjectionRow[]> {
    if (noticeIds.length === 0) return [];
    return db.select().from(decisionObjection).where(inArray(decisionObjection.noticeId, noticeIds)).orderBy(asc(decisionObjection.id));
  }

  async objectorCounts(db: Executor, noticeIds: number[]): Promise<Map<number, number>> {
    if (noticeIds.length === 0) return new Map();
    const rows = await db
      .select({ noticeId: decisionObjection.noticeId, n: sql<number>`count(*)`.mapWith(Number) })
      .from(decisionObjection)
      .innerJoin(decisionNotice, eq(decisionNotice.id, decisionObjection.noticeId))
      // [N 3.1.2(1)] Counted by the day received: only objections received within the notice's window.
      .where(
        and(
          inArray(decisionObjection.noticeId, noticeIds),
          sql`${decisionObjection.receivedOn} between ${decisionNotice.postedOn}::date and ${decisionNotice.windowEnd}::date`,
        ),
      )
      .groupBy(decisionObjection.noticeId);
    return new Map(rows.map((r) => [r.noticeId, r.n]));
  }

  /** Open notices whose window ended before `today` (the caller locks each, decision first). */
  async expiredOpen(db: Executor, today: string): Promise<NoticeRow[]> {
    return db
      .select()
      .from(decisionNotice)
      .where(and(eq(decisionNotice.status, 'open'), lt(decisionNotice.windowEnd, today)))
      .orderBy(asc(decisionNotice.id));
  }

  /**
   * Decisions whose notice closed without reaching the objection threshold (persisted, or read
   * lazily: still `noticed` with an open notice whose window ended before `today`).
   */
  async readyForReview(db: Executor, codePrefix: string, today: string) {
    return db
      .select({ decision, notice: decisionNotice })
      .from(decision)
      .innerJoin(decisionNotice, and(eq(decisionNotice.decisionId, decision.id), eq(decisionNotice.round, decision.round)))
      .where(
        and(
          like(decision.communityCode, `${escapeLike(codePrefix)}%`),
          or(
            and(eq(decision.status, 'ready_for_review'), eq(decisionNotice.status, 'closed')),
            and(eq(decision.status, 'noticed'), eq(decisionNotice.status, 'open'), lt(decisionNotice.windowEnd, today)),
          ),
        ),
      )
      .orderBy(asc(decisionNotice.windowEnd), asc(decision.id));
  }
}
