import { and, asc, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import {
  evaluationAssignment,
  evaluationEvidence,
  evaluationFee,
  evaluationParticipant,
  evaluationRound,
  evaluationScore,
  evaluatorOrg,
} from '../../db/schema/evaluation.js';
import { ancestorOf, underPath } from '../../common/region-scope.js';

export type RoundRow = typeof evaluationRound.$inferSelect;
export type AssignmentRow = typeof evaluationAssignment.$inferSelect;
export type EvaluatorOrgRow = typeof evaluatorOrg.$inferSelect;

export class EvaluationRepository {
  async insertOrgs(db: Executor, rows: (typeof evaluatorOrg.$inferInsert)[]): Promise<EvaluatorOrgRow[]> {
    return rows.length ? db.insert(evaluatorOrg).values(rows).returning() : [];
  }

  async orgs(db: Executor): Promise<EvaluatorOrgRow[]> {
    return db.select().from(evaluatorOrg).orderBy(asc(evaluatorOrg.id));
  }

  async org(db: Executor, id: number): Promise<EvaluatorOrgRow | undefined> {
    return (await db.select().from(evaluatorOrg).where(eq(evaluatorOrg.id, id)))[0];
  }

  async insertRound(db: Executor, row: typeof evaluationRound.$inferInsert): Promise<RoundRow | undefined> {
    return (await db.insert(evaluationRound).values(row).onConflictDoNothing().returning())[0];
  }

  async round(db: Executor, id: number, forUpdate = false): Promise<RoundRow | undefined> {
    const q = db.select().from(evaluationRound).where(eq(evaluationRound.id, id));
    return (forUpdate ? await q.for('update') : await q)[0];
  }

  async rounds(db: Executor, filter: { pathPrefix?: string; ids?: number[]; fundYear?: number; kind?: string }): Promise<RoundRow[]> {
    const c: SQL[] = [];
    if (filter.pathPrefix !== undefined)
      c.push(or(underPath(evaluationRound.regionPath, filter.pathPrefix), ancestorOf(evaluationRound.regionPath, filter.pathPrefix))!);
    if (filter.ids) c.push(filter.ids.length ? inArray(evaluationRound.id, filter.ids) : sql`false`);
    if (filter.fundYear) c.push(eq(evaluationRound.fundYear, filter.fundYear));
    if (filter.kind) c.push(eq(evaluationRound.kind, filter.kind as RoundRow['kind']));
    return db
      .select()
      .from(evaluationRound)
      .where(and(...c))
      .orderBy(asc(evaluationRound.fundYear), asc(evaluationRound.districtCode), asc(evaluationRound.kind));
  }

  async insertAssignment(db: Executor, row: typeof evaluationAssignment.$inferInsert): Promise<AssignmentRow | undefined> {
    return (await db.insert(evaluationAssignment).values(row).onConflictDoNothing().returning())[0];
  }

  async assignment(db: Executor, id: number, forUpdate = false): Promise<AssignmentRow | undefined> {
    const q = db.select().from(evaluationAssignment).where(eq(evaluationAssignment.id, id));
    return (forUpdate ? await q.for('update') : await q)[0];
  }

  async updateAssignment(db: Executor, id: number, patch: Partial<typeof evaluationAssignment.$inferInsert>) {
    await db.update(evaluationAssignment).set(patch).where(eq(evaluationAssignment.id, id));
  }

  async assignments(
    db: Executor,
    filter: { roundIds?: number[]; pathPrefix?: string; orgId?: number; status?: string; projectIds?: number[] },
  ): Promise<AssignmentRow[]> {
    const c: SQL[] = [];
    if (filter.roundIds) c.push(filter.roundIds.length ? inArray(evaluationAssignment.roundId, filter.roundIds) : sql`false`);
    if (filter.projectIds) c.push(filter.projectIds.length ? inArray(evaluationAssignment.planProjectId, filter.projectIds) : sql`false`);
    if (filter.pathPrefix !== undefined) c.push(underPath(evaluationAssignment.regionPath, filter.pathPrefix));
    if (filter.orgId !== undefined) c.push(eq(evaluationAssignment.evaluatorOrgId, filter.orgId));
    if (filter.status) c.push(eq(evaluationAssignment.status, filter.status as AssignmentRow['status']));
    return db
      .select()
      .from(evaluationAssignment)
      .where(and(...c))
      .orderBy(asc(evaluationAssignment.roundId), asc(evaluationAssignment.id));
  }

  /** Concluded grades of these projects by kind of round (one SQL query). */
  async gradesOf(db: Executor, projectIds: number[], fundYear?: number) {
    if (!projectIds.length) return [];
    return db
      .select({ planProjectId: evaluationAssignment.planProjectId, kind: evaluationRound.kind, grade: evaluationAssignment.grade })
      .from(evaluationAssignment)
      .innerJoin(evaluationRound, eq(evaluationRound.id, evaluationAssignment.roundId))
      .where(
        and(
          inArray(evaluationAssignment.planProjectId, projectIds),
          eq(evaluationAssignment.status, 'concluded'),
          ...(fundYear ? [eq(evaluationRound.fundYear, fundYear)] : []),
        ),
      );
  }

  /** [N 3.2] The concluded final evaluations of a fund year graded 不合格 (assignment and project). */
  async failedFinals(db: Executor, fundYear: number) {
    return db
      .select({ assignmentId: evaluationAssignment.id, planProjectId: evaluationAssignment.planProjectId })
      .from(evaluationAssignment)
      .innerJoin(evaluationRound, eq(evaluationRound.id, evaluationAssignment.roundId))
      .where(
        and(
          eq(evaluationRound.fundYear, fundYear),
          eq(evaluationRound.kind, 'final'),
          eq(evaluationAssignment.status, 'concluded'),
          eq(evaluationAssignment.grade, 'fail'),
        ),
      )
      .orderBy(asc(evaluationAssignment.id));
  }

  /** Relation (plan_project_id, kind) of the projects with a concluded evaluation in the fund year's rounds. */
  concludedProjectsRelation(fundYear: number): SQL {
    return sql`select a.plan_project_id, r.kind from ${evaluationAssignment} a join ${evaluationRound} r on r.id = a.round_id
      where r.fund_year = ${fundYear} and a.status = 'concluded'`;
  }

  /** Assignments of these rounds under a region, counted by round, status and grade. */
  assignmentCounts(db: Executor, roundIds: number[], pathPrefix: string) {
    if (!roundIds.length) return Promise.resolve([]);
    return db
      .select({
        roundId: evaluationAssignment.roundId,
        status: evaluationAssignment.status,
        grade: evaluationAssignment.grade,
        n: sql<number>`count(*)`.mapWith(Number),
      })
      .from(evaluationAssignment)
      .where(and(inArray(evaluationAssignment.roundId, roundIds), underPath(evaluationAssignment.regionPath, pathPrefix)))
      .groupBy(evaluationAssignment.roundId, evaluationAssignment.status, evaluationAssignment.grade);
  }

  /** Grade counts under a region by kind (SQL aggregate, for the dashboard). */
  async gradeCounts(db: Executor, fundYear: number, pathPrefix: string) {
    return db
      .select({
        kind: evaluationRound.kind,
        grade: evaluationAssignment.grade,
        status: evaluationAssignment.status,
        n: sql<number>`count(*)`.mapWith(Number),
      })
      .from(evaluationAssignment)
      .innerJoin(evaluationRound, eq(evaluationRound.id, evaluationAssignment.roundId))
      .where(and(eq(evaluationRound.fundYear, fundYear), underPath(evaluationAssignment.regionPath, pathPrefix)))
      .groupBy(evaluationRound.kind, evaluationAssignment.grade, evaluationAssignment.status);
  }

  async insertParticipants(db: Executor, rows: (typeof evaluationParticipant.$inferInsert)[]) {
    if (rows.length) await db.insert(evaluationParticipant).values(rows);
  }

  async participants(db: Executor, assignmentIds: number[]) {
    if (!assignmentIds.length) return [];
    return db
      .select()
      .from(evaluationParticipant)
      .where(inArray(evaluationParticipant.assignmentId, assignmentIds))
      .orderBy(asc(evaluationParticipant.id));
  }

  async insertScores(db: Executor, rows: (typeof evaluationScore.$inferInsert)[]) {
    if (rows.length) await db.insert(evaluationScore).values(rows);
  }

  async scores(db: Executor, assignmentId: number) {
    return db.select().from(evaluationScore).where(eq(evaluationScore.assignmentId, assignmentId)).orderBy(asc(evaluationScore.itemCode));
  }

  async insertEvidence(db: Executor, row: typeof evaluationEvidence.$inferInsert) {
    return (await db.insert(evaluationEvidence).values(row).returning())[0]!;
  }

  async evidence(db: Executor, assignmentId: number) {
    return db
      .select()
      .from(evaluationEvidence)
      .where(eq(evaluationEvidence.assignmentId, assignmentId))
      .orderBy(asc(evaluationEvidence.id));
  }

  async insertFee(db: Executor, row: typeof evaluationFee.$inferInsert) {
    return (await db.insert(evaluationFee).values(row).returning())[0]!;
  }

  async fees(db: Executor, roundIds: number[]) {
    if (!roundIds.length) return [];
    return db.select().from(evaluationFee).where(inArray(evaluationFee.roundId, roundIds)).orderBy(asc(evaluationFee.id));
  }
}
