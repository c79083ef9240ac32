import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/**
 * One table for city, districts, streets/towns and communities. `path` is the materialised path
 * of codes (`2101/210102/210102001/210102001001`); scope checks are "path starts with".
 */
export const region = pgTable(
  'region',
  {
    code: text('code').primaryKey(),
    parentCode: text('parent_code'),
    level: text('level', { enum: ['city', 'district', 'street', 'community'] }).notNull(),
    name: text('name').notNull(),
    /** 街道 / 镇 / 乡 / 区 / 县 … as published with the division code. */
    kind: text('kind').notNull(),
    path: text('path').notNull(),
    sortOrder: integer('sort_order').notNull().default(0),
  },
  (t) => [
    index('region_parent_idx').on(t.parentCode),
    uniqueIndex('region_path_idx').on(t.path),
    index('region_path_prefix_idx').on(t.path.op('text_pattern_ops')),
    // Communities under a path, counted from the index alone (community counts of regions).
    index('region_community_path_idx')
      .on(t.path.op('text_pattern_ops'))
      .where(sql`${t.level} = 'community'`),
  ],
);

/** Community details: the denominators and roster sizes the notice's rules count against. */
export const communityProfile = pgTable(
  'community_profile',
  {
    communityCode: text('community_code')
      .primaryKey()
      .references(() => region.code),
    residentHouseholds: integer('resident_households').notNull(),
    representatives: integer('representatives').notNull(),
    councilMembers: integer('council_members').notNull(),
    address: text('address'),
    contactPhone: text('contact_phone'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('community_profile_households_chk', sql`${t.residentHouseholds} > 0`),
    check('community_profile_reps_chk', sql`${t.representatives} >= 0`),
    check('community_profile_council_chk', sql`${t.councilMembers} >= 0`),
  ],
);
