import { and, asc, desc, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { needsAccessCode, needsCampaign, needsOpinion, needsProposal, needsProposalOpinion } from '../../db/schema/needs.js';
import { household } from '../../db/schema/households.js';
import { codeUnder } from '../../common/region-scope.js';

export type CampaignRow = typeof needsCampaign.$inferSelect;
export type CampaignInsert = typeof needsCampaign.$inferInsert;
export type OpinionRow = typeof needsOpinion.$inferSelect;
export type OpinionInsert = typeof needsOpinion.$inferInsert;
export type ProposalRow = typeof needsProposal.$inferSelect;
export type ProposalInsert = typeof needsProposal.$inferInsert;

export class NeedsRepository {
  // ---- campaigns ----

  async campaign(db: Executor, id: number, lock?: 'update' | 'share'): Promise<CampaignRow | undefined> {
    const q = db.select().from(needsCampaign).where(eq(needsCampaign.id, id));
    return (lock ? await q.for(lock) : await q)[0];
  }

  async campaignFor(db: Executor, communityCode: string, fundYear: number): Promise<CampaignRow | undefined> {
    return (
      await db
        .select()
        .from(needsCampaign)
        .where(and(eq(needsCampaign.communityCode, communityCode), eq(needsCampaign.fundYear, fundYear)))
    )[0];
  }

  /** Campaigns whose community code starts with the scope's code (division codes nest). */
  async campaigns(db: Executor, filter: { codePrefix: string; communityCode?: string; fundYear?: number; limit: number; offset: number }) {
    const conditions: SQL[] = [codeUnder(needsCampaign.communityCode, filter.codePrefix)];
    if (filter.communityCode) conditions.push(eq(needsCampaign.communityCode, filter.communityCode));
    if (filter.fundYear) conditions.push(eq(needsCampaign.fundYear, filter.fundYear));
    const where = and(...conditions);
    const reached =
      sql<number>`(select count(*) from ${needsOpinion} where ${needsOpinion.campaignId} = ${sql.raw('"needs_campaign"."id"')})`.mapWith(
        Number,
      );
    const [items, totals] = await Promise.all([
      db
        .select({ campaign: needsCampaign, reached })
        .from(needsCampaign)
        .where(where)
        .orderBy(desc(needsCampaign.fundYear), asc(needsCampaign.communityCode))
        .limit(filter.limit)
        .offset(filter.offset),
      db
        .select({ total: sql<number>`count(*)`.mapWith(Number) })
        .from(needsCampaign)
        .where(where),
    ]);
    return { items, total: totals[0]?.total ?? 0 };
  }

  /** Relation (community_code) of the communities with a campaign in the fund year; callers narrow it by joining. */
  campaignCommunitiesRelation(fundYear: number): SQL {
    return sql`select community_code from ${needsCampaign} where fund_year = ${fundYear}`;
  }

  async insertCampaign(db: Executor, row: CampaignInsert): Promise<CampaignRow> {
    return (await db.insert(needsCampaign).values(row).returning())[0]!;
  }

  async updateCampaign(db: Executor, id: number, patch: Partial<CampaignInsert>) {
    await db.update(needsCampaign).set(patch).where(eq(needsCampaign.id, id));
  }

  // ---- opinions ----

  /** Distinct households reached: one row per household by the unique index. */
  async reached(db: Executor, campaignId: number): Promise<number> {
    const rows = await db
      .select({ n: sql<number>`count(distinct ${needsOpinion.householdId})`.mapWith(Number) })
      .from(needsOpinion)
      .where(eq(needsOpinion.campaignId, campaignId));
    return rows[0]?.n ?? 0;
  }

  async byChannel(db: Executor, campaignId: number) {
    return db
      .select({ channel: needsOpinion.channel, n: sql<number>`count(*)`.mapWith(Number) })
      .from(needsOpinion)
      .where(eq(needsOpinion.campaignId, campaignId))
      .groupBy(needsOpinion.channel);
  }

  /** Households choosing each catalogue item. */
  async tally(db: Executor, campaignId: number) {
    const code = sql<string>`c.code`;
    const rows = await db
      .select({ code, n: sql<number>`count(*)`.mapWith(Number) })
      .from(sql`${needsOpinion} cross join lateral jsonb_array_elements_text(${needsOpinion.choices}) as c(code)`)
      .where(eq(needsOpinion.campaignId, campaignId))
      .groupBy(code);
    return rows.map((r) => ({ code: r.code, households: r.n }));
  }

  async opinionOf(db: Executor, campaignId: number, householdId: number): Promise<OpinionRow | undefined> {
    return (
      await db
        .select()
        .from(needsOpinion)
        .where(and(eq(needsOpinion.campaignId, campaignId), eq(needsOpinion.householdId, householdId)))
    )[0];
  }

  async opinionsOfHouseholds(db: Executor, campaignId: number, householdIds: number[]): Promise<OpinionRow[]> {
    if (householdIds.length === 0) return [];
    // One array parameter rather than an IN list of thousands.
    return db
      .select()
      .from(needsOpinion)
      .where(and(eq(needsOpinion.campaignId, campaignId), sql`${needsOpinion.householdId} = any(${sql.param(householdIds)}::int[])`));
  }

  async opinionsByIds(db: Executor, ids: number[]): Promise<OpinionRow[]> {
    if (ids.length === 0) return [];
    return db.select().from(needsOpinion).where(inArray(needsOpinion.id, ids));
  }

  async opinions(db: Executor, campaignId: number, filter: { channel?: string; householdNo?: string; limit: number; offset: number }) {
    const conditions: SQL[] = [eq(needsOpinion.campaignId, campaignId)];
    if (filter.channel) conditions.push(eq(needsOpinion.channel, filter.channel));
    // 户号 search: a part of the number matches (LIKE wildcards in the input are taken literally).
    if (filter.householdNo) {
      const escaped = filter.householdNo.replace(/[\\%_]/g, (c) => `\\${c}`);
      conditions.push(sql`${household.householdNo} like ${`%${escaped}%`}`);
    }
    const where = and(...conditions);
    const [items, totals] = await Promise.all([
      db
        .select({
          opinion: needsOpinion,
          household: {
            householdNo: household.householdNo,
            building: household.building,
            unit: household.unit,
            room: household.room,
            headName: household.headName,
          },
        })
        .from(needsOpinion)
        .innerJoin(household, eq(household.id, needsOpinion.householdId))
        .where(where)
        .orderBy(desc(needsOpinion.updatedAt), desc(needsOpinion.id))
        .limit(filter.limit)
        .offset(filter.offset),
      db
        .select({ total: sql<number>`count(*)`.mapWith(Number) })
        .from(needsOpinion)
        .innerJoin(household, eq(household.id, needsOpinion.householdId))
        .where(where),
    ]);
    return { items, total: totals[0]?.total ?? 0 };
  }

  /** Counts once: a second answer of the household inserts nothing and returns undefined. */
  async insertOpinionOnce(db: Executor, row: OpinionInsert): Promise<OpinionRow | undefined> {
    return (
      await db
        .insert(needsOpinion)
        .values(row)
        .onConflictDoNothing({ target: [needsOpinion.campaignId, needsOpinion.householdId] })
        .returning()
    )[0];
  }

  /** Where changes are allowed: the household's answer is replaced in place, revision + 1. */
  async upsertOpinion(db: Executor, row: OpinionInsert): Promise<OpinionRow> {
    return (
      await db
        .insert(needsOpinion)
        .values(row)
        .onConflictDoUpdate({
          target: [needsOpinion.campaignId, needsOpinion.householdId],
          set: {
            channel: sql`excluded.channel`,
            choices: sql`excluded.choices`,
            freeText: sql`excluded.free_text`,
            enteredByUserId: sql`excluded.entered_by_user_id`,
            revision: sql`${needsOpinion.revision} + 1`,
            updatedAt: new Date(),
          },
        })
        .returning()
    )[0]!;
  }

  /**
   * Many opinions in one statement: one array per column through unnest. (A multi-row VALUES list
   * costs more to build in the query builder than the database spends inserting it.)
   */
  async insertOpinions(db: Executor, rows: OpinionInsert[], replace: boolean): Promise<number> {
    if (rows.length === 0) return 0;
    const column = <T>(pick: (r: OpinionInsert) => T) => sql.param(rows.map(pick));
    const onConflict = replace
      ? sql`on conflict (campaign_id, household_id) do update set channel = excluded.channel, choices = excluded.choices, free_text = excluded.free_text,
          entered_by_user_id = excluded.entered_by_user_id, revision = needs_opinion.revision + 1, updated_at = now()`
      : sql`on conflict (campaign_id, household_id) do nothing`;
    const result = await db.execute(sql`
      insert into needs_opinion (campaign_id, household_id, channel, choices, free_text, entered_by_user_id)
      select campaign_id, household_id, channel, choices::jsonb, free_text, entered_by_user_id
      from unnest(${column((r) => r.campaignId)}::int[], ${column((r) => r.householdId)}::int[], ${column((r) => r.channel)}::text[],
                  ${column((r) => JSON.stringify(r.choices))}::text[], ${column((r) => r.freeText ?? null)}::text[], ${column((r) => r.enteredByUserId ?? null)}::int[])
        as t(campaign_id, household_id, channel, choices, free_text, entered_by_user_id)
      ${onConflict}
      returning id`);
    return (result as unknown as { rows: unknown[] }).rows.length;
  }

  // ---- one-time codes ----

  async upsertCodes(db: Executor, rows: { campaignId: number; householdId: number; codeHash: string }[]) {
    for (let i = 0; i < rows.length; i += 500) {
      await db
        .insert(needsAccessCode)
        .values(rows.slice(i, i + 500))
        .onConflictDoUpdate({
          target: [needsAccessCode.campaignId, needsAccessCode.householdId],
          set: { codeHash: sql`excluded.code_hash`, issuedAt: new Date(), usedAt: null },
        });
    }
  }

  /** Marks the code used and returns its household, atomically: a code is good for one answer. */
  async consumeCode(db: Executor, campaignId: number, codeHash: string): Promise<number | undefined> {
    const rows = await db
      .update(needsAccessCode)
      .set({ usedAt: new Date() })
      .where(and(eq(needsAccessCode.campaignId, campaignId), eq(needsAccessCode.codeHash, codeHash), isNull(needsAccessCode.usedAt)))
      .returning({ householdId: needsAccessCode.householdId });
    return rows[0]?.householdId;
  }

  async codeByHash(db: Executor, campaignId: number, codeHash: string) {
    return (
      await db
        .select()
        .from(needsAccessCode)
        .where(and(eq(needsAccessCode.campaignId, campaignId), eq(needsAccessCode.codeHash, codeHash)))
    )[0];
  }

  // ---- proposals ----

  // Correlated on the outer row; drizzle would render the column unqualified inside the subquery.
  private readonly outerProposalId = sql.raw('"needs_proposal"."id"');

  private householdCount() {
    return sql<number>`(select count(distinct o.household_id) from ${needsProposalOpinion} l join ${needsOpinion} o on o.id = l.opinion_id where l.proposal_id = ${this.outerProposalId})`.mapWith(
      Number,
    );
  }

  private opinionCount() {
    return sql<number>`(select count(*) from ${needsProposalOpinion} l where l.proposal_id = ${this.outerProposalId})`.mapWith(Number);
  }

  async proposals(db: Executor, campaignId: number) {
    return db
      .select({ proposal: needsProposal, householdCount: this.householdCount(), opinionCount: this.opinionCount() })
      .from(needsProposal)
      .where(eq(needsProposal.campaignId, campaignId))
      .orderBy(sql`${needsProposal.rank} asc nulls last`, asc(needsProposal.id));
  }

  async proposal(db: Executor, id: number, forUpdate = false): Promise<ProposalRow | undefined> {
    const q = db.select().from(needsProposal).where(eq(needsProposal.id, id));
    return (forUpdate ? await q.for('update') : await q)[0];
  }

  async proposalsByIds(db: Executor, ids: number[]): Promise<ProposalRow[]> {
    if (ids.length === 0) return [];
    return db.select().from(needsProposal).where(inArray(needsProposal.id, ids)).for('update');
  }

  async insertProposal(db: Executor, row: ProposalInsert): Promise<ProposalRow> {
    return (await db.insert(needsProposal).values(row).returning())[0]!;
  }

  async updateProposal(db: Executor, id: number, patch: Partial<ProposalInsert>) {
    await db
      .update(needsProposal)
      .set({ ...patch, updatedAt: new Date() })
      .where(eq(needsProposal.id, id));
  }

  async unlistAll(db: Executor, campaignId: number) {
    await db
      .update(needsProposal)
      .set({ status: 'candidate', rank: null, updatedAt: new Date() })
      .where(and(eq(needsProposal.campaignId, campaignId), eq(needsProposal.status, 'listed')));
  }

  async link(db: Executor, proposalId: number, opinionIds: number[]) {
    if (opinionIds.length === 0) return;
    await db
      .insert(needsProposalOpinion)
      .values(opinionIds.map((opinionId) => ({ proposalId, opinionId })))
      .onConflictDoNothing();
  }

  async links(db: Executor, proposalIds: number[]) {
    if (proposalIds.length === 0) return [];
    return db.select().from(needsProposalOpinion).where(inArray(needsProposalOpinion.proposalId, proposalIds));
  }

  async insertProposalsWithLinks(db: Executor, rows: { proposal: ProposalInsert; opinionIds: number[] }[]) {
    for (const r of rows) {
      const p = await this.insertProposal(db, r.proposal);
      for (let i = 0; i < r.opinionIds.length; i += 1000) await this.link(db, p.id, r.opinionIds.slice(i, i + 1000));
    }
  }
}
