import { and, asc, desc, eq, gt, like, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { auditEvent, auditHead } from '../../db/schema/index.js';
import { GENESIS_HASH, type StoredEvent } from './audit.rules.js';

export class AuditRepository {
  /** Locks the chain head for the rest of the transaction; creates it on first use. */
  async lockHead(tx: Executor): Promise<{ seq: number; hash: string }> {
    await tx.insert(auditHead).values({ id: 1, seq: 0, hash: GENESIS_HASH }).onConflictDoNothing();
    const rows = await tx.select().from(auditHead).where(eq(auditHead.id, 1)).for('update');
    const head = rows[0]!;
    return { seq: head.seq, hash: head.hash };
  }

  async append(tx: Executor, event: StoredEvent): Promise<void> {
    await tx.insert(auditEvent).values({
      seq: event.seq,
      at: new Date(event.at),
      actorUserId: event.actorUserId,
      actorName: event.actorName,
      action: event.action,
      entityType: event.entityType,
      entityId: event.entityId,
      regionPath: event.regionPath,
      before: event.before,
      after: event.after,
      prevHash: event.prevHash,
      hash: event.hash,
    });
    await tx.update(auditHead).set({ seq: event.seq, hash: event.hash }).where(eq(auditHead.id, 1));
  }

  async page(db: Executor, afterSeq: number, limit: number): Promise<StoredEvent[]> {
    const rows = await db.select().from(auditEvent).where(gt(auditEvent.seq, afterSeq)).orderBy(asc(auditEvent.seq)).limit(limit);
    return rows.map(toStored);
  }

  async head(db: Executor): Promise<{ seq: number; hash: string }> {
    const rows = await db.select().from(auditHead).where(eq(auditHead.id, 1));
    return rows[0] ? { seq: rows[0].seq, hash: rows[0].hash } : { seq: 0, hash: GENESIS_HASH };
  }

  async list(
    db: Executor,
    filter: { scopePath: string | null; entityType?: string; entityId?: string; beforeSeq?: number; limit: number },
  ): Promise<StoredEvent[]> {
    const conditions: SQL[] = [];
    if (filter.scopePath !== null) {
      // City-wide events (policy, calendar) have no region path and are shown to city roles only.
      conditions.push(
        or(eq(auditEvent.regionPath, filter.scopePath), like(auditEvent.regionPath, `${filter.scopePath}/%`))!,
      );
    }
    if (filter.entityType) conditions.push(eq(auditEvent.entityType, filter.entityType));
    if (filter.entityId) conditions.push(eq(auditEvent.entityId, filter.entityId));
    if (filter.beforeSeq) conditions.push(lt(auditEvent.seq, filter.beforeSeq));
    const rows = await db
      .select()
      .from(auditEvent)
      .where(conditions.length ? and(...conditions) : sql`true`)
      .orderBy(desc(auditEvent.seq))
      .limit(filter.limit);
    return rows.map(toStored);
  }

  /** Per China day: the first and last seq of the day's events and the chain hash after the last. */
  async dailyHeads(db: Executor): Promise<{ day: string; firstSeq: number; lastSeq: number; events: number; headHash: string }[]> {
    const result = (await db.execute(sql`
      select d.day, d.first_seq, d.last_seq, d.events, e.hash
      from (select to_char(${auditEvent.at} at time zone 'Asia/Shanghai', 'YYYY-MM-DD') as day, min(${auditEvent.seq}) as first_seq, max(${auditEvent.seq}) as last_seq, count(*) as events
            from ${auditEvent} group by 1) d
      join ${auditEvent} e on e.seq = d.last_seq
      order by d.last_seq`)) as unknown as { rows: { day: string; first_seq: string | number; last_seq: string | number; events: string | number; hash: string }[] };
    return result.rows.map((r) => ({ day: r.day, firstSeq: Number(r.first_seq), lastSeq: Number(r.last_seq), events: Number(r.events), headHash: r.hash }));
  }
}

function toStored(r: typeof auditEvent.$inferSelect): StoredEvent {
  return {
    seq: r.seq,
    at: r.at.toISOString(),
    actorUserId: r.actorUserId,
    actorName: r.actorName,
    action: r.action,
    entityType: r.entityType,
    entityId: r.entityId,
    regionPath: r.regionPath,
    before: r.before,
    after: r.after,
    prevHash: r.prevHash,
    hash: r.hash,
  };
}
