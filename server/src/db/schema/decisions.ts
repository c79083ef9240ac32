import { sql } from 'drizzle-orm';
import { bigint, boolean, check, date, index, integer, jsonb, pgTable, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { household } from './households.js';
import { needsCampaign } from './needs.js';
import { region } from './regions.js';

export interface Attachment {
  name: string;
  url: string | null;
}

/** Who attended a vote, snapshotted from the roster at the time (roster rows may be re-imported later). */
export interface PresentMember {
  /** Null for a roster member not linked to a registered household (ADR 0013). */
  householdId: number | null;
  householdNo: string;
  name: string;
}

/**
 * [N 3] The democratic decision of one community's draft project list (one per needs campaign,
 * i.e. per community and fund year, unless a vote passed no project at all).
 * in_progress → noticed → (suspended → noticed …) → ready_for_review; or rejected.
 */
export const decision = pgTable(
  'decision',
  {
    id: serial('id').primaryKey(),
    communityCode: text('community_code')
      .notNull()
      .references(() => region.code),
    fundYear: integer('fund_year').notNull(),
    campaignId: integer('campaign_id')
      .notNull()
      .references(() => needsCampaign.id),
    procedure: text('procedure', { enum: ['major', 'simplified'] }).notNull(),
    status: text('status', { enum: ['in_progress', 'noticed', 'suspended', 'ready_for_review', 'rejected'] })
      .notNull()
      .default('in_progress'),
    /** How many decisive votes were held (1, then +1 per retake after objections). */
    round: integer('round').notNull().default(0),
    /** Date of the latest decisive vote (the posting date of the current notice). */
    decidedOn: date('decided_on', { mode: 'string' }),
    createdByUserId: integer('created_by_user_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // One live decision per campaign; a list that passed nothing may be put to a new decision.
    uniqueIndex('decision_campaign_live_idx')
      .on(t.campaignId)
      .where(sql`${t.status} <> 'rejected'`),
    index('decision_community_idx').on(t.communityCode, t.fundYear),
    // Decisions under a region by code prefix (LIKE 'code%'): usable whatever the collation.
    index('decision_community_prefix_idx').on(t.communityCode.op('text_pattern_ops'), t.fundYear),
    check('decision_status_chk', sql`${t.status} in ('in_progress','noticed','suspended','ready_for_review','rejected')`),
    check('decision_procedure_chk', sql`${t.procedure} in ('major','simplified')`),
  ],
);

/** The draft list as put to the decision: a snapshot of the campaign's listed proposals. */
export const decisionProject = pgTable(
  'decision_project',
  {
    id: serial('id').primaryKey(),
    decisionId: integer('decision_id')
      .notNull()
      .references(() => decision.id),
    proposalId: integer('proposal_id').notNull(),
    rank: integer('rank').notNull(),
    title: text('title').notNull(),
    catalogueCode: text('catalogue_code').notNull(),
    category: text('category', { enum: ['basic', 'enhancement'] }).notNull(),
    estimatedBudgetFen: bigint('estimated_budget_fen', { mode: 'number' }).notNull(),
    internalMatter: boolean('internal_matter').notNull().default(false),
  },
  (t) => [
    uniqueIndex('decision_project_decision_proposal_idx').on(t.decisionId, t.proposalId),
    check('decision_project_budget_chk', sql`${t.estimatedBudgetFen} >= 0`),
  ],
);

/**
 * One recorded step of the procedure, in order (seq). Decisive steps (resident_decision,
 * committees_decision, objection_revote) carry the body, the members present and the votes.
 * Insert-only: the service never updates or deletes a step.
 */
export const decisionStep = pgTable(
  'decision_step',
  {
    id: serial('id').primaryKey(),
    decisionId: integer('decision_id')
      .notNull()
      .references(() => decision.id),
    seq: integer('seq').notNull(),
    step: text('step').notNull(),
    /** council | residents_meeting | representatives_meeting | committees (decisive steps only). */
    body: text('body'),
    heldOn: date('held_on', { mode: 'string' }).notNull(),
    expectedAttendance: integer('expected_attendance').notNull(),
    actualAttendance: integer('actual_attendance').notNull(),
    /** approved | returned for preparatory steps; decided for a vote. */
    outcome: text('outcome').notNull(),
    minutes: text('minutes').notNull(),
    attachments: jsonb('attachments').$type<Attachment[]>().notNull(),
    presentMembers: jsonb('present_members').$type<PresentMember[] | null>(),
    recordedByUserId: integer('recorded_by_user_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('decision_step_seq_idx').on(t.decisionId, t.seq),
    check(
      'decision_step_attendance_chk',
      sql`${t.expectedAttendance} >= 0 and ${t.actualAttendance} >= 0 and ${t.actualAttendance} <= ${t.expectedAttendance}`,
    ),
  ],
);

/** Votes per project of a decisive step (insert-only): the decided list is frozen by construction. */
export const decisionVote = pgTable(
  'decision_vote',
  {
    stepId: integer('step_id')
      .notNull()
      .references(() => decisionStep.id),
    projectId: integer('project_id')
      .notNull()
      .references(() => decisionProject.id),
    votesFor: integer('votes_for').notNull(),
    votesAgainst: integer('votes_against').notNull(),
    votesAbstain: integer('votes_abstain').notNull(),
    passed: boolean('passed').notNull(),
  },
  (t) => [
    uniqueIndex('decision_vote_step_project_idx').on(t.stepId, t.projectId),
    check('decision_vote_counts_chk', sql`${t.votesFor} >= 0 and ${t.votesAgainst} >= 0 and ${t.votesAbstain} >= 0`),
  ],
);

export interface NoticeProject {
  projectId: number;
  title: string;
  catalogueCode: string;
  category: 'basic' | 'enhancement';
  estimatedBudgetFen: number;
  votesFor: number;
  votesAgainst: number;
  votesAbstain: number;
}

/**
 * [N 3.1.2(1)] The public notice of a decision, posted at once. open → suspended (objections
 * reached the threshold) → voided (replaced by the notice of the retaken decision); or open →
 * closed (window ended without the threshold; also read lazily from window_end).
 */
export const decisionNotice = pgTable(
  'decision_notice',
  {
    id: serial('id').primaryKey(),
    decisionId: integer('decision_id')
      .notNull()
      .references(() => decision.id),
    stepId: integer('step_id')
      .notNull()
      .references(() => decisionStep.id),
    round: integer('round').notNull(),
    postedOn: date('posted_on', { mode: 'string' }).notNull(),
    windowEnd: date('window_end', { mode: 'string' }).notNull(),
    /** The window's end ran through a year whose holiday notice was not entered (暂定); recomputed when it is. */
    windowEndProvisional: boolean('window_end_provisional').notNull().default(false),
    status: text('status', { enum: ['open', 'suspended', 'voided', 'closed'] })
      .notNull()
      .default('open'),
    /** The decided (passed) projects, frozen at posting. */
    projects: jsonb('projects').$type<NoticeProject[]>().notNull(),
    /** Representatives counted against at posting, and the objectors that reach the threshold. */
    representatives: integer('representatives').notNull(),
    objectorsNeeded: integer('objectors_needed').notNull(),
    suspendedAt: timestamp('suspended_at', { withTimezone: true }),
    /** Why it was suspended (e.g. a paper objection received in the window and entered after it). */
    suspendReason: text('suspend_reason'),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('decision_notice_round_idx').on(t.decisionId, t.round),
    index('decision_notice_status_idx').on(t.status, t.windowEnd),
    check('decision_notice_status_chk', sql`${t.status} in ('open','suspended','voided','closed')`),
    check('decision_notice_window_chk', sql`${t.postedOn} < ${t.windowEnd}`),
  ],
);

/** An objection of a registered representative: each counts once per notice (the UNIQUE index). */
export const decisionObjection = pgTable(
  'decision_objection',
  {
    id: serial('id').primaryKey(),
    noticeId: integer('notice_id')
      .notNull()
      .references(() => decisionNotice.id),
    householdId: integer('household_id')
      .notNull()
      .references(() => household.id),
    /** The representative's name as registered (the member row may be re-imported; the name is the key). */
    representativeName: text('representative_name').notNull(),
    channel: text('channel', { enum: ['online', 'paper'] }).notNull(),
    reason: text('reason'),
    /** [N 3.1.2(1)] The day the objection was received (online: the day it was made); the threshold counts by it. */
    receivedOn: date('received_on', { mode: 'string' }).notNull(),
    /** The China date it was entered (a paper objection may be typed in after the window, within the policy's grace). */
    enteredOn: date('entered_on', { mode: 'string' }).notNull(),
    enteredByUserId: integer('entered_by_user_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('decision_objection_once_idx').on(t.noticeId, t.householdId, t.representativeName),
    check('decision_objection_channel_chk', sql`${t.channel} in ('online','paper')`),
    check('decision_objection_received_chk', sql`${t.receivedOn} <= ${t.enteredOn}`),
  ],
);
