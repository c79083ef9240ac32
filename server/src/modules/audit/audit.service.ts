import { AsyncLocalStorage } from 'node:async_hooks';
import type { Db, Executor } from '../../db/client.js';
import type { Actor } from '../../common/access.js';
import { requirePermission } from '../../common/access.js';
import type { SQL } from 'drizzle-orm';
import { AuditRepository, type InboxStep } from './audit.repository.js';
import { FlushGate } from './audit.flush-gate.js';
import type { AuditEventQuery, AuditEventView, ChainVerifyView } from './audit.schemas.js';
import { eventHash, toStoredJson, verifyChain, type ChainCheck, type StoredEvent, GENESIS_HASH } from './audit.rules.js';

/** Inbox rows chained per transaction: large enough to amortise the head lock, small enough to keep it short. */
const CHAIN_BATCH = 2000;

export interface AuditEntry {
  action: string;
  entityType: string;
  entityId: string;
  regionPath?: string | null;
  before?: unknown;
  after?: unknown;
}

/** Who did it: a signed-in actor, or the system (seed, scheduled jobs), or a named public party. */
export type AuditActor = Pick<Actor, 'userId' | 'username'> | { userId: null; username: string };

export type { InboxStep };

export const SYSTEM_ACTOR: AuditActor = { userId: null, username: 'system' };

export class AuditService {
  private readonly repo = new AuditRepository();

  constructor(private readonly db: Db) {}

  private readonly gate = new FlushGate((collecting) => this.chainInbox(collecting));
  /** Per unit of work (an HTTP request): whether it recorded an event that may not be chained yet. */
  private readonly scope = new AsyncLocalStorage<{ recorded: boolean }>();

  /**
   * Records an event inside the caller's transaction: the write and its record commit together.
   * It goes to the inbox (no lock, so writers do not wait for each other) and reaches the chain
   * at the next `flush()`; see ADR 0007.
   */
  async record(tx: Executor, actor: AuditActor, entry: AuditEntry): Promise<void> {
    await this.repo.insertInbox(tx, {
      at: new Date(),
      actorUserId: actor.userId,
      actorName: actor.username,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId,
      regionPath: entry.regionPath ?? null,
      before: toStoredJson(entry.before),
      after: toStoredJson(entry.after),
    });
    const scope = this.scope.getStore();
    if (scope) scope.recorded = true;
  }

  /**
   * For a write done as one SQL statement (issue 20): the statement's step that records its event
   * in the inbox, exactly the row `record` would insert (`at` the caller's clock reading, `before`
   * and `after` jsonb as `toStoredJson` leaves them). After the statement, call `noteRecorded()`
   * if it recorded an event, so that the request chains it before answering.
   */
  inboxStep(step: InboxStep): SQL {
    return this.repo.inboxStep(step);
  }

  /** Marks the current unit of work as having recorded an event (see `inboxStep`). */
  noteRecorded(): void {
    const scope = this.scope.getStore();
    if (scope) scope.recorded = true;
  }

  /**
   * Chains every inbox event committed before the call (from any process), in batches of one
   * transaction each. Never call it inside a transaction: it opens its own.
   */
  flush(): Promise<number> {
    return this.gate.flush();
  }

  /** `flush()` only if the inbox holds anything: one indexed read when it is empty. */
  async flushIfPending(): Promise<number> {
    return (await this.repo.inboxHasRows(this.db)) ? this.gate.flush() : 0;
  }

  /** Resolves once no chaining pass of this process is running (before closing the database). */
  idle(): Promise<void> {
    return this.gate.idle();
  }

  /** Runs `fn` (and everything it starts) as one unit of work whose recorded events can be asked about. */
  runScoped<T>(fn: () => T): T {
    return this.scope.run({ recorded: false }, fn);
  }

  /** Whether the current unit of work recorded an event; undefined outside one. */
  recordedInScope(): boolean | undefined {
    return this.scope.getStore()?.recorded;
  }

  /** One pass: batches until the inbox is drained; the head lock serialises passes across processes. */
  private async chainInbox(collecting: () => void): Promise<number> {
    let chained = 0;
    let first = true;
    for (;;) {
      const n = await this.db.transaction(async (tx) => {
        const head = await this.repo.lockHead(tx);
        if (first) {
          first = false;
          collecting();
        }
        const rows = await this.repo.takeInbox(tx, CHAIN_BATCH);
        let prev = head.hash;
        let seq = head.seq;
        const events: StoredEvent[] = rows.map((r) => {
          // Hashed as read back from jsonb, exactly as verify() will read it from audit_event.
          const content = {
            seq: ++seq,
            at: r.at.toISOString(),
            actorUserId: r.actorUserId,
            actorName: r.actorName,
            action: r.action,
            entityType: r.entityType,
            entityId: r.entityId,
            regionPath: r.regionPath,
            before: r.before ?? null,
            after: r.after ?? null,
          };
          const hash = eventHash(prev, content);
          const event = { ...content, prevHash: prev, hash };
          prev = hash;
          return event;
        });
        await this.repo.appendBatch(tx, events);
        return events.length;
      });
      chained += n;
      if (n < CHAIN_BATCH) return chained;
    }
  }

  async list(actor: Actor, filter: AuditEventQuery): Promise<AuditEventView[]> {
    requirePermission(actor, 'audit:read');
    await this.flushIfPending();
    const isCityWide = actor.role === 'city_bureau' || actor.role === 'city_finance';
    return this.repo.list(this.db, {
      scopePath: isCityWide ? null : actor.scopePath,
      entityType: filter.entityType,
      entityId: filter.entityId,
      beforeSeq: filter.beforeSeq,
      limit: Math.min(filter.limit ?? 50, 500),
    });
  }

  async head() {
    return this.repo.head(this.db);
  }

  /**
   * The data's version for caches (one small read): every state change records an event in its
   * own transaction, into the inbox, and chaining moves the head — so the version must count the
   * inbox too, or a committed write would stay invisible until the next flush. See the repository.
   * Read it from the handle the cached data is read from (`db`): a copy of the database that lags
   * (a read replica) must not lend its data a newer version than the one it holds.
   */
  async version(db: Executor = this.db): Promise<string> {
    return this.repo.version(db);
  }

  /** Re-hashes the whole chain in pages; reports the first broken event. */
  async verify(pageSize = 5000): Promise<ChainCheck & { headMatches: boolean }> {
    // Committed events still in the inbox belong to the chain being verified.
    await this.flushIfPending();
    let prev = GENESIS_HASH;
    let nextSeq = 1;
    let total = 0;
    for (;;) {
      const page = await this.repo.page(this.db, nextSeq - 1, pageSize);
      if (page.length === 0) break;
      const check = verifyChain(page, prev, nextSeq);
      if (!check.ok) return { ...check, count: total + check.count, headMatches: false };
      total += check.count;
      prev = check.headHash;
      nextSeq += check.count;
    }
    const head = await this.repo.head(this.db);
    return { ok: true, count: total, headHash: prev, headMatches: head.hash === prev && head.seq === total };
  }

  /** The chain check as the API answers it: ok only when the chain is intact and the stored head matches it. */
  async verifyReport(): Promise<ChainVerifyView> {
    const r = await this.verify();
    return r.ok
      ? {
          ok: r.headMatches,
          count: r.count,
          headHash: r.headHash,
          ...(r.headMatches ? {} : { reason: 'stored head does not match the chain' }),
        }
      : { ok: false, count: r.count, brokenSeq: r.brokenSeq, reason: r.reason };
  }

  /** For the disclosure module: the chain's head hash at the end of each China day (public, no personal data). */
  async dailyHeads() {
    await this.flushIfPending();
    return this.repo.dailyHeads(this.db);
  }
}
