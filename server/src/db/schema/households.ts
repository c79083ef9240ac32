import { sql } from 'drizzle-orm';
import { boolean, check, date, index, integer, pgTable, serial, text, timestamp, uniqueIndex, type AnyPgColumn } from 'drizzle-orm/pg-core';
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

/**
 * A term of office on a community's roster [N 3.1.2(1)]: a residents' representative (居民代表) or
 * a council member (议事会成员) from `from_date` to `to_date` inclusive (null: in office). Decisions
 * count the roster as it stood on their meeting date; a notice's objection threshold counts the
 * representatives in office on the posting day (ADR 0013). At most one open term per
 * (community, body, person) — a person being a name within a household, or a name alone when
 * no household is linked — is held by the partial unique index; overlapping closed terms are
 * refused under a per-community advisory lock (households.roster.service.ts).
 */
export const rosterTerm = pgTable(
  'roster_term',
  {
    id: serial('id').primaryKey(),
    communityCode: text('community_code')
      .notNull()
      .references(() => region.code),
    /** 'representative' | 'council_member' */
    body: text('body').notNull(),
    personName: text('person_name').notNull(),
    /** The person's household when registered (online objections identify the household). */
    householdId: integer('household_id').references(() => household.id, { onDelete: 'set null' }),
    fromDate: date('from_date', { mode: 'string' }).notNull(),
    /** Inclusive last day in office; null while in office. */
    toDate: date('to_date', { mode: 'string' }),
    endReason: text('end_reason'),
    /** The term this one succeeds (a replacement ends that term the day before this one starts). */
    replacesId: integer('replaces_id').references((): AnyPgColumn => rosterTerm.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('roster_term_open_idx')
      .on(t.communityCode, t.body, t.personName, sql`coalesce(${t.householdId}, 0)`)
      .where(sql`${t.toDate} is null`),
    index('roster_term_community_idx').on(t.communityCode, t.body, t.fromDate),
    index('roster_term_household_idx').on(t.householdId),
    check('roster_term_body_chk', sql`${t.body} in ('representative', 'council_member')`),
    check('roster_term_dates_chk', sql`${t.toDate} is null or ${t.toDate} >= ${t.fromDate}`),
  ],
);
