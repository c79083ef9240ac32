import { boolean, date, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

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
