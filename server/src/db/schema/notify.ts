import { sql } from 'drizzle-orm';
import { boolean, check, date, index, integer, pgTable, serial, text, timestamp } from 'drizzle-orm/pg-core';
import { region } from './regions.js';

/**
 * Where a region's reminders go (ADR 0018): a mailing list or a 企业微信 / 钉钉 group robot. The
 * DingTalk signing secret is stored here and nowhere else: never answered by the API, never audited.
 */
export const notifyChannel = pgTable(
  'notify_channel',
  {
    id: serial('id').primaryKey(),
    regionCode: text('region_code')
      .notNull()
      .references(() => region.code),
    /** email | wecom | dingtalk */
    kind: text('kind').notNull(),
    name: text('name').notNull(),
    /** E-mail addresses (comma-separated) or the robot's webhook URL. */
    target: text('target').notNull(),
    /** DingTalk "加签" secret (SEC…), or null. */
    secret: text('secret'),
    enabled: boolean('enabled').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('notify_channel_region_idx').on(t.regionCode),
    check('notify_channel_kind_chk', sql`${t.kind} in ('email','wecom','dingtalk')`),
  ],
);

/**
 * The outbox (ADR 0018): one row per message to send. `dedupe_key` is unique, so "sent once" is held
 * by the database (INSERT … ON CONFLICT DO NOTHING); dispatchers claim due rows with
 * FOR UPDATE SKIP LOCKED and record every attempt.
 */
export const notifyOutbox = pgTable(
  'notify_outbox',
  {
    id: serial('id').primaryKey(),
    channelId: integer('channel_id')
      .notNull()
      .references(() => notifyChannel.id),
    /** digest:<channel>:<date> | immediate:<channel>:<item key>:<due date> | test:<channel>:<instant> */
    dedupeKey: text('dedupe_key').notNull().unique(),
    /** digest | immediate | test */
    kind: text('kind').notNull(),
    businessDate: date('business_date', { mode: 'string' }).notNull(),
    subject: text('subject').notNull(),
    /** Markdown for the robots; the e-mail sends it as plain text. */
    body: text('body').notNull(),
    /** pending | sending | sent | failed */
    status: text('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull(),
    /** While `sending`: the claim lapses at this instant (a dispatcher that died), and the row is due again. */
    claimedUntil: timestamp('claimed_until', { withTimezone: true }),
    lastError: text('last_error'),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('notify_outbox_due_idx').on(t.status, t.nextAttemptAt),
    index('notify_outbox_channel_idx').on(t.channelId, t.id),
    check('notify_outbox_kind_chk', sql`${t.kind} in ('digest','immediate','test')`),
    check('notify_outbox_status_chk', sql`${t.status} in ('pending','sending','sent','failed')`),
  ],
);
