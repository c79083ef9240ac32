import { and, asc, desc, eq, gt, inArray, lt, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { underPath } from '../../common/region-scope.js';
import { auditEvent, auditHead, auditInbox } from '../../db/schema/audit.js';
import { GENESIS_HASH, type StoredEvent } from './audit.rules.js';

export type InboxEntry = Omit<typeof auditInbox.$inferInsert, 'id'>;
export type InboxRow = typeof auditInbox.$inferSelect;
/** An inbox row as SQL expressions over a caller's relation (see `inboxStep`). */
export interface InboxStep {
  from: SQL;
  at: SQL;
  actorUserId: SQL;
  actorName: SQL;
  action: SQL;
  entityType: SQL;
  entityId: SQL;
  regionPath: SQL;
  before?: SQL;
  after: SQL;
}

export class AuditRepository {
  /** An event waiting to be chained, in the caller's transaction (no lock taken). */
  async insertInbox(tx: Executor, entry: InboxEntry): Promise<void> {
    await tx.insert(auditInbox).values(entry);
  }

  /**
   * The inbox insert as one step of a caller's statement (a data-modifying CTE): one event per row
   * of `from`, each column an SQL expression over it. The columns are those `insertInbox` writes.
   */
  inboxStep(e: InboxStep): SQL {
    return sql`insert into ${auditInbox} (at, actor_user_id, actor_name, action, entity_type, entity_id, region_path, before, after)
      select ${e.at}, ${e.actorUserId}, ${e.actorName}, ${e.action}, ${e.entityType}, ${e.entityId}, ${e.regionPath}, ${e.before ?? sql`null::jsonb`}, ${e.after}
      from ${e.from}`;
  }

  /** Cheap check before taking the head lock (the timer, and reads that must see every event). */
  async inboxHasRows(db: Executor): Promise<boolean> {
    const rows = await db.select({ id: auditInbox.id }).from(auditInbox).limit(1);
    return rows.length > 0;
  }

  /** Removes up to `limit` committed inbox rows, oldest id first; call with the head locked. */
  async takeInbox(tx: Executor, limit: number): Promise<InboxRow[]> {
    const oldest = tx.select({ id: auditInbox.id }).from(auditInbox).orderBy(asc(auditInbox.id)).limit(limit);
    const rows = await tx.delete(auditInbox).where(inArray(auditInbox.id, oldest)).returning();
    return rows.sort((a, b) => a.id - b.id);
  }

  /**
   * Appends chained events (in seq order, continuing the locked head) and moves the head to the
   * last, in one statement: the batch travels as one jsonb parameter, which costs the chainer far
   * less than building a multi-row insert of twelve parameters per event.
   */
  async appendBatch(tx: Executor, events: StoredEvent[]): Promise<void> {
    if (events.length === 0) return;
    const last = events[events.length - 1]!;
    const batch = JSON.stringify(
      events.map((e) => ({
        seq: e.seq,
        at: e.at,
        actor_user_id: e.actorUserId,
        actor_name: e.actorName,
        action: e.action,
        entity_type: e.entityType,
        entity_id: e.entityId,
        region_path: e.regionPath,
        before: e.before,
        after: e.after,
        prev_hash: e.prevHash,
        hash: e.hash,
      })),
    );
    await tx.execute(sql`
      with appended as (
        insert into ${auditEvent} (seq, at, actor_user_id, actor_name, action, entity_type, entity_id, region_path, before, after, prev_hash, hash)
        select seq, at, actor_user_id, actor_name, action, entity_type, entity_id, region_path, before, after, prev_hash, hash
        from jsonb_to_recordset(${batch}::jsonb) as e(seq bigint, at timestamptz, actor_user_id integer, actor_name text, action text,
          entity_type text, entity_id text, region_path text, before jsonb, after jsonb, prev_hash text, hash text)
      )
      update ${auditHead} set seq = ${last.seq}, hash = ${last.hash} where id = 1`);
  }

  /** Locks the chain head for the rest of the transaction; creates it on first use. */
  async lockHead(tx: Executor): Promise<{ seq: number; hash: string }> {
    const locked = () => tx.select().from(auditHead).where(eq(auditHead.id, 1)).for('update');
    let rows = await locked();
    if (rows.length === 0) {
      await tx.insert(auditHead).values({ id: 1, seq: 0, hash: GENESIS_HASH }).onConflictDoNothing();
      rows = await locked();
    }
    const head = rows[0]!;
    return { seq: head.seq, hash: head.hash };
  }

  async page(db: Executor, afterSeq: number, limit: number): Promise<StoredEvent[]> {
    const rows = await db.select().from(auditEvent).where(gt(auditEvent.seq, afterSeq)).orderBy(asc(auditEvent.seq)).limit(limit);
    return rows.map(toStored);
  }

  /**
   * The head (seq and hash: after a restore an older state never passes for a newer one) and the
   * number of events waiting in the inbox, in one snapshot. Chaining moves the head; between two
   * chainings the inbox only grows, by at least one row per committed write. So two reads that
   * agree saw no write commit in between.
   */
  async version(db: Executor): Promise<string> {
    const result = (await db.execute(sql`select h.seq, h.hash, (select count(*) from ${auditInbox})::int as waiting
      from (select 1) as one left join ${auditHead} h on h.id = 1`)) as unknown as {
      rows: { seq: number | string | null; hash: string | null; waiting: number | string }[];
    };
    const row = result.rows[0]!;
    return `${row.seq ?? 0}:${row.hash ?? GENESIS_HASH}:${row.waiting}`;
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
      conditions.push(underPath(auditEvent.regionPath, filter.scopePath));
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
      order by d.last_seq`)) as unknown as {
      rows: { day: string; first_seq: string | number; last_seq: string | number; events: string | number; hash: string }[];
    };
    return result.rows.map((r) => ({
      day: r.day,
      firstSeq: Number(r.first_seq),
      lastSeq: Number(r.last_seq),
      events: Number(r.events),
      headHash: r.hash,
    }));
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
