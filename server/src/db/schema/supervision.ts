import { sql } from 'drizzle-orm';
import { boolean, check, date, index, integer, jsonb, pgTable, serial, text, timestamp } from 'drizzle-orm/pg-core';
import { planProject } from './plans.js';
import { region } from './regions.js';

export interface SampleUnit {
  key: string;
  label: string;
  districtCode: string;
  stars: number | null;
  regionPath: string;
}

/** [N 4.3] A city spot check: the population, the published seed and the sample drawn from them. */
export const spotCheck = pgTable(
  'spot_check',
  {
    id: serial('id').primaryKey(),
    fundYear: integer('fund_year').notNull(),
    title: text('title').notNull(),
    unit: text('unit', { enum: ['community', 'project'] }).notNull(),
    seed: text('seed').notNull(),
    size: integer('size'),
    sharePercent: integer('share_percent'),
    stratifyByDistrict: boolean('stratify_by_district').notNull().default(false),
    stratifyByStars: boolean('stratify_by_stars').notNull().default(false),
    population: jsonb('population').$type<SampleUnit[]>().notNull(),
    sample: jsonb('sample').$type<string[]>().notNull(),
    drawnOn: date('drawn_on', { mode: 'string' }).notNull(),
    createdByUserId: integer('created_by_user_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check('spot_check_unit_chk', sql`${t.unit} in ('community','project')`)],
);

/** [N 4.3] A street's supervision visit to a community (scope, procedure, disclosure). */
export const streetVisit = pgTable(
  'street_visit',
  {
    id: serial('id').primaryKey(),
    streetCode: text('street_code')
      .notNull()
      .references(() => region.code),
    communityCode: text('community_code')
      .notNull()
      .references(() => region.code),
    regionPath: text('region_path').notNull(),
    visitedOn: date('visited_on', { mode: 'string' }).notNull(),
    aspects: jsonb('aspects').$type<string[]>().notNull(),
    summary: text('summary').notNull(),
    createdByUserId: integer('created_by_user_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('street_visit_region_idx').on(t.regionPath.op('text_pattern_ops'))],
);

/** A finding of a spot check or a street visit, with its rectification demand and follow-up. */
export const supervisionFinding = pgTable(
  'supervision_finding',
  {
    id: serial('id').primaryKey(),
    spotCheckId: integer('spot_check_id').references(() => spotCheck.id),
    visitId: integer('visit_id').references(() => streetVisit.id),
    communityCode: text('community_code')
      .notNull()
      .references(() => region.code),
    planProjectId: integer('plan_project_id').references(() => planProject.id),
    regionPath: text('region_path').notNull(),
    description: text('description').notNull(),
    demand: text('demand').notNull(),
    foundOn: date('found_on', { mode: 'string' }).notNull(),
    /** Rectification deadline, counted in calendar working days from foundOn. */
    workdays: integer('workdays').notNull(),
    deadlineOn: date('deadline_on', { mode: 'string' }).notNull(),
    /** The deadline ran through a year whose holiday notice was not entered (暂定); recomputed when it is. */
    deadlineProvisional: boolean('deadline_provisional').notNull().default(false),
    status: text('status', { enum: ['open', 'responded', 'closed'] })
      .notNull()
      .default('open'),
    response: text('response'),
    respondedOn: date('responded_on', { mode: 'string' }),
    closedOn: date('closed_on', { mode: 'string' }),
    closingNote: text('closing_note'),
    createdByUserId: integer('created_by_user_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('supervision_finding_region_idx').on(t.regionPath.op('text_pattern_ops')),
    check('supervision_finding_source_chk', sql`(${t.spotCheckId} is null) <> (${t.visitId} is null)`),
    check('supervision_finding_status_chk', sql`${t.status} in ('open','responded','closed')`),
  ],
);

export interface CasePhoto {
  name: string;
  caption: string;
  ref?: string | null;
}

/** [N 4.4] A model case: a curated write-up of a good project, published on the portal. */
export const modelCase = pgTable(
  'model_case',
  {
    id: serial('id').primaryKey(),
    planProjectId: integer('plan_project_id')
      .notNull()
      .references(() => planProject.id),
    fundYear: integer('fund_year').notNull(),
    communityCode: text('community_code').notNull(),
    regionPath: text('region_path').notNull(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    results: text('results').notNull().default(''),
    photos: jsonb('photos').$type<CasePhoto[]>().notNull(),
    published: boolean('published').notNull().default(false),
    publishedOn: date('published_on', { mode: 'string' }),
    authorUserId: integer('author_user_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('model_case_region_idx').on(t.regionPath.op('text_pattern_ops')),
    index('model_case_community_idx').on(t.communityCode, t.fundYear),
  ],
);
