import { sql } from 'drizzle-orm';
import { bigint, check, date, index, integer, pgTable, primaryKey, smallint, text } from 'drizzle-orm/pg-core';

/**
 * The read model of the procedure (ADR 0023): one row per rated community and fund year, kept by
 * the database in the transaction of every write to the tables it is computed from (triggers of
 * migration 0019; the same SQL recomputes it for `npm run verify`). Dashboards, money by stars and
 * the portal read these rows instead of joining the source tables.
 */
export const communityProgress = pgTable(
  'community_progress',
  {
    communityCode: text('community_code').notNull(),
    fundYear: integer('fund_year').notNull(),
    /** The community's region path and its district and street codes (from the path). */
    regionPath: text('region_path').notNull(),
    districtCode: text('district_code').notNull(),
    streetCode: text('street_code').notNull(),
    /** Stars of the policy's rating year (the rows exist for rated communities only). */
    stars: smallint('stars').notNull(),
    /** Furthest funnel step whose every earlier step holds: index into FUNNEL_STEPS (0 = allocated). */
    step: smallint('step').notNull(),
    campaignStatus: text('campaign_status'),
    registeredHouseholds: integer('registered_households').notNull(),
    answeredHouseholds: integer('answered_households').notNull(),
    decisionStatus: text('decision_status'),
    planId: integer('plan_id'),
    planStatus: text('plan_status'),
    /** The community's shares of its filed projects' budgets. */
    plannedFen: bigint('planned_fen', { mode: 'number' }).notNull(),
    /** Signed and completed contracts funded by the community (its share of an area contract). */
    contractedFen: bigint('contracted_fen', { mode: 'number' }).notNull(),
    /** The community's ledger account (community_available) and its figures (funds.service figuresOf). */
    accountId: integer('account_id'),
    allocatedFen: bigint('allocated_fen', { mode: 'number' }).notNull(),
    committedFen: bigint('committed_fen', { mode: 'number' }).notNull(),
    paidFen: bigint('paid_fen', { mode: 'number' }).notNull(),
    availableFen: bigint('available_fen', { mode: 'number' }).notNull(),
    /** Evaluation assignments of the community's projects, by kind and grade; outstanding = not concluded. */
    midtermExcellent: integer('midterm_excellent').notNull(),
    midtermGood: integer('midterm_good').notNull(),
    midtermPass: integer('midterm_pass').notNull(),
    midtermFail: integer('midterm_fail').notNull(),
    midtermOutstanding: integer('midterm_outstanding').notNull(),
    finalExcellent: integer('final_excellent').notNull(),
    finalGood: integer('final_good').notNull(),
    finalPass: integer('final_pass').notNull(),
    finalFail: integer('final_fail').notNull(),
    finalOutstanding: integer('final_outstanding').notNull(),
    /** Due dates behind the overdue flags (compared with today when read): street review, open evaluation rounds. */
    reviewDueOn: date('review_due_on', { mode: 'string' }),
    midtermDueOn: date('midterm_due_on', { mode: 'string' }),
    finalDueOn: date('final_due_on', { mode: 'string' }),
  },
  (t) => [
    primaryKey({ columns: [t.communityCode, t.fundYear] }),
    index('community_progress_year_path_idx').on(t.fundYear, t.regionPath.op('text_pattern_ops')),
    check('community_progress_step_chk', sql`${t.step} between 0 and 6`),
  ],
);
