import { describe, expect, it } from 'vitest';
import { canonicalJson, eventHash, GENESIS_HASH, verifyChain, type ChainedEvent, type StoredEvent } from './audit.rules.js';

function chain(n: number): StoredEvent[] {
  const events: StoredEvent[] = [];
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const content: ChainedEvent = {
      seq,
      at: new Date(Date.UTC(2026, 0, seq)).toISOString(),
      actorUserId: seq,
      actorName: `u${seq}`,
      action: 'x.update',
      entityType: 'thing',
      entityId: String(seq),
      regionPath: '2101',
      before: { a: seq },
      after: { a: seq + 1, nested: { z: 1, y: [1, 2] } },
    };
    const hash = eventHash(prev, content);
    events.push({ ...content, prevHash: prev, hash });
    prev = hash;
  }
  return events;
}

describe('audit hash chain', () => {
  it('canonical JSON does not depend on key order', () => {
    expect(canonicalJson({ b: 1, a: { d: 2, c: 3 } })).toBe(canonicalJson({ a: { c: 3, d: 2 }, b: 1 }));
  });

  it('verifies an intact chain and returns its head', () => {
    const events = chain(5);
    expect(verifyChain(events)).toEqual({ ok: true, count: 5, headHash: events[4]!.hash });
  });

  it('names the first event whose content was altered', () => {
    const events = chain(5);
    events[2] = { ...events[2]!, after: { a: 999 } };
    expect(verifyChain(events)).toMatchObject({ ok: false, brokenSeq: 3, count: 2 });
  });

  it('names an event removed from the middle', () => {
    const events = chain(5);
    events.splice(1, 1);
    expect(verifyChain(events)).toMatchObject({ ok: false, brokenSeq: 3 });
  });

  it('detects a re-hashed event whose link no longer matches', () => {
    const events = chain(4);
    const forged = { ...events[1]!, after: { a: 0 } };
    const { prevHash, hash: _h, ...content } = forged;
    events[1] = { ...forged, hash: eventHash(prevHash, content) };
    expect(verifyChain(events)).toMatchObject({ ok: false, brokenSeq: 3, reason: expect.stringContaining('link') });
  });
});
