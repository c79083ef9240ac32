import { sql } from 'drizzle-orm';
import { check, date, index, integer, pgTable, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { region } from './regions.js';

/**
 * [N 4.2] A disclosure the community (or street) made outside the system's own publication — the
 * filed plan, contracts, progress, evaluation results and payments posted on the community's
 * notice board or website — with the date it was published. The decision and its public notice
 * are published by the system itself (the notice's posting date), so they need no record here.
 * One record per community, fund year and kind; re-recording is refused.
 */
export const disclosureRecord = pgTable(
  'disclosure_record',
  {
    id: serial('id').primaryKey(),
    communityCode: text('community_code')
      .notNull()
      .references(() => region.code),
    fundYear: integer('fund_year').notNull(),
    kind: text('kind').notNull(),
    publishedOn: date('published_on', { mode: 'string' }).notNull(),
    title: text('title').notNull(),
    /** Where it can be read (a link), if online. */
    url: text('url'),
    regionPath: text('region_path').notNull(),
    recordedByUserId: integer('recorded_by_user_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('disclosure_record_once_idx').on(t.communityCode, t.fundYear, t.kind),
    index('disclosure_record_path_idx').on(t.regionPath.op('text_pattern_ops')),
    check('disclosure_record_kind_chk', sql`${t.kind} in ('plan','contracts','progress','midterm','final','payments')`),
  ],
);
