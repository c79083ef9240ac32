import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { buildApp, type App } from '../../server/src/app.js';
import { openDatabase, type Database } from '../../server/src/db/client.js';
import { DomainError } from '../../server/src/common/errors.js';
import { createTestApp, loginAs, queryRows, type TestContext } from '../helpers/app.js';
import { allocatedCommunities, inTx } from '../helpers/factories-ledger.js';
import { verifyAll } from '../../server/src/modules/invariants/invariants.service.js';

/**
 * Two server instances on one PostgreSQL database race for the same money. Only meaningful on a
 * real server (PGlite has a single connection), so it runs when DATABASE_URL is set.
 */
describe.runIf(!!process.env.DATABASE_URL)('two instances on one PostgreSQL', () => {
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

  const settle = async <T>(promises: Promise<T>[]) => {
    const results = await Promise.allSettled(promises);
    const won = results.filter((r): r is PromiseFulfilledResult<Awaited<T>> => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason as DomainError);
    return { won, lost };
  };

  it('lets only one of two commitments through when together they would overspend a community', async () => {
    const communities = await allocatedCommunities(ctx.database, 2026);
    for (let round = 0; round < 5; round++) {
      const c = communities[round]!;
      const amount = Math.floor(c.allocated * 0.6);
      const { won, lost } = await settle([
        inTx(ctx.app, (tx, l) =>
          l.commit(tx, { id: `race:over:${round}:a`, fundYear: 2026, communityCode: c.code, contractRef: `RACE-${round}-A`, amount }),
        ),
        inTx(second.app, (tx, l) =>
          l.commit(tx, { id: `race:over:${round}:b`, fundYear: 2026, communityCode: c.code, contractRef: `RACE-${round}-B`, amount }),
        ),
      ]);
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      expect(lost[0]).toBeInstanceOf(DomainError);
      expect([lost[0]!.status, lost[0]!.code, lost[0]!.clause]).toEqual([422, 'ALLOCATION_EXCEEDED', '[N 1]']);
      const [row] = await queryRows<{ debits_pending: string }>(
        ctx,
        sql`select debits_pending::text from ledger_account where fund_year = 2026 and kind = 'community_available' and ref = ${c.code}`,
      );
      expect(Number(row!.debits_pending)).toBe(amount);
    }
  });

  it('pays a commitment only once when both instances pay it at the same time', async () => {
    const communities = await allocatedCommunities(ctx.database, 2026);
    for (let round = 0; round < 5; round++) {
      const c = communities[10 + round]!;
      const pending = await inTx(ctx.app, (tx, l) =>
        l.commit(tx, { id: `race:pay:${round}`, fundYear: 2026, communityCode: c.code, contractRef: `PAY-${round}`, amount: 20_000_00 }),
      );
      const { won, lost } = await settle([
        inTx(ctx.app, (tx, l) => l.postPending(tx, { id: `race:pay:${round}:a`, pendingId: pending.transfer.id })),
        inTx(second.app, (tx, l) => l.postPending(tx, { id: `race:pay:${round}:b`, pendingId: pending.transfer.id })),
      ]);
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      expect([lost[0]!.status, lost[0]!.code]).toEqual([409, 'PENDING_RESOLVED']);
      const [paid] = await queryRows<{ total: string }>(
        ctx,
        sql`select sum(amount)::text as total from ledger_transfer where pending_id = ${pending.transfer.id}`,
      );
      expect(paid!.total).toBe('2000000');
    }
  });

  it('writes one transfer when both instances submit the same id; a different payload under that id is a 409', async () => {
    const communities = await allocatedCommunities(ctx.database, 2026);
    const [c, d] = [communities[20]!, communities[21]!];
    const same = { id: 'race:same', fundYear: 2026, communityCode: c.code, contractRef: 'SAME', amount: 1_000_00 };
    const both = await Promise.all([inTx(ctx.app, (tx, l) => l.commit(tx, same)), inTx(second.app, (tx, l) => l.commit(tx, same))]);
    expect(both.map((r) => r.created).sort()).toEqual([false, true]);
    expect(both[0]!.transfer.seq).toBe(both[1]!.transfer.seq);

    // Same id, other community: different rows are locked, so the id itself must decide.
    const { won, lost } = await settle([
      inTx(ctx.app, (tx, l) =>
        l.commit(tx, { id: 'race:twin', fundYear: 2026, communityCode: c.code, contractRef: 'TWIN-C', amount: 1_00 }),
      ),
      inTx(second.app, (tx, l) =>
        l.commit(tx, { id: 'race:twin', fundYear: 2026, communityCode: d.code, contractRef: 'TWIN-D', amount: 1_00 }),
      ),
    ]);
    expect(won).toHaveLength(1);
    expect([lost[0]!.status, lost[0]!.code]).toEqual([409, 'IDEMPOTENCY_CONFLICT']);
    expect(await queryRows(ctx, sql`select count(*)::int as n from ledger_transfer where id = 'race:twin'`)).toEqual([{ n: 1 }]);
  });

  it('confirms an appropriation once when finance confirms on both instances at the same time', async () => {
    const [a, b] = await Promise.all([loginAs(ctx.app, 'finance'), loginAs(second.app, 'finance')]);
    const [r1, r2] = await Promise.all([a.post('/api/allocations/2023/confirm', {}), b.post('/api/allocations/2023/confirm', {})]);
    expect([r1.statusCode, r2.statusCode]).toEqual([200, 200]);
    expect([r1.json().created, r2.json().created].sort((x, y) => x - y)).toEqual([0, 350]);
    const [sum] = await queryRows<{ total: string }>(
      ctx,
      sql`select sum(amount)::text as total from ledger_transfer where fund_year = 2023 and code = 'allocation'`,
    );
    expect(sum!.total).toBe('3000000000');
  });

  it('leaves a ledger that verifies clean', async () => {
    const report = await second.app.services.ledger.verify();
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
  });

  it('leaves data that passes the business invariants (npm run verify)', async () => {
    const report = await verifyAll(ctx.database.db);
    // This file drives the ledger directly: its payouts (race:pay:…:payout) pay no contract
    // instalment, which is the one rule they are expected to break; nothing else may fail.
    const failed = report.checks.filter((c) => !c.ok);
    expect(failed.map((c) => c.name)).toEqual(['payout_has_one_paid_instalment']);
    expect(failed[0]!.firstOffender).toMatchObject({ table: 'ledger_transfer', id: expect.stringMatching(/^race:pay:\d+:[ab]:payout$/) });
    expect(failed[0]!.offenders).toBe(5);
  });
});
