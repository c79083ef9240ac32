import { sql } from 'drizzle-orm';
import { bigint, check, date, index, integer, pgTable, primaryKey, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { planProject } from './plans.js';
import { region } from './regions.js';

/** [N 3.2] Categories of the participants of a review meeting (评审会). */
export const PARTICIPANT_CATEGORIES = [
  'district_staff',
  'street_staff',
  'community_committee',
  'council',
  'representative',
  'npc_deputy',
  'cppcc_member',
  'expert',
] as const;
export type ParticipantCategory = (typeof PARTICIPANT_CATEGORIES)[number];

export const EVALUATION_KINDS = ['midterm', 'final'] as const;
export type EvaluationKind = (typeof EVALUATION_KINDS)[number];

export const GRADES = ['excellent', 'good', 'pass', 'fail'] as const;
export type Grade = (typeof GRADES)[number];

/** Evidence metadata (the file itself lives with the evaluator or in delivery records). */
export interface EvidenceRef {
  name: string;
  kind: string;
  ref?: string | null;
}

/** A commissioned third-party evaluation organisation; its accounts have role `evaluator` and orgId = id. */
export const evaluatorOrg = pgTable('evaluator_org', {
  id: serial('id').primaryKey(),
  name: text('name').notNull(),
  creditCode: text('credit_code'),
  contact: text('contact').notNull().default(''),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** A mid-term or final evaluation round of one district for one fund year. */
export const evaluationRound = pgTable(
  'evaluation_round',
  {
    id: serial('id').primaryKey(),
    fundYear: integer('fund_year').notNull(),
    kind: text('kind', { enum: EVALUATION_KINDS }).notNull(),
    districtCode: text('district_code')
      .notNull()
      .references(() => region.code),
    regionPath: text('region_path').notNull(),
    /** From policy (midEvaluationDue / finalEvaluationDue) of the fund year. */
    dueOn: date('due_on', { mode: 'string' }).notNull(),
    openedOn: date('opened_on', { mode: 'string' }).notNull(),
    status: text('status', { enum: ['open', 'closed'] })
      .notNull()
      .default('open'),
    closedOn: date('closed_on', { mode: 'string' }),
    createdByUserId: integer('created_by_user_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('evaluation_round_unique_idx').on(t.fundYear, t.districtCode, t.kind),
    index('evaluation_round_region_idx').on(t.regionPath.op('text_pattern_ops')),
    check('evaluation_round_kind_chk', sql`${t.kind} in ('midterm','final')`),
    check('evaluation_round_status_chk', sql`${t.status} in ('open','closed')`),
  ],
);

/** One project evaluated in a round, by a third party or by a review meeting. */
export const evaluationAssignment = pgTable(
  'evaluation_assignment',
  {
    id: serial('id').primaryKey(),
    roundId: integer('round_id')
      .notNull()
      .references(() => evaluationRound.id),
    planProjectId: integer('plan_project_id')
      .notNull()
      .references(() => planProject.id),
    /** The project's first community (display and scope); regionPath is the plan's region. */
    communityCode: text('community_code').notNull(),
    regionPath: text('region_path').notNull(),
    budgetFen: bigint('budget_fen', { mode: 'number' }).notNull(),
    method: text('method', { enum: ['third_party', 'review_meeting'] }).notNull(),
    evaluatorOrgId: integer('evaluator_org_id').references(() => evaluatorOrg.id),
    meetingOn: date('meeting_on', { mode: 'string' }),
    status: text('status', { enum: ['assigned', 'concluded'] })
      .notNull()
      .default('assigned'),
    /** Weighted score in hundredths of a point (0–10000): Σ weight × score, weights summing to 100. */
    scoreBp: integer('score_bp'),
    grade: text('grade', { enum: GRADES }),
    /** People covered, as stated by the evaluator (a rubric indicator's fact). */
    peopleCovered: integer('people_covered'),
    conclusion: text('conclusion').notNull().default(''),
    problems: text('problems').notNull().default(''),
    concludedOn: date('concluded_on', { mode: 'string' }),
    concludedByUserId: integer('concluded_by_user_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('evaluation_assignment_unique_idx').on(t.roundId, t.planProjectId),
    index('evaluation_assignment_org_idx').on(t.evaluatorOrgId),
    // Grades of given projects (portal, payment conditions): the unique index leads with the round.
    index('evaluation_assignment_project_idx').on(t.planProjectId),
    index('evaluation_assignment_region_idx').on(t.regionPath.op('text_pattern_ops')),
    // The read model counts a community's grades by community (ADR 0023).
    index('evaluation_assignment_community_idx').on(t.communityCode),
    check('evaluation_assignment_method_chk', sql`(${t.method} = 'third_party') = (${t.evaluatorOrgId} is not null)`),
    check('evaluation_assignment_score_chk', sql`${t.scoreBp} is null or (${t.scoreBp} >= 0 and ${t.scoreBp} <= 10000)`),
  ],
);

/** Review-meeting participants, by category [N 3.2]. */
export const evaluationParticipant = pgTable(
  'evaluation_participant',
  {
    id: serial('id').primaryKey(),
    assignmentId: integer('assignment_id')
      .notNull()
      .references(() => evaluationAssignment.id),
    category: text('category', { enum: PARTICIPANT_CATEGORIES }).notNull(),
    name: text('name').notNull(),
    affiliation: text('affiliation').notNull().default(''),
  },
  (t) => [index('evaluation_participant_assignment_idx').on(t.assignmentId)],
);

/** One rubric item's score (0–100) with the weight in force when it was scored. */
export const evaluationScore = pgTable(
  'evaluation_score',
  {
    assignmentId: integer('assignment_id')
      .notNull()
      .references(() => evaluationAssignment.id),
    itemCode: text('item_code').notNull(),
    weight: integer('weight').notNull(),
    score: integer('score').notNull(),
    note: text('note').notNull().default(''),
  },
  (t) => [
    primaryKey({ columns: [t.assignmentId, t.itemCode] }),
    check('evaluation_score_range_chk', sql`${t.score} >= 0 and ${t.score} <= 100`),
  ],
);

/** Evidence metadata attached by the evaluator. */
export const evaluationEvidence = pgTable(
  'evaluation_evidence',
  {
    id: serial('id').primaryKey(),
    assignmentId: integer('assignment_id')
      .notNull()
      .references(() => evaluationAssignment.id),
    name: text('name').notNull(),
    kind: text('kind').notNull(),
    ref: text('ref'),
    addedByUserId: integer('added_by_user_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('evaluation_evidence_assignment_idx').on(t.assignmentId)],
);

/** [N 3.12] An evaluation fee, posted in the ledger on the non-fund evaluation-fee account. */
export const evaluationFee = pgTable(
  'evaluation_fee',
  {
    id: serial('id').primaryKey(),
    roundId: integer('round_id')
      .notNull()
      .references(() => evaluationRound.id),
    evaluatorOrgId: integer('evaluator_org_id').references(() => evaluatorOrg.id),
    amountFen: bigint('amount_fen', { mode: 'number' }).notNull(),
    paidOn: date('paid_on', { mode: 'string' }).notNull(),
    note: text('note').notNull().default(''),
    transferId: text('transfer_id').notNull(),
    createdByUserId: integer('created_by_user_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('evaluation_fee_transfer_idx').on(t.transferId), check('evaluation_fee_amount_chk', sql`${t.amountFen} > 0`)],
);
