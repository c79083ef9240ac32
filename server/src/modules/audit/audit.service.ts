import type { Db, Executor } from '../../db/client.js';
import type { Actor } from '../../common/access.js';
import { requirePermission } from '../../common/access.js';
import { AuditRepository } from './audit.repository.js';
import { eventHash, toStoredJson, verifyChain, type ChainCheck, type StoredEvent, GENESIS_HASH } from './audit.rules.js';

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

export const SYSTEM_ACTOR: AuditActor = { userId: null, username: 'system' };

export class AuditService {
  private readonly repo = new AuditRepository();

  constructor(private readonly db: Db) {}

  /** Appends an event inside the caller's transaction: the write and its record commit together. */
  async record(tx: Executor, actor: AuditActor, entry: AuditEntry): Promise<StoredEvent> {
    const head = await this.repo.lockHead(tx);
    const base = {
      seq: head.seq + 1,
      at: new Date().toISOString(),
      actorUserId: actor.userId,
      actorName: actor.username,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId,
      regionPath: entry.regionPath ?? null,
      before: toStoredJson(entry.before),
      after: toStoredJson(entry.after),
    };
    const event: StoredEvent = { ...base, prevHash: head.hash, hash: eventHash(head.hash, base) };
    await this.repo.append(tx, event);
    return event;
  }

  async list(actor: Actor, filter: { entityType?: string; entityId?: string; beforeSeq?: number; limit?: number }) {
    requirePermission(actor, 'audit:read');
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

  /** Re-hashes the whole chain in pages; reports the first broken event. */
  async verify(pageSize = 5000): Promise<ChainCheck & { headMatches: boolean }> {
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

  /** For the disclosure module: the chain's head hash at the end of each China day (public, no personal data). */
  async dailyHeads() {
    return this.repo.dailyHeads(this.db);
  }
}
