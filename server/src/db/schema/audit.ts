import { bigint, bigserial, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** Append-only, hash-chained record of every write ([N 4.2], spec §5). */
export const auditEvent = pgTable(
  'audit_event',
  {
    seq: bigint('seq', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    actorUserId: integer('actor_user_id'),
    actorName: text('actor_name').notNull(),
    action: text('action').notNull(),
    entityType: text('entity_type').notNull(),
    entityId: text('entity_id').notNull(),
    /** Region path the event concerns, so scoped roles read only their own events. */
    regionPath: text('region_path'),
    before: jsonb('before'),
    after: jsonb('after'),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [
    index('audit_event_entity_idx').on(t.entityType, t.entityId),
    index('audit_event_at_idx').on(t.at),
    index('audit_event_region_idx').on(t.regionPath),
  ],
);

/**
 * Events recorded in their writers' transactions and not yet chained (ADR 0007): inserted without
 * a lock, moved onto `audit_event` in id order by the chainer, which holds the head lock.
 */
export const auditInbox = pgTable('audit_inbox', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  at: timestamp('at', { withTimezone: true }).notNull(),
  actorUserId: integer('actor_user_id'),
  actorName: text('actor_name').notNull(),
  action: text('action').notNull(),
  entityType: text('entity_type').notNull(),
  entityId: text('entity_id').notNull(),
  regionPath: text('region_path'),
  before: jsonb('before'),
  after: jsonb('after'),
});

/** One row: the chain head, locked FOR UPDATE by the chainer, which orders the chain (ADR 0007). */
export const auditHead = pgTable('audit_head', {
  id: integer('id').primaryKey(),
  seq: bigint('seq', { mode: 'number' }).notNull(),
  hash: text('hash').notNull(),
});
