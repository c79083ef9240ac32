import { and, eq } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { idempotencyKey } from '../../db/schema/idempotency.js';

export type IdempotencyRow = typeof idempotencyKey.$inferSelect;

/** SQL only: the idempotency_key table (ADR 0010). */
export class IdempotencyRepository {
  /**
   * Inserts the key row first in the request's transaction. False when the key exists: a
   * concurrent twin blocks here on the primary key until the first transaction ends.
   */
  async claim(db: Executor, row: { scope: string; key: string; requestHash: string }): Promise<boolean> {
    const inserted = await db
      .insert(idempotencyKey)
      .values(row)
      .onConflictDoNothing({ target: [idempotencyKey.scope, idempotencyKey.key] })
      .returning({ key: idempotencyKey.key });
    return inserted.length === 1;
  }

  async get(db: Executor, scope: string, key: string): Promise<IdempotencyRow | undefined> {
    return (
      await db
        .select()
        .from(idempotencyKey)
        .where(and(eq(idempotencyKey.scope, scope), eq(idempotencyKey.key, key)))
    )[0];
  }

  async complete(db: Executor, scope: string, key: string, status: number, body: unknown): Promise<void> {
    await db
      .update(idempotencyKey)
      .set({ responseStatus: status, responseBody: body })
      .where(and(eq(idempotencyKey.scope, scope), eq(idempotencyKey.key, key)));
  }
}
