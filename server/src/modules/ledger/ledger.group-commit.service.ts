import type { Db } from '../../db/client.js';
import type { LedgerEngine, OpResult, Outcome, Queued } from './ledger.engine.service.js';

/**
 * At most this many operations go into one group-commit transaction. Bounds the statements'
 * size (parameters, the lock list) and how long one transaction holds its row locks.
 */
export const GROUP_COMMIT_MAX_OPERATIONS = 64;

interface Waiting {
  item: Queued;
  resolve: (value: OpResult) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit (ADR 0021), in the way TigerBeetle batches: ledger operations that are not part
 * of a caller's transaction queue here; while one batch is in flight, those that arrive wait and
 * then go together into the next transaction, decided one by one and applied set-based by the
 * engine. Each gets its own answer: a refused operation is refused alone. Should the database
 * refuse the batch as a whole (a deadlock, a transfer id another writer took meanwhile), each
 * operation is run again in a transaction of its own, so no request fails for another's sake.
 */
export class LedgerGroupCommit {
  private readonly queue: Waiting[] = [];
  private draining = false;

  constructor(
    private readonly db: Db,
    private readonly engine: LedgerEngine,
    private readonly maxOperations = GROUP_COMMIT_MAX_OPERATIONS,
  ) {}

  submit(item: Queued): Promise<OpResult> {
    return new Promise<OpResult>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.draining) {
        this.draining = true;
        // Starts on the next turn of the event loop, so requests made in the same turn share the first batch.
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) await this.run(this.queue.splice(0, this.maxOperations));
    } finally {
      this.draining = false;
    }
  }

  private async run(batch: Waiting[]): Promise<void> {
    let outcomes: Outcome[];
    try {
      outcomes = await this.db.transaction((tx) =>
        this.engine.execute(
          tx,
          batch.map((w) => w.item),
        ),
      );
    } catch (error) {
      if (batch.length === 1) return batch[0]!.reject(error);
      for (const w of batch) await this.run([w]);
      return;
    }
    batch.forEach((w, i) => settle(w, outcomes[i]!));
  }
}

function settle(w: Waiting, outcome: Outcome) {
  if (outcome.ok) w.resolve(outcome.value);
  else w.reject(outcome.error);
}
