import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { buildApp, type App } from '../../server/src/app.js';
import { openDatabase, type Database } from '../../server/src/db/client.js';
import { DomainError } from '../../server/src/common/errors.js';
import { createTestApp, queryRows, type TestContext } from '../helpers/app.js';
import { allocatedCommunities, inTx } from '../helpers/factories-ledger.js';

/**
 * Group commit (ADR 0021): ledger calls made with the database handle rather than a caller's
 * transaction are gathered into one transaction while a batch is in flight. Calls made in the
 * same turn of the event loop always share one batch, which the tests use: a transaction's
 * transfers share one `created_at` (now() is the transaction's start).
 */

const settle = async <T>(promises: Promise<T>[]) => {
  const results = await Promise.allSettled(promises);
  return {
    won: results.filter((r): r is PromiseFulfilledResult<Awaited<T>> => r.status === 'fulfilled').map((r) => r.value),
    lost: results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason as DomainError),
  };
};

async function communityBalances(ctx: TestContext, code: string) {
  const [row] = await queryRows<{ id: number; credits_posted: string; debits_posted: string; debits_pending: string }>(
    ctx,
    sql`select id, credits_posted::text, debits_posted::text, debits_pending::text from ledger_account
         where fund_year = 2026 and kind = 'community_available' and ref = ${code}`,
  );
  const [moved] = await queryRows<{ committed: string; paid: string }>(
    ctx,
    sql`select (coalesce(sum(amount) filter (where kind = 'pending'), 0)
             - coalesce(sum(amount) filter (where kind in ('post_pending', 'void_pending')), 0))::text as committed,
               coalesce(sum(amount) filter (where kind = 'post_pending'), 0)::text as paid
          from ledger_transfer where debit_account_id = ${row!.id}`,
  );
  return {
    allocated: Number(row!.credits_posted),
    committed: Number(row!.debits_pending),
    paid: Number(row!.debits_posted),
    committedByTransfers: Number(moved!.committed),
    paidByTransfers: Number(moved!.paid),
  };
}

describe('group commit on one instance', () => {
  let ctx: TestContext;
  let ledger: App['services']['ledger'];
  let db: Database['db'];
  beforeAll(async () => {
    ctx = await createTestApp();
    ledger = ctx.app.services.ledger;
    db = ctx.database.db;
  });
  afterAll(async () => ctx?.close());

  it('applies a batch in one transaction; the one request that breaks its rule is refused alone, with its code', async () => {
    const [c, d] = (await allocatedCommunities(ctx.database, 2026)).slice(-2);
    const ok = [1, 2, 3, 4].map((n) =>
      ledger.commit(db, { id: `batch:ok:${n}`, fundYear: 2026, communityCode: c!.code, contractRef: `B-OK-${n}`, amount: 1_000_00 }),
    );
    const over = ledger.commit(db, {
      id: 'batch:over',
      fundYear: 2026,
      communityCode: d!.code,
      contractRef: 'B-OVER',
      amount: d!.allocated + 1,
    });
    const missing = ledger.commit(db, {
      id: 'batch:none',
      fundYear: 2026,
      communityCode: '999999999999',
      contractRef: 'B-NONE',
      amount: 1,
    });
    const { won, lost } = await settle([...ok, over, missing]);
    expect(won.map((r) => r.created)).toEqual([true, true, true, true]);
    expect(lost.map((e) => [e.status, e.code, e.clause])).toEqual([
      [422, 'ALLOCATION_EXCEEDED', '[N 1]'],
      [422, 'NO_ALLOCATION', '[N 1]'],
    ]);
    const stamps = await queryRows<{ n: number }>(
      ctx,
      sql`select count(distinct created_at)::int as n from ledger_transfer where id like 'batch:ok:%'`,
    );
    expect(stamps).toEqual([{ n: 1 }]);
    // The refused commitment leaves nothing behind: no transfer, no contract account.
    expect(await queryRows(ctx, sql`select id from ledger_account where kind = 'contract' and ref in ('B-OVER', 'B-NONE')`)).toEqual([]);
    expect((await communityBalances(ctx, c!.code)).committed).toBe(4_000_00);
  });

  it('lets many concurrent requests on one community through only while its allocation lasts', async () => {
    const c = (await allocatedCommunities(ctx.database, 2026)).at(-3)!;
    const amount = Math.floor(c.allocated / 7) + 1; // six fit, the seventh would overdraw
    const requests = Array.from({ length: 20 }, (_, n) =>
      ledger.commit(db, { id: `many:${n}`, fundYear: 2026, communityCode: c.code, contractRef: `MANY-${n}`, amount }),
    );
    const { won, lost } = await settle(requests);
    expect(won).toHaveLength(6);
    expect(lost).toHaveLength(14);
    for (const e of lost) expect([e.status, e.code, e.clause]).toEqual([422, 'ALLOCATION_EXCEEDED', '[N 1]']);
    const b = await communityBalances(ctx, c.code);
    expect(b.committed).toBe(6 * amount);
    expect(b.committed).toBe(b.committedByTransfers);
    expect(b.committed + b.paid).toBeLessThanOrEqual(b.allocated);
  });

  it('answers a repeated id in the same batch with the first transfer, and other data under it with 409', async () => {
    const c = (await allocatedCommunities(ctx.database, 2026)).at(-4)!;
    const input = { id: 'dup:1', fundYear: 2026, communityCode: c.code, contractRef: 'DUP-1', amount: 500_00 };
    const { won, lost } = await settle([
      ledger.commit(db, input),
      ledger.commit(db, input),
      ledger.commit(db, { ...input, amount: 400_00, contractAmount: 500_00 }),
    ]);
    expect(won.map((r) => r.created)).toEqual([true, false]);
    expect(won[0]!.transfer.seq).toBe(won[1]!.transfer.seq);
    expect(lost.map((e) => [e.status, e.code])).toEqual([[409, 'IDEMPOTENCY_CONFLICT']]);
    // A retry after the batch is a replay too.
    const again = await ledger.commit(db, input);
    expect([again.created, again.transfer.seq]).toEqual([false, won[0]!.transfer.seq]);
  });

  it('pays a commitment once when two payments of it share a batch; each payment carries its linked payout', async () => {
    const c = (await allocatedCommunities(ctx.database, 2026)).at(-5)!;
    const pending = await ledger.commit(db, { id: 'pair', fundYear: 2026, communityCode: c.code, contractRef: 'PAIR', amount: 3_500_00 });
    const { won, lost } = await settle([
      ledger.postPending(db, { id: 'pair:1', pendingId: pending.transfer.id, amount: 2_000_00 }),
      ledger.postPending(db, { id: 'pair:2', pendingId: pending.transfer.id, amount: 2_000_00 }),
      ledger.postPending(db, { id: 'pair:3', pendingId: pending.transfer.id, amount: 1_000_00 }),
      ledger.postPending(db, { id: 'pair:4', pendingId: 'no-such-commitment' }),
    ]);
    expect(won.map((r) => [r.transfer.id, r.payout.id, r.payout.amount])).toEqual([
      ['pair:1', 'pair:1:payout', 2_000_00],
      ['pair:3', 'pair:3:payout', 1_000_00],
    ]);
    expect(lost.map((e) => [e.status, e.code, e.clause])).toEqual([
      [422, 'PENDING_AMOUNT_EXCEEDED', '[N 3.3]'],
      [404, 'PENDING_NOT_FOUND', undefined],
    ]);
    // Neither half of the refused payment was written.
    expect(await queryRows(ctx, sql`select id from ledger_transfer where id like 'pair:2%' or id like 'pair:4%'`)).toEqual([]);
    const released = await ledger.voidPending(db, { id: 'pair:void', pendingId: pending.transfer.id });
    expect([released.created, released.transfer.amount]).toEqual([true, 500_00]);
    await expect(ledger.voidPending(db, { id: 'pair:void:again', pendingId: pending.transfer.id })).rejects.toMatchObject({
      code: 'PENDING_RESOLVED',
    });
  });

  it('keeps calls inside a caller transaction out of the group, and they roll back with it', async () => {
    const c = (await allocatedCommunities(ctx.database, 2026)).at(-6)!;
    await expect(
      db.transaction(async (tx) => {
        await ledger.commit(tx, { id: 'inside', fundYear: 2026, communityCode: c.code, contractRef: 'INSIDE', amount: 1_00 });
        throw new Error('the caller gives up');
      }),
    ).rejects.toThrow('the caller gives up');
    expect(await queryRows(ctx, sql`select id from ledger_transfer where id = 'inside'`)).toEqual([]);
    const kept = await inTx(ctx.app, (tx, l) =>
      l.commit(tx, { id: 'inside', fundYear: 2026, communityCode: c.code, contractRef: 'INSIDE', amount: 1_00 }),
    );
    expect(kept.created).toBe(true);
  });

  it('leaves a ledger that verifies clean', async () => {
    const report = await ledger.verify();
    expect(report.problems).toEqual([]);
  });
});

/** Two server instances on one PostgreSQL database, each with its own group commit, racing for one community. */
describe.runIf(!!process.env.DATABASE_URL)('group commit on two instances of one PostgreSQL', () => {
  let ctx: TestContext;
  let second: { app: App; database: Database };
  beforeAll(async () => {
    ctx = await createTestApp();
    const database = await openDatabase({ databaseUrl: ctx.databaseUrl, dataDir: '' });
    const app = await buildApp(ctx.app.config, database);
    await app.ready();
    second = { app, database };
  });
  afterAll(async () => {
    await second?.app.close();
    await second?.database.close();
    await ctx?.close();
  });

  it('never overdraws a community: every refusal has its code, the balances equal the sum of the transfers', async () => {
    const communities = await allocatedCommunities(ctx.database, 2026);
    for (let round = 0; round < 3; round++) {
      const c = communities[round]!;
      const amount = Math.floor(c.allocated / 10) + 1; // nine fit
      const apps = [ctx.app, second.app];
      const requests = Array.from({ length: 30 }, (_, n) => {
        const app = apps[n % 2]!;
        const input = { id: `two:${round}:${n}`, fundYear: 2026, communityCode: c.code, contractRef: `TWO-${round}-${n}`, amount };
        // A third of them from callers' own transactions, beside the two group commits.
        return n % 3 === 0 ? inTx(app, (tx, l) => l.commit(tx, input)) : app.services.ledger.commit(app.database.db, input);
      });
      const { won, lost } = await settle(requests);
      expect(won).toHaveLength(9);
      for (const e of lost) expect([e.status, e.code, e.clause]).toEqual([422, 'ALLOCATION_EXCEEDED', '[N 1]']);
      const b = await communityBalances(ctx, c.code);
      expect(b.committed).toBe(9 * amount);
      expect(b.committed).toBe(b.committedByTransfers);
    }
  });

  it('pays each commitment once when both instances pay it in their batches', async () => {
    const c = (await allocatedCommunities(ctx.database, 2026))[5]!;
    const pendings = await Promise.all(
      [0, 1, 2, 3].map((n) =>
        ctx.app.services.ledger.commit(ctx.database.db, {
          id: `twopay:${n}`,
          fundYear: 2026,
          communityCode: c.code,
          contractRef: `TWOPAY-${n}`,
          amount: 1_000_00,
        }),
      ),
    );
    const attempts = pendings.flatMap((p, n) =>
      [ctx.app, second.app].map((app, side) =>
        app.services.ledger.postPending(app.database.db, { id: `twopay:${n}:${side}`, pendingId: p.transfer.id }),
      ),
    );
    const { won, lost } = await settle(attempts);
    expect(won).toHaveLength(4);
    for (const e of lost) expect([e.status, e.code]).toEqual([409, 'PENDING_RESOLVED']);
    const b = await communityBalances(ctx, c.code);
    expect([b.paid, b.paidByTransfers]).toEqual([4_000_00, 4_000_00]);
  });

  it('writes one transfer when both instances submit the same id in their batches', async () => {
    const c = (await allocatedCommunities(ctx.database, 2026))[6]!;
    const input = { id: 'two:same', fundYear: 2026, communityCode: c.code, contractRef: 'TWO-SAME', amount: 1_00 };
    const both = await Promise.all([ctx.app, second.app].map((app) => app.services.ledger.commit(app.database.db, input)));
    expect(both.map((r) => r.created).sort()).toEqual([false, true]);
    expect(both[0]!.transfer.seq).toBe(both[1]!.transfer.seq);
  });

  it('leaves a ledger that verifies clean', async () => {
    expect((await second.app.services.ledger.verify()).problems).toEqual([]);
  });
});
