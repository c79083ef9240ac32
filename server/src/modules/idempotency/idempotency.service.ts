import { createHash } from 'node:crypto';
import type { Executor } from '../../db/client.js';
import { DomainError } from '../../common/errors.js';
import { IdempotencyRepository, type IdempotencyRow } from './idempotency.repository.js';

/**
 * A request carrying an idempotency key (`requestId`). scope names the operation
 * (e.g. 'contract.create'); `request` is what makes two requests the same: the path parameters
 * and the body without the key. The caller's user id is part of the hash, so another user's
 * retry of the same key is a different request.
 */
export interface KeyedRequest {
  scope: string;
  key: string | null | undefined;
  userId: number | null;
  request: unknown;
}

/** Retry policy of every keyed operation, listed in docs/invariants.md. */
export const IDEMPOTENCY_FIELD = 'requestId';

export const keyReused = (scope: string, key: string) =>
  new DomainError(
    'IDEMPOTENCY_KEY_REUSED',
    {
      zh: `字段 requestId 无效：幂等编号 ${key} 已用于另一内容不同的请求，请使用新的编号`,
      en: `Field requestId is invalid: the idempotency key ${key} was already used for a different request; use a new key`,
    },
    { kind: 'conflict', field: IDEMPOTENCY_FIELD, details: { scope } },
  );

/** Canonical JSON (sorted keys, undefined dropped) for a stable request hash. */
function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
}

export function requestHash(req: Pick<KeyedRequest, 'userId' | 'request'>): string {
  return createHash('sha256')
    .update(canonical({ user: req.userId, request: req.request }))
    .digest('hex');
}

/**
 * Retries return the first answer (ADR 0010). Inside the operation's own transaction the key row
 * is inserted first; a twin running at the same moment blocks on the primary key and, once the
 * first commits, reads the stored answer (or runs the work itself if the first rolled back).
 * The same key with a different request answers 409 IDEMPOTENCY_KEY_REUSED.
 */
export class IdempotencyService {
  private readonly repo = new IdempotencyRepository();

  private answer<T>(row: IdempotencyRow, req: KeyedRequest & { key: string }): T {
    if (row.requestHash !== requestHash(req)) throw keyReused(req.scope, req.key);
    return row.responseBody as T;
  }

  /** Before any check: the stored first answer of a committed request with this key, if any. */
  async replay<T>(db: Executor, req: KeyedRequest): Promise<T | undefined> {
    if (!req.key) return undefined;
    const row = await this.repo.get(db, req.scope, req.key);
    return row && row.responseStatus !== null ? this.answer<T>(row, { ...req, key: req.key }) : undefined;
  }

  /**
   * In the caller's transaction, as its first statement: runs `work` once per key and stores its
   * answer (JSON) with `status`; a repeat returns the stored answer. Without a key, just runs it.
   */
  async once<T>(tx: Executor, req: KeyedRequest, status: number, work: () => Promise<T>): Promise<T> {
    if (!req.key) return work();
    const key = req.key;
    if (!(await this.repo.claim(tx, { scope: req.scope, key, requestHash: requestHash(req) }))) {
      const row = await this.repo.get(tx, req.scope, key);
      if (!row)
        throw new DomainError(
          'CONCURRENT_UPDATE',
          { zh: '数据正被同时修改，请稍后重试', en: 'The data was changed concurrently; retry' },
          { kind: 'conflict' },
        );
      return this.answer<T>(row, { ...req, key });
    }
    const body = await work();
    // Stored as the client saw it (dates as ISO strings), so a replay answers the same JSON.
    const stored = JSON.parse(JSON.stringify(body ?? null)) as T;
    await this.repo.complete(tx, req.scope, key, status, stored);
    return stored;
  }
}
