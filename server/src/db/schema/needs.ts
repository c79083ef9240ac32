import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  serial,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { household } from './households.js';
import { region } from './regions.js';

/** [N 3.1.1(1)] A needs-collection campaign of one community for one fund year. */
export const needsCampaign = pgTable(
  'needs_campaign',
  {
    id: serial('id').primaryKey(),
    communityCode: text('community_code')
      .notNull()
      .references(() => region.code),
    fundYear: integer('fund_year').notNull(),
    title: text('title').notNull(),
    opensOn: date('opens_on', { mode: 'string' }).notNull(),
    closesOn: date('closes_on', { mode: 'string' }).notNull(),
    /** Channel codes, see needs.rules.ts CHANNELS. */
    channels: jsonb('channels').$type<string[]>().notNull(),
    /** Catalogue codes offered as choices, a free-text question and its prompt. */
    questionnaire: jsonb('questionnaire').$type<{ itemCodes: string[]; freeText: boolean; prompt: string | null }>().notNull(),
    /** A household's second answer replaces its first instead of being refused. */
    allowChanges: boolean('allow_changes').notNull().default(false),
    /** open → concluded (coverage reached, collection closed) → ready (draft list handed to the council). */
    status: text('status', { enum: ['open', 'concluded', 'ready'] })
      .notNull()
      .default('open'),
    concludedAt: timestamp('concluded_at', { withTimezone: true }),
    /** Coverage at conclusion: households reached and the denominator used. */
    concludedReached: integer('concluded_reached'),
    concludedResidentHouseholds: integer('concluded_resident_households'),
    readyAt: timestamp('ready_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('needs_campaign_community_year_idx').on(t.communityCode, t.fundYear),
    // Campaigns under a region by code prefix (LIKE 'code%'): usable whatever the collation.
    index('needs_campaign_community_prefix_idx').on(t.communityCode.op('text_pattern_ops'), t.fundYear),
    check('needs_campaign_dates_chk', sql`${t.opensOn} <= ${t.closesOn}`),
    check('needs_campaign_status_chk', sql`${t.status} in ('open','concluded','ready')`),
  ],
);

/**
 * One opinion per household per campaign, whatever the channel: the UNIQUE index is what makes a
 * household count once ([N 3.1.1(1)]); paper and online answers meet here.
 */
export const needsOpinion = pgTable(
  'needs_opinion',
  {
    id: serial('id').primaryKey(),
    campaignId: integer('campaign_id')
      .notNull()
      .references(() => needsCampaign.id),
    householdId: integer('household_id')
      .notNull()
      .references(() => household.id),
    channel: text('channel').notNull(),
    choices: jsonb('choices').$type<string[]>().notNull(),
    freeText: text('free_text'),
    /** null: the resident online; otherwise the staff account that entered a paper form. */
    enteredByUserId: integer('entered_by_user_id'),
    revision: integer('revision').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('needs_opinion_campaign_household_idx').on(t.campaignId, t.householdId),
    index('needs_opinion_household_idx').on(t.householdId),
  ],
);

/** One-time codes handed to households; only a hash is stored. */
export const needsAccessCode = pgTable(
  'needs_access_code',
  {
    id: serial('id').primaryKey(),
    campaignId: integer('campaign_id')
      .notNull()
      .references(() => needsCampaign.id),
    householdId: integer('household_id')
      .notNull()
      .references(() => household.id),
    codeHash: text('code_hash').notNull(),
    issuedAt: timestamp('issued_at', { withTimezone: true }).notNull().defaultNow(),
    usedAt: timestamp('used_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('needs_access_code_campaign_household_idx').on(t.campaignId, t.householdId),
    uniqueIndex('needs_access_code_hash_idx').on(t.codeHash),
  ],
);

/** [N 3.1.1(2)(3)] Proposals, from the committees or from opinions, screened and ranked into a draft list. */
export const needsProposal = pgTable(
  'needs_proposal',
  {
    id: serial('id').primaryKey(),
    campaignId: integer('campaign_id')
      .notNull()
      .references(() => needsCampaign.id),
    title: text('title').notNull(),
    description: text('description'),
    catalogueCode: text('catalogue_code'),
    estimatedBudgetFen: bigint('estimated_budget_fen', { mode: 'number' }),
    /** committee: proposed directly by the community committees; opinions: drawn from residents' opinions. */
    source: text('source', { enum: ['committee', 'opinions'] }).notNull(),
    /** candidate → listed (in the draft list, ranked) | rejected (screened out) | merged (into another). */
    status: text('status', { enum: ['candidate', 'listed', 'rejected', 'merged'] })
      .notNull()
      .default('candidate'),
    rank: integer('rank'),
    mergedIntoId: integer('merged_into_id'),
    screenReason: text('screen_reason'),
    createdByUserId: integer('created_by_user_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('needs_proposal_campaign_idx').on(t.campaignId),
    check('needs_proposal_status_chk', sql`${t.status} in ('candidate','listed','rejected','merged')`),
    check('needs_proposal_budget_chk', sql`${t.estimatedBudgetFen} is null or ${t.estimatedBudgetFen} >= 0`),
  ],
);

/** The link opinion → proposal (kept through merges) behind each proposal's household count. */
export const needsProposalOpinion = pgTable(
  'needs_proposal_opinion',
  {
    proposalId: integer('proposal_id')
      .notNull()
      .references(() => needsProposal.id),
    opinionId: integer('opinion_id')
      .notNull()
      .references(() => needsOpinion.id),
  },
  (t) => [primaryKey({ columns: [t.proposalId, t.opinionId] }), index('needs_proposal_opinion_opinion_idx').on(t.opinionId)],
);
