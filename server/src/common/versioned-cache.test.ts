import { describe, expect, it } from 'vitest';
import { VersionedCache } from './versioned-cache.js';

function setup(maxEntries = 3) {
  const state = { version: 'v1', computed: 0 };
  const cache = new VersionedCache<string>(async () => state.version, maxEntries);
  const compute = (value: string) => async () => {
    state.computed++;
    return `${value}@${state.version}`;
  };
  return { state, cache, compute };
}

describe('VersionedCache', () => {
  it('serves a result again while the version stands, and recomputes once it moves', async () => {
    const { state, cache, compute } = setup();
    expect(await cache.get('a', compute('a'))).toBe('a@v1');
    expect(await cache.get('a', compute('a'))).toBe('a@v1');
    expect(state.computed).toBe(1);
    state.version = 'v2';
    expect(await cache.get('a', compute('a'))).toBe('a@v2');
    expect(state.computed).toBe(2);
    expect(cache.stats).toEqual({ hits: 1, misses: 2 });
  });

  it('keeps keys apart', async () => {
    const { cache, compute } = setup();
    expect(await cache.get('a', compute('a'))).toBe('a@v1');
    expect(await cache.get('b', compute('b'))).toBe('b@v1');
    expect(await cache.get('a', compute('x'))).toBe('a@v1');
  });

  it('drops the least recently used key beyond its bound', async () => {
    const { state, cache, compute } = setup(2);
    await cache.get('a', compute('a'));
    await cache.get('b', compute('b'));
    await cache.get('a', compute('a')); // a is now the most recently used
    await cache.get('c', compute('c')); // b goes
    expect(cache.size).toBe(2);
    state.computed = 0;
    await cache.get('a', compute('a'));
    await cache.get('c', compute('c'));
    expect(state.computed).toBe(0);
    await cache.get('b', compute('b'));
    expect(state.computed).toBe(1);
  });

  it('shares one computation between concurrent misses of a key', async () => {
    const { state, cache } = setup();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const slow = async () => {
      state.computed++;
      await gate;
      return 'slow';
    };
    const calls = [cache.get('a', slow), cache.get('a', slow), cache.get('a', slow)];
    await new Promise((r) => setTimeout(r, 0));
    release();
    expect(await Promise.all(calls)).toEqual(['slow', 'slow', 'slow']);
    expect(state.computed).toBe(1);
  });

  it('keeps no failure', async () => {
    const { state, cache, compute } = setup();
    await expect(cache.get('a', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await cache.get('a', compute('a'))).toBe('a@v1');
    expect(state.computed).toBe(1);
  });

  it('refuses a bound that keeps nothing', () => {
    expect(() => new VersionedCache(async () => 'v', 0)).toThrow(RangeError);
  });
});
