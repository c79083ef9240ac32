/** A chaining pass: calls `collecting()` right before it reads the inbox; resolves to the events it chained. */
export type ChainingPass = (collecting: () => void) => Promise<number>;

const ignore = () => undefined;

/**
 * Single flight for chaining passes (ADR 0007), without I/O of its own.
 *
 * `flush()` resolves after a pass that read the inbox *after* `flush()` was called, so an event
 * committed before the call is on the chain when it resolves. A caller shares the running pass
 * while that pass has not read the inbox yet; once it has, the caller waits for the next pass,
 * which every such caller shares. At most one pass runs in a process at a time.
 */
export class FlushGate {
  private running: { promise: Promise<number>; open: boolean } | null = null;
  private queued: Promise<number> | null = null;

  constructor(private readonly pass: ChainingPass) {}

  flush(): Promise<number> {
    if (this.running?.open) return this.running.promise;
    if (this.queued) return this.queued;
    if (!this.running) return this.start();
    const queued = this.running.promise.then(ignore, ignore).then(() => {
      this.queued = null;
      return this.start();
    });
    this.queued = queued;
    return queued;
  }

  /** Resolves once no pass is running or queued (before closing the database). */
  async idle(): Promise<void> {
    while (this.running || this.queued) await (this.queued ?? this.running!.promise).then(ignore, ignore);
  }

  private start(): Promise<number> {
    const state: { promise: Promise<number>; open: boolean } = { promise: Promise.resolve(0), open: true };
    this.running = state;
    state.promise = this.pass(() => {
      state.open = false;
    }).finally(() => {
      if (this.running === state) this.running = null;
    });
    return state.promise;
  }
}
