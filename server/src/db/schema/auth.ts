import { sql } from 'drizzle-orm';
import { boolean, index, integer, pgTable, serial, text, timestamp, check } from 'drizzle-orm/pg-core';
import { region } from './regions.js';

export const appUser = pgTable(
  'app_user',
  {
    id: serial('id').primaryKey(),
    username: text('username').notNull().unique(),
    displayName: text('display_name').notNull(),
    passwordHash: text('password_hash').notNull(),
    role: text('role').notNull(),
    /** Region-scoped roles: the region they act for. */
    scopeCode: text('scope_code').references(() => region.code),
    /** Provider / evaluator organisation id (organisations arrive with procurement). */
    orgId: integer('org_id'),
    failedLogins: integer('failed_logins').notNull().default(0),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    disabled: integer('disabled').notNull().default(0),
    /** Contact phone of the office (mobile or landline), shown to administrators (ADR 0012). */
    phone: text('phone'),
    /** Set by an administrator's one-time password: every route but me/password/logout refuses until changed (ADR 0012). */
    mustChangePassword: boolean('must_change_password').notNull().default(false),
    lastLoginAt: timestamp('last_login_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('app_user_scope_idx').on(t.scopeCode),
    check(
      'app_user_role_chk',
      sql`${t.role} in ('city_bureau','city_finance','district_bureau','street_office','community','provider','evaluator')`,
    ),
  ],
);

/** Server-side sessions so that several instances share them and logout really ends one. */
export const userSession = pgTable(
  'user_session',
  {
    /** SHA-256 of the cookie token; the token itself is never stored. */
    tokenHash: text('token_hash').primaryKey(),
    userId: integer('user_id')
      .notNull()
      .references(() => appUser.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('user_session_user_idx').on(t.userId)],
);
