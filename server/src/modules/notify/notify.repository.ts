import { and, desc, eq, inArray, lte, or, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { notifyChannel, notifyOutbox } from '../../db/schema/notify.js';
import { region } from '../../db/schema/regions.js';
import { underPath } from '../../common/region-scope.js';

export type ChannelRow = typeof notifyChannel.$inferSelect & { regionName: string; regionPath: string };
export type OutboxRow = typeof notifyOutbox.$inferSelect;
export type NewOutboxRow = Pick<typeof notifyOutbox.$inferInsert, 'channelId' | 'dedupeKey' | 'kind' | 'businessDate' | 'subject' | 'body'>;

const channelColumns = {
  id: notifyChannel.id,
  regionCode: notifyChannel.regionCode,
  kind: notifyChannel.kind,
  name: notifyChannel.name,
  target: notifyChannel.target,
  secret: notifyChannel.secret,
  enabled: notifyChannel.enabled,
  createdAt: notifyChannel.createdAt,
  updatedAt: notifyChannel.updatedAt,
  regionName: region.name,
  regionPath: region.path,
};

/** The notify module's tables: channels and the outbox (ADR 0018). SQL only. */
export class NotifyRepository {
  /** Channels of regions at or under `path` (every channel when null). */
  async channels(db: Executor, path: string | null, onlyEnabled = false): Promise<ChannelRow[]> {
    return db
      .select(channelColumns)
      .from(notifyChannel)
      .innerJoin(region, eq(region.code, notifyChannel.regionCode))
      .where(and(path === null ? undefined : underPath(region.path, path), onlyEnabled ? eq(notifyChannel.enabled, true) : undefined))
      .orderBy(region.path, notifyChannel.id);
  }

  async channel(db: Executor, id: number, lock = false): Promise<ChannelRow | undefined> {
    const query = db
      .select(channelColumns)
      .from(notifyChannel)
      .innerJoin(region, eq(region.code, notifyChannel.regionCode))
      .where(eq(notifyChannel.id, id));
    const rows = lock ? await query.for('update', { of: notifyChannel }) : await query;
    return rows[0];
  }

  async insertChannel(db: Executor, values: typeof notifyChannel.$inferInsert): Promise<number> {
    const [row] = await db.insert(notifyChannel).values(values).returning({ id: notifyChannel.id });
    return row!.id;
  }

  async updateChannel(db: Executor, id: number, values: Partial<typeof notifyChannel.$inferInsert>): Promise<void> {
    await db.update(notifyChannel).set(values).where(eq(notifyChannel.id, id));
  }

  /** Inserts the messages whose dedupe key is new (ON CONFLICT DO NOTHING); returns the ids inserted. */
  async enqueue(db: Executor, rows: NewOutboxRow[], now: Date): Promise<number[]> {
    if (rows.length === 0) return [];
    const inserted = await db
      .insert(notifyOutbox)
      .values(rows.map((r) => ({ ...r, status: 'pending', attempts: 0, nextAttemptAt: now, createdAt: now })))
      .onConflictDoNothing({ target: notifyOutbox.dedupeKey })
      .returning({ id: notifyOutbox.id });
    return inserted.map((r) => r.id);
  }

  /**
   * Claims up to `limit` due rows (pending and due, or a lapsed claim) for one dispatcher: the rows
   * are locked with FOR UPDATE SKIP LOCKED, so two dispatchers never claim the same row, and marked
   * `sending` until `claimedUntil`, one attempt more. `ids` restricts the claim (a test send).
   */
  async claimDue(db: Executor, now: Date, claimedUntil: Date, limit: number, ids?: number[]): Promise<OutboxRow[]> {
    const due = db
      .select({ id: notifyOutbox.id })
      .from(notifyOutbox)
      .where(
        and(
          ids ? inArray(notifyOutbox.id, ids) : undefined,
          or(
            and(eq(notifyOutbox.status, 'pending'), lte(notifyOutbox.nextAttemptAt, now)),
            and(eq(notifyOutbox.status, 'sending'), lte(notifyOutbox.claimedUntil, now)),
          ),
        ),
      )
      .orderBy(notifyOutbox.id)
      .limit(limit)
      .for('update', { skipLocked: true });
    return db
      .update(notifyOutbox)
      .set({ status: 'sending', claimedUntil, attempts: sql`${notifyOutbox.attempts} + 1` })
      .where(inArray(notifyOutbox.id, due))
      .returning();
  }

  async markSent(db: Executor, id: number, sentAt: Date): Promise<void> {
    await db
      .update(notifyOutbox)
      .set({ status: 'sent', sentAt, claimedUntil: null, lastError: null })
      .where(and(eq(notifyOutbox.id, id), eq(notifyOutbox.status, 'sending')));
  }

  async markFailedAttempt(db: Executor, id: number, status: 'pending' | 'failed', nextAttemptAt: Date, error: string): Promise<void> {
    await db
      .update(notifyOutbox)
      .set({ status, nextAttemptAt, claimedUntil: null, lastError: error })
      .where(and(eq(notifyOutbox.id, id), eq(notifyOutbox.status, 'sending')));
  }

  async outboxRow(db: Executor, id: number): Promise<OutboxRow | undefined> {
    const rows = await db.select().from(notifyOutbox).where(eq(notifyOutbox.id, id));
    return rows[0];
  }

  /** The latest outbox rows of the channels at or under `path` (every channel when null). */
  async recentOutbox(db: Executor, path: string | null, channelId: number | undefined, limit: number) {
    return db
      .select({ row: notifyOutbox, channelName: notifyChannel.name, channelKind: notifyChannel.kind, regionName: region.name })
      .from(notifyOutbox)
      .innerJoin(notifyChannel, eq(notifyChannel.id, notifyOutbox.channelId))
      .innerJoin(region, eq(region.code, notifyChannel.regionCode))
      .where(and(path === null ? undefined : underPath(region.path, path), channelId ? eq(notifyOutbox.channelId, channelId) : undefined))
      .orderBy(desc(notifyOutbox.id))
      .limit(limit);
  }
}
