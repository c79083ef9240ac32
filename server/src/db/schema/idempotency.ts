import { integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * The first answer to a request that carried an idempotency key (`requestId`), per scope (the
 * operation). The row is inserted first in the request's own transaction: a concurrent duplicate
 * blocks on the primary key and, once the first commits, reads the stored answer
 * (docs/invariants.md, ADR 0010). response_status is null only inside the first transaction.
 */
export const idempotencyKey = pgTable(
  'idempotency_key',
  {
    scope: text('scope').notNull(),
    key: text('key').notNull(),
    /** sha256 of the caller and the canonical request (body without the key, path parameters). */
    requestHash: text('request_hash').notNull(),
    responseStatus: integer('response_status'),
    responseBody: jsonb('response_body'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: 'idempotency_key_pk', columns: [t.scope, t.key] })],
);
