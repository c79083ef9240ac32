import { boolean, date, index, integer, pgTable, serial, text, timestamp } from 'drizzle-orm/pg-core';

/** A year is usable only once its State Council holiday notice has been entered. */
export const calendarYear = pgTable('calendar_year', {
  year: integer('year').primaryKey(),
  source: text('source'),
  publishedAt: timestamp('published_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Exceptions to the Monday–Friday week: statutory rest days and make-up workdays (调休). */
export const calendarDay = pgTable('calendar_day', {
  day: date('day', { mode: 'string' }).primaryKey(),
  isOffDay: boolean('is_off_day').notNull(),
  name: text('name').notNull(),
});

/**
 * A due date that moved when a year's holiday notice was entered: it had been computed
 * provisionally (ADR 0009). Kept so that the people it concerns are told (messages) and the
 * change can be traced; the audit chain holds the same change.
 */
export const calendarDueDateChange = pgTable(
  'calendar_due_date_change',
  {
    id: serial('id').primaryKey(),
    /** The year whose notice was entered. */
    year: integer('year').notNull(),
    /** plan_review | notice_window | finding_deadline */
    kind: text('kind').notNull(),
    entityId: integer('entity_id').notNull(),
    title: text('title').notNull(),
    regionPath: text('region_path').notNull(),
    before: date('before', { mode: 'string' }).notNull(),
    after: date('after', { mode: 'string' }).notNull(),
    /** Still provisional after the change (it runs through a later unpublished year). */
    provisional: boolean('provisional').notNull(),
    changedOn: date('changed_on', { mode: 'string' }).notNull(),
    changedAt: timestamp('changed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('calendar_due_date_change_path_idx').on(t.regionPath, t.changedOn)],
);
