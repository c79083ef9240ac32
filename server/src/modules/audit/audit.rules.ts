import { createHash } from 'node:crypto';

/** The genesis "previous hash" of the chain. */
export const GENESIS_HASH = '0'.repeat(64);

export interface ChainedEvent {
  seq: number;
  at: string; // ISO timestamp, millisecond precision
  actorUserId: number | null;
  actorName: string;
  action: string;
  entityType: string;
  entityId: string;
  regionPath: string | null;
  before: unknown;
  after: unknown;
}

/** ADR 0004 (audit hash chain; spec §5): JSON with object keys sorted, so the hash does not depend on how jsonb stores key order. */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** ADR 0004 (audit hash chain): normalises a value the way a jsonb round trip will (dates to strings, undefined dropped). */
export function toStoredJson(value: unknown): unknown {
  return value === undefined ? null : JSON.parse(JSON.stringify(value ?? null));
}

/** ADR 0004 (audit hash chain; spec §5): an event's hash, sha256 of the previous hash and the event's canonical JSON. */
export function eventHash(prevHash: string, event: ChainedEvent): string {
  return createHash('sha256').update(prevHash).update('\n').update(canonicalJson(event)).digest('hex');
}

export interface StoredEvent extends ChainedEvent {
  prevHash: string;
  hash: string;
}

export type ChainCheck = { ok: true; count: number; headHash: string } | { ok: false; count: number; brokenSeq: number; reason: string };

/**
 * ADR 0004 (audit hash chain; spec §5 "integrity anyone with access can verify"): walks events in order and reports the first one whose link or content does not match.
 * `expectedPrev` lets a caller verify a chain in pages.
 */
export function verifyChain(events: Iterable<StoredEvent>, expectedPrev = GENESIS_HASH, expectedSeq = 1): ChainCheck {
  let prev = expectedPrev;
  let seq = expectedSeq;
  let count = 0;
  for (const e of events) {
    if (e.seq !== seq) return { ok: false, count, brokenSeq: e.seq, reason: `sequence gap: expected ${seq}, found ${e.seq}` };
    if (e.prevHash !== prev) return { ok: false, count, brokenSeq: e.seq, reason: 'previous-hash link does not match' };
    const { prevHash: _link, hash: _stored, ...content } = e;
    const recomputed = eventHash(prev, content);
    if (recomputed !== e.hash) return { ok: false, count, brokenSeq: e.seq, reason: 'content does not match its hash' };
    prev = e.hash;
    seq += 1;
    count += 1;
  }
  return { ok: true, count, headHash: prev };
}
