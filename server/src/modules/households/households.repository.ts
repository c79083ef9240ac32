import { and, asc, desc, eq, gte, ilike, inArray, isNull, lte, or, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { containsPattern } from '../../common/region-scope.js';
import { household, householdMember, rosterTerm } from '../../db/schema/households.js';

export type HouseholdRow = typeof household.$inferSelect;
export type MemberRow = typeof householdMember.$inferSelect;
export type HouseholdInsert = typeof household.$inferInsert;
export type MemberInsert = Omit<typeof householdMember.$inferInsert, 'householdId'>;
export type TermRow = typeof rosterTerm.$inferSelect;
export type TermInsert = typeof rosterTerm.$inferInsert;
export type TermWithHousehold = TermRow & { householdNo: string | null };

const termColumns = { term: rosterTerm, householdNo: household.householdNo };
const flatten = (rows: { term: TermRow; householdNo: string | null }[]): TermWithHousehold[] =>
  rows.map((r) => ({ ...r.term, householdNo: r.householdNo }));

/**
 * `normalizePersonName` (households.rules.ts) in SQL, for matching inside one statement: JavaScript's
 * `\s` spelled out (PostgreSQL's `\s` is a smaller set), then the interpunct variants. Held equal to
 * the rule character by character by households.identify-sql.test.ts.
 */
export const normalizedPersonNameSql = (column: SQL) =>
  sql`translate(regexp_replace(${column}, '[\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]', '', 'g'), '•・‧∙', '····')`;

/** `lastFourDigits` (households.rules.ts) in SQL: the ASCII digits of the phone, the last four. */
export const lastFourDigitsSql = (column: SQL) => sql`right(regexp_replace(${column}, '[^0-9]', '', 'g'), 4)`;

export class HouseholdsRepository {
  async list(db: Executor, communityCode: string, filter: { q?: string; limit: number; offset: number }) {
    const conditions: SQL[] = [eq(household.communityCode, communityCode)];
    if (filter.q) {
      const like = containsPattern(filter.q);
      conditions.push(or(ilike(household.householdNo, like), ilike(household.building, like), ilike(household.headName, like))!);
    }
    const where = and(...conditions);
    const [items, totals] = await Promise.all([
      db.select().from(household).where(where).orderBy(asc(household.householdNo)).limit(filter.limit).offset(filter.offset),
      db
        .select({ total: sql<number>`count(*)`.mapWith(Number) })
        .from(household)
        .where(where),
    ]);
    return { items, total: totals[0]?.total ?? 0 };
  }

  /**
   * The household identified as `HouseholdsService.identify` does (户号, head's name, last four
   * phone digits), as a relation (id, household_no) for a caller's statement; each argument an SQL
   * expression, the name already normalised and the number and digits already trimmed.
   */
  identifiedRelation(args: { communityCode: SQL; householdNo: SQL; normalizedHeadName: SQL; phoneLast4: SQL }): SQL {
    return sql`select h.id, h.household_no from ${household} h
      where h.community_code = ${args.communityCode} and h.household_no = ${args.householdNo}
        and ${normalizedPersonNameSql(sql`h.head_name`)} = ${args.normalizedHeadName}
        and ${lastFourDigitsSql(sql`h.phone`)} = ${args.phoneLast4}`;
  }

  /** The household by number (id, household_no) as a relation for a caller's statement. */
  numberedRelation(args: { communityCode: SQL; householdNo: SQL }): SQL {
    return sql`select h.id, h.household_no from ${household} h where h.community_code = ${args.communityCode} and h.household_no = ${args.householdNo}`;
  }

  async get(db: Executor, id: number, forUpdate = false): Promise<HouseholdRow | undefined> {
    const q = db.select().from(household).where(eq(household.id, id));
    return (forUpdate ? await q.for('update') : await q)[0];
  }

  async byNumber(db: Executor, communityCode: string, householdNo: string): Promise<HouseholdRow | undefined> {
    return (
      await db
        .select()
        .from(household)
        .where(and(eq(household.communityCode, communityCode), eq(household.householdNo, householdNo)))
    )[0];
  }

  async byNumbers(db: Executor, communityCode: string, numbers: string[]): Promise<HouseholdRow[]> {
    if (numbers.length === 0) return [];
    // One array parameter rather than an IN list of thousands.
    return db
      .select()
      .from(household)
      .where(and(eq(household.communityCode, communityCode), sql`${household.householdNo} = any(${sql.param(numbers)}::text[])`));
  }

  async byIds(db: Executor, ids: number[]): Promise<HouseholdRow[]> {
    if (ids.length === 0) return [];
    return db.select().from(household).where(inArray(household.id, ids));
  }

  async count(db: Executor, communityCode: string): Promise<number> {
    const rows = await db
      .select({ n: sql<number>`count(*)`.mapWith(Number) })
      .from(household)
      .where(eq(household.communityCode, communityCode));
    return rows[0]?.n ?? 0;
  }

  async members(db: Executor, householdIds: number[]): Promise<MemberRow[]> {
    if (householdIds.length === 0) return [];
    const out: MemberRow[] = [];
    for (let i = 0; i < householdIds.length; i += 1000) {
      out.push(
        ...(await db
          .select()
          .from(householdMember)
          .where(inArray(householdMember.householdId, householdIds.slice(i, i + 1000)))
          .orderBy(asc(householdMember.id))),
      );
    }
    return out;
  }

  async insert(db: Executor, row: HouseholdInsert): Promise<HouseholdRow> {
    return (await db.insert(household).values(row).returning())[0]!;
  }

  async update(db: Executor, id: number, patch: Partial<HouseholdInsert>) {
    await db
      .update(household)
      .set({ ...patch, updatedAt: new Date() })
      .where(eq(household.id, id));
  }

  async replaceMembers(db: Executor, householdId: number, members: MemberInsert[]) {
    await db.delete(householdMember).where(eq(householdMember.householdId, householdId));
    if (members.length) await db.insert(householdMember).values(members.map((m) => ({ ...m, householdId })));
  }

  /** Insert or update by (community, household number); returns ids by number. Multi-row statements. */
  async upsertMany(db: Executor, rows: HouseholdInsert[]): Promise<Map<string, number>> {
    const ids = new Map<string, number>();
    for (let i = 0; i < rows.length; i += 500) {
      const returned = await db
        .insert(household)
        .values(rows.slice(i, i + 500))
        .onConflictDoUpdate({
          target: [household.communityCode, household.householdNo],
          set: {
            building: sql`excluded.building`,
            unit: sql`excluded.unit`,
            room: sql`excluded.room`,
            headName: sql`excluded.head_name`,
            phone: sql`excluded.phone`,
            residents: sql`excluded.residents`,
            updatedAt: new Date(),
          },
        })
        .returning({ id: household.id, householdNo: household.householdNo });
      for (const r of returned) ids.set(r.householdNo, r.id);
    }
    return ids;
  }

  /** Plain multi-row insert (the demo seed): ids by household number. */
  async insertMany(db: Executor, rows: HouseholdInsert[]): Promise<Map<string, number>> {
    const ids = new Map<string, number>();
    for (let i = 0; i < rows.length; i += 1000) {
      const returned = await db
        .insert(household)
        .values(rows.slice(i, i + 1000))
        .returning({ id: household.id, householdNo: household.householdNo });
      for (const r of returned) ids.set(r.householdNo, r.id);
    }
    return ids;
  }

  async deleteMembersOf(db: Executor, householdIds: number[]) {
    for (let i = 0; i < householdIds.length; i += 1000) {
      await db.delete(householdMember).where(inArray(householdMember.householdId, householdIds.slice(i, i + 1000)));
    }
  }

  async insertMembers(db: Executor, rows: (typeof householdMember.$inferInsert)[]) {
    for (let i = 0; i < rows.length; i += 500) await db.insert(householdMember).values(rows.slice(i, i + 500));
  }

  // ---- roster terms [N 3.1.2(1)] ----

  /** Serialises roster changes of one community (the no-overlap rule is checked under it). */
  async lockRoster(db: Executor, communityCode: string) {
    await db.execute(sql`select pg_advisory_xact_lock(hashtext(${'roster:' + communityCode}))`);
  }

  /** Every term of a community (history included), newest first within each body. */
  async terms(db: Executor, communityCode: string, body?: string): Promise<TermWithHousehold[]> {
    const where = and(eq(rosterTerm.communityCode, communityCode), body ? eq(rosterTerm.body, body) : undefined);
    return flatten(
      await db
        .select(termColumns)
        .from(rosterTerm)
        .leftJoin(household, eq(household.id, rosterTerm.householdId))
        .where(where)
        .orderBy(asc(rosterTerm.body), desc(rosterTerm.fromDate), asc(rosterTerm.personName)),
    );
  }

  /** Terms of a body in office on a day, by household number then name. */
  async termsOn(db: Executor, communityCode: string, body: string, on: string): Promise<TermWithHousehold[]> {
    return flatten(
      await db
        .select(termColumns)
        .from(rosterTerm)
        .leftJoin(household, eq(household.id, rosterTerm.householdId))
        .where(
          and(
            eq(rosterTerm.communityCode, communityCode),
            eq(rosterTerm.body, body),
            lte(rosterTerm.fromDate, on),
            or(isNull(rosterTerm.toDate), gte(rosterTerm.toDate, on)),
          ),
        )
        .orderBy(asc(household.householdNo), asc(rosterTerm.personName)),
    );
  }

  /** Whether the community has ever had a term on this body. */
  async hasTerms(db: Executor, communityCode: string, body: string): Promise<boolean> {
    const rows = await db
      .select({ id: rosterTerm.id })
      .from(rosterTerm)
      .where(and(eq(rosterTerm.communityCode, communityCode), eq(rosterTerm.body, body)))
      .limit(1);
    return rows.length > 0;
  }

  /** Terms of a household's members on a body that were in office at some time between two days. */
  async householdTermsDuring(db: Executor, householdId: number, body: string, from: string, to: string): Promise<TermRow[]> {
    return db
      .select()
      .from(rosterTerm)
      .where(
        and(
          eq(rosterTerm.householdId, householdId),
          eq(rosterTerm.body, body),
          lte(rosterTerm.fromDate, to),
          or(isNull(rosterTerm.toDate), gte(rosterTerm.toDate, from)),
        ),
      )
      .orderBy(asc(rosterTerm.id));
  }

  /** Open terms held through the given households (the registry import reconciles them). */
  async openTermsOfHouseholds(db: Executor, householdIds: number[]): Promise<TermRow[]> {
    if (householdIds.length === 0) return [];
    return db
      .select()
      .from(rosterTerm)
      .where(and(isNull(rosterTerm.toDate), sql`${rosterTerm.householdId} = any(${sql.param(householdIds)}::int[])`));
  }

  async term(db: Executor, id: number, forUpdate = false): Promise<TermRow | undefined> {
    const q = db.select().from(rosterTerm).where(eq(rosterTerm.id, id));
    return (forUpdate ? await q.for('update') : await q)[0];
  }

  async insertTerms(db: Executor, rows: TermInsert[]): Promise<TermRow[]> {
    const out: TermRow[] = [];
    for (let i = 0; i < rows.length; i += 500)
      out.push(
        ...(await db
          .insert(rosterTerm)
          .values(rows.slice(i, i + 500))
          .returning()),
      );
    return out;
  }

  async endTerm(db: Executor, id: number, toDate: string, endReason: string | null) {
    await db.update(rosterTerm).set({ toDate, endReason }).where(eq(rosterTerm.id, id));
  }
}
