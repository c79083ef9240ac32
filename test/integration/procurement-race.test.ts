import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { buildApp, type App } from '../../server/src/app.js';
import { openDatabase, type Database } from '../../server/src/db/client.js';
import { as, createTestApp, login, queryRows, setToday, type TestContext } from '../helpers/app.js';
import { verifyAll } from '../../server/src/modules/invariants/invariants.service.js';
import { draftContract, filedPlan, procure, registerProvider, type FiledPlan } from '../helpers/factories-procurement.js';

process.env.NEEDS_SUBMIT_RATE_LIMIT = '10000';
process.env.OBJECTION_RATE_LIMIT = '10000';

/**
 * Duplicate payment requests and approvals arriving at two server instances on one PostgreSQL
 * database at the same moment: one request, one disbursement. Runs when DATABASE_URL is set.
 */
describe.runIf(!!process.env.DATABASE_URL)('payments on two instances [N 3.3]', () => {
  let ctx: TestContext;
  let second: { app: App; database: Database };
  let plan: FiledPlan;
  let instalments: { id: number; seq: number }[];
  let ref: string;
  let contractId: number;

  beforeAll(async () => {
    ctx = await createTestApp();
    const database = await openDatabase({ databaseUrl: ctx.databaseUrl, dataDir: '' });
    const app = await buildApp(ctx.app.config, database);
    await app.ready();
    second = { app, database };
    plan = await filedPlan(ctx, '210105001001', 4);
    for (const a of [ctx.app, second.app]) setToday(a, '2026-10-20');
    const { provider } = await registerProvider(ctx, {
      name: '并发测试社工服务中心',
      stem: '52210105MJ0000077',
      username: 'race-provider',
    });
    const proc = await procure(plan.staff, plan.code, [plan.projects[0]!.id], provider.id);
    const draft = await draftContract(plan.staff, proc.id, plan.code, 1_000_000, [
      { condition: 'on_signing', amountFen: 200_000 },
      { condition: 'on_signing', amountFen: 200_000 },
      { condition: 'on_signing', amountFen: 200_000 },
      { condition: 'on_signing', amountFen: 200_000 },
      { condition: 'on_signing', amountFen: 200_000 },
    ]);
    const signed = await plan.staff.post(`/api/contracts/${draft.id}/sign`, {});
    expect(signed.statusCode, signed.body).toBe(200);
    instalments = signed.json().instalments;
    ref = signed.json().ref;
    contractId = signed.json().id;
  }, 180_000);
  afterAll(async () => {
    await second?.app.close();
    await second?.database.close();
    await ctx?.close();
  });

  it('accepts one of two simultaneous requests for an instalment and pays it once when both instances approve', async () => {
    const provider1 = as(ctx.app, await login(ctx.app, 'race-provider'));
    const provider2 = as(second.app, await login(second.app, 'race-provider'));
    const street1 = as(ctx.app, await login(ctx.app, `street-${plan.code.slice(0, 9)}`));
    const street2 = as(second.app, await login(second.app, `street-${plan.code.slice(0, 9)}`));
    for (const inst of instalments) {
      const requests = await Promise.all([
        provider1.post(`/api/instalments/${inst.id}/requests`, {}),
        provider2.post(`/api/instalments/${inst.id}/requests`, {}),
      ]);
      expect(requests.map((r) => r.statusCode).sort()).toEqual([201, 409]);
      expect(requests.find((r) => r.statusCode === 409)!.json().code).toBe('REQUEST_EXISTS');
      const id = requests.find((r) => r.statusCode === 201)!.json().id;
      const approvals = await Promise.all([
        street1.post(`/api/payment-requests/${id}/approve`, {}),
        street2.post(`/api/payment-requests/${id}/approve`, {}),
      ]);
      expect(approvals.map((r) => r.statusCode)).toEqual([200, 200]);
      expect(approvals.map((r) => r.json().created).sort()).toEqual([false, true]);
      const paid = await queryRows<{ n: number; total: number }>(
        ctx,
        sql`select count(*)::int as n, coalesce(sum(amount), 0)::int as total from ledger_transfer where code = 'disbursement' and id = ${`${ref}:instalment-${inst.seq}`}`,
      );
      expect(paid[0]).toEqual({ n: 1, total: 200_000 });
    }
    const [requests] = await queryRows<{ n: number }>(
      ctx,
      sql`select count(*)::int as n from payment_request where contract_id = ${contractId}`,
    );
    expect(requests!.n).toBe(instalments.length);
    const contracts = await queryRows<{ status: string }>(ctx, sql`select status from contract where id = ${contractId}`);
    expect(contracts).toEqual([{ status: 'completed' }]);
    expect((await ctx.app.services.ledger.verify()).problems).toEqual([]);
  });

  it('leaves data that passes every business invariant (npm run verify)', async () => {
    const report = await verifyAll(ctx.database.db);
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
  });
});
