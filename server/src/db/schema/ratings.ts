import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, smallint, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { region } from './regions.js';

/** Star rating of a community for a rating year (allocation for year Y uses rating Y-1, [N 1]). */
export const rating = pgTable(
  'rating',
  {
    communityCode: text('community_code')
      .notNull()
      .references(() => region.code),
    year: integer('year').notNull(),
    stars: smallint('stars').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('rating_community_year_idx').on(t.communityCode, t.year),
    index('rating_year_idx').on(t.year, t.stars),
    check('rating_stars_chk', sql`${t.stars} between 1 and 5`),
  ],
);
