import { sql } from 'drizzle-orm';
import { check, date, integer, jsonb, pgTable, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { region } from './regions.js';

/** Figures of a district report, compiled from its evaluations (frozen when filed). */
export type ReportFigures = Record<string, unknown>;

/** [N 3.2] A district's mid-term or final report to the city bureau. */
export const districtReport = pgTable(
  'district_report',
  {
    id: serial('id').primaryKey(),
    fundYear: integer('fund_year').notNull(),
    kind: text('kind', { enum: ['midterm', 'final'] }).notNull(),
    districtCode: text('district_code')
      .notNull()
      .references(() => region.code),
    regionPath: text('region_path').notNull(),
    status: text('status', { enum: ['draft', 'filed', 'acknowledged'] })
      .notNull()
      .default('draft'),
    narrative: text('narrative').notNull().default(''),
    /** Null while a draft (compiled live); the compiled figures at filing. */
    figures: jsonb('figures').$type<ReportFigures | null>(),
    filedOn: date('filed_on', { mode: 'string' }),
    filedByUserId: integer('filed_by_user_id'),
    acknowledgedOn: date('acknowledged_on', { mode: 'string' }),
    acknowledgementNote: text('acknowledgement_note'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('district_report_unique_idx').on(t.fundYear, t.districtCode, t.kind),
    check('district_report_status_chk', sql`${t.status} in ('draft','filed','acknowledged')`),
  ],
);
