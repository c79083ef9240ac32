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
import { decisionProject } from './decisions.js';
import { region } from './regions.js';

/** A source of funding other than this fund, declared on a project ([N 4.1] duplicate investment). */
export interface OtherFunding {
  source: string;
  amountFen: number;
  /** Government (budget) money: a project already funded by another government source is a duplicate [N 4.1]. */
  government?: boolean;
}

/**
 * [N 2.3] One member's part of an area project's budget, in fen; the shares of a project sum to
 * its budget (ADR 0014). A community plan's project has one share, its whole budget.
 */
export interface MemberShare {
  communityCode: string;
  shareFen: number;
}

/** A reason given when a plan is returned, tied to a compliance rule and the step to redo. */
export interface ReturnReason {
  rule: string;
  clause: string;
  note: string;
}

export const PLAN_STATUSES = ['draft', 'submitted', 'returned', 'approved', 'filed'] as const;
export type PlanStatus = (typeof PLAN_STATUSES)[number];

/**
 * [N 2.3] A usage plan for a fund year: one community's, or a street's area plan (片区) pooling
 * several of its communities. draft → submitted → approved → filed; returned (by the street or the
 * bureau) → draft editing again → submitted …
 */
export const plan = pgTable(
  'plan',
  {
    id: serial('id').primaryKey(),
    fundYear: integer('fund_year').notNull(),
    kind: text('kind', { enum: ['community', 'area'] }).notNull(),
    title: text('title').notNull(),
    /** The community of a community plan; null for an area plan. */
    communityCode: text('community_code').references(() => region.code),
    streetCode: text('street_code')
      .notNull()
      .references(() => region.code),
    districtCode: text('district_code')
      .notNull()
      .references(() => region.code),
    /** Region path of the owner: the community's path, or the street's for an area plan. */
    regionPath: text('region_path').notNull(),
    status: text('status', { enum: PLAN_STATUSES }).notNull().default('draft'),
    /** district | city: where the plan is (or would be) filed [N 2.3]. Set on approval. */
    filingLevel: text('filing_level', { enum: ['district', 'city'] }),
    /** Number of submissions so far. */
    round: integer('round').notNull().default(0),
    submittedOn: date('submitted_on', { mode: 'string' }),
    /** [N 3.1.2(2)] Street review due date, stored at submission (7 working days). */
    reviewDueOn: date('review_due_on', { mode: 'string' }),
    /** The review due date ran through a year whose holiday notice was not entered (暂定); recomputed when it is. */
    reviewDueProvisional: boolean('review_due_provisional').notNull().default(false),
    approvedOn: date('approved_on', { mode: 'string' }),
    filedOn: date('filed_on', { mode: 'string' }),
    returnedOn: date('returned_on', { mode: 'string' }),
    /** Step to redo after a return: plan | decision | needs. */
    returnStep: text('return_step', { enum: ['plan', 'decision', 'needs'] }),
    returnReasons: jsonb('return_reasons').$type<ReturnReason[] | null>(),
    createdByUserId: integer('created_by_user_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('plan_year_status_idx').on(t.fundYear, t.status),
    index('plan_region_path_idx').on(t.regionPath.op('text_pattern_ops')),
    check('plan_status_chk', sql`${t.status} in ('draft','submitted','returned','approved','filed')`),
    check('plan_kind_chk', sql`${t.kind} in ('community','area')`),
    check('plan_kind_community_chk', sql`(${t.kind} = 'community') = (${t.communityCode} is not null)`),
  ],
);

/** Member communities of a plan (one row for a community plan). */
export const planCommunity = pgTable(
  'plan_community',
  {
    planId: integer('plan_id')
      .notNull()
      .references(() => plan.id),
    communityCode: text('community_code')
      .notNull()
      .references(() => region.code),
    fundYear: integer('fund_year').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.planId, t.communityCode] }),
    // A community belongs to one plan per fund year.
    uniqueIndex('plan_community_year_idx').on(t.communityCode, t.fundYear),
  ],
);

/** A service project, one line of a plan. */
export const planProject = pgTable(
  'plan_project',
  {
    id: serial('id').primaryKey(),
    planId: integer('plan_id')
      .notNull()
      .references(() => plan.id),
    /** The decided project it comes from (the council's list). */
    decisionProjectId: integer('decision_project_id').references(() => decisionProject.id),
    title: text('title').notNull(),
    content: text('content').notNull().default(''),
    catalogueCode: text('catalogue_code').notNull(),
    category: text('category', { enum: ['basic', 'enhancement'] }).notNull(),
    budgetFen: bigint('budget_fen', { mode: 'number' }).notNull(),
    /** Communities served (codes, members of the plan). */
    communityCodes: jsonb('community_codes').$type<string[]>().notNull(),
    /** [N 2.3] Each served community's share of the budget (fen, summing to it); contracts commit and pay in these shares. */
    shares: jsonb('shares')
      .$type<MemberShare[]>()
      .notNull()
      .default(sql`'[]'::jsonb`),
    providerKind: text('provider_kind', { enum: ['social_work_station', 'social_organisation', 'university'] }).notNull(),
    otherFunding: jsonb('other_funding').$type<OtherFunding[]>().notNull(),
    procedureType: text('procedure_type').notNull(),
    sortOrder: integer('sort_order').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('plan_project_plan_idx').on(t.planId),
    // The projects serving one community (the portal's community page): containment, not a scan.
    index('plan_project_communities_idx').using('gin', t.communityCodes.op('jsonb_path_ops')),
    check('plan_project_budget_chk', sql`${t.budgetFen} >= 0`),
    check('plan_project_category_chk', sql`${t.category} in ('basic','enhancement')`),
  ],
);

/**
 * One review act on a plan, insert-only: the street's preliminary review (stage street) and the
 * bureau's filing (stage filing). Outcome approved | returned (street), filed | returned (bureau).
 */
export const planReview = pgTable(
  'plan_review',
  {
    id: serial('id').primaryKey(),
    planId: integer('plan_id')
      .notNull()
      .references(() => plan.id),
    round: integer('round').notNull(),
    stage: text('stage', { enum: ['street', 'filing'] }).notNull(),
    outcome: text('outcome', { enum: ['approved', 'returned', 'filed'] }).notNull(),
    decidedOn: date('decided_on', { mode: 'string' }).notNull(),
    returnStep: text('return_step', { enum: ['plan', 'decision', 'needs'] }),
    reasons: jsonb('reasons').$type<ReturnReason[]>().notNull(),
    comment: text('comment').notNull().default(''),
    reviewerUserId: integer('reviewer_user_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('plan_review_round_stage_idx').on(t.planId, t.round, t.stage),
    check('plan_review_outcome_chk', sql`${t.outcome} in ('approved','returned','filed')`),
  ],
);

/** In-app messages are derived from state; only the "read" marks are stored, per user and key. */
export const messageRead = pgTable(
  'message_read',
  {
    userId: integer('user_id').notNull(),
    messageKey: text('message_key').notNull(),
    readAt: timestamp('read_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.messageKey] })],
);
