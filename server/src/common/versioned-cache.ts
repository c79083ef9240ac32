/**
 * Results computed from the database, served again while the database's version is unchanged.
 *
 * The version is read fresh on every call (one small query), so a result is never served after
 * the data it was computed from changed: StarFund records an audit event in the transaction of
 * every state change, so the audit version (`AuditService.version`) moves with every committed
 * write. A result computed after reading version V saw at least V; it is served only to callers
 * that read V again, when nothing has committed since. Keys must hold every input of the result:
 * route inputs, the caller's visibility and the clocks' dates.
 *
 * Bounded: the least recently used key goes first. Concurrent misses of one key at one version
 * share one computation. Failures are not kept. Values are shared: callers must not mutate them.
 */
export class VersionedCache<V> {
  private readonly entries = new Map<string, { version: string; value: V }>();
  private readonly running = new Map<string, Promise<V>>();
  /** Served from a kept or a running computation, and computed (for tests and tuning). */
  readonly stats = { hits: 0, misses: 0 };

  constructor(
    private readonly currentVersion: () => Promise<string>,
    private readonly maxEntries: number,
  ) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1) throw new RangeError('maxEntries must be a positive integer');
  }

  /**
   * `readVersion`: the version the caller has just read from this cache's own version source (an
   * HTTP request reads it once for its ETag, http-cache.ts); read here otherwise.
   */
  async get(key: string, compute: () => Promise<V>, readVersion?: string): Promise<V> {
    const version = readVersion ?? (await this.currentVersion());
    const kept = this.entries.get(key);
    if (kept && kept.version === version) {
      // Re-inserted to mark it most recently used (a Map iterates in insertion order).
      this.entries.delete(key);
      this.entries.set(key, kept);
      this.stats.hits++;
      return kept.value;
    }
    const slot = JSON.stringify([version, key]);
    const shared = this.running.get(slot);
    if (shared) {
      this.stats.hits++;
      return shared;
    }
    this.stats.misses++;
    const promise = compute().then((value) => {
      this.entries.delete(key);
      this.entries.set(key, { version, value });
      for (const oldest of this.entries.keys()) {
        if (this.entries.size <= this.maxEntries) break;
        this.entries.delete(oldest);
      }
      return value;
    });
    this.running.set(slot, promise);
    const done = () => void this.running.delete(slot);
    promise.then(done, done);
    return promise;
  }

  /** Drops every kept result (e.g. after data was changed outside the services). */
  clear() {
    this.entries.clear();
  }

  get size() {
    return this.entries.size;
  }
}
