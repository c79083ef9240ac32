import { integer, jsonb, pgTable, timestamp } from 'drizzle-orm/pg-core';

/** A fund year's policy: every number of the notice as data ([N 1]…[N 4]); validated on write. */
export const policyYear = pgTable('policy_year', {
  year: integer('year').primaryKey(),
  document: jsonb('document').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
