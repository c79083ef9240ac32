import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, pgTable, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { region } from './regions.js';

/**
 * The household registry of a community ([N 3.1.1(1)]: every opinion is tied to a registered
 * household). Names and phones are personal data: shown in the clear only to the community's own
 * staff, masked everywhere else (spec §5). No ID number is ever stored in the clear.
 */
export const household = pgTable(
  'household',
  {
    id: serial('id').primaryKey(),
    communityCode: text('community_code')
      .notNull()
      .references(() => region.code),
    /** 户号, unique within the community. */
    householdNo: text('household_no').notNull(),
    building: text('building').notNull(),
    unit: text('unit').notNull().default(''),
    room: text('room').notNull(),
    headName: text('head_name').notNull(),
    phone: text('phone').notNull(),
    residents: integer('residents').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('household_community_no_idx').on(t.communityCode, t.householdNo),
    check('household_residents_chk', sql`${t.residents} between 1 and 99`),
  ],
);

/** Residents holding a role: residents' representative (居民代表) and/or council member (议事会成员). */
export const householdMember = pgTable(
  'household_member',
  {
    id: serial('id').primaryKey(),
    householdId: integer('household_id')
      .notNull()
      .references(() => household.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    isRepresentative: boolean('is_representative').notNull().default(false),
    isCouncilMember: boolean('is_council_member').notNull().default(false),
    /** `salt$sha256(salt + ID number)`: lets a later step confirm a person, never shows the number. */
    idNumberHash: text('id_number_hash'),
  },
  (t) => [index('household_member_household_idx').on(t.householdId)],
);
