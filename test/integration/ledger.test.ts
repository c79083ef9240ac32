import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { createTestApp, loginAs, queryRows, type TestContext } from '../helpers/app.js';
import { allocatedCommunities, expectRefusal, inTx } from '../helpers/factories-ledger.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestApp();
});
afterAll(async () => ctx?.close());

describe('appropriation [N 1]', () => {
  it('computes 2023 from the 2022 ratings: ¥30,000,000.00 by district and star level', async () => {
    const finance = await loginAs(ctx.app, 'finance');
    const res = await finance.get('/api/allocations/2023');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.ratingYear).toBe(2022);
    expect(body.totalFen).toBe(3_000_000_000);
    expect(body.budgetFen).toBe(3_000_000_000);
    expect(body.confirmed).toBe(false);
    expect(body.levels.map((l: { stars: number; count: number; totalFen: number }) => [l.stars, l.count, l.totalFen])).toEqual([
      [5, 50, 1_000_000_000],
      [4, 100, 1_000_000_000],
      [3, 200, 1_000_000_000],
    ]);
    expect(body.districts).toHaveLength(13);
    expect(body.districts.reduce((s: number, d: { totalFen: number }) => s + d.totalFen, 0)).toBe(3_000_000_000);
    expect(body.items).toHaveLength(350);
  });

  it('shows a district only its own communities', async () => {
    const district = await loginAs(ctx.app, 'district-210102');
    const body = (await district.get('/api/allocations/2023')).json();
    expect(body.items.length).toBeGreaterThan(0);
    expect(body.items.every((i: { districtCode: string }) => i.districtCode === '210102')).toBe(true);
    expect(body.districts.map((d: { districtCode: string }) => d.districtCode)).toEqual(['210102']);
    expect(body.totalFen).toBeLessThan(3_000_000_000);
  });

  it('lets only the city finance bureau confirm', async () => {
    const city = await loginAs(ctx.app, 'city');
    expect((await city.post('/api/allocations/2023/confirm', {})).statusCode).toBe(403);
    const district = await loginAs(ctx.app, 'district-210102');
    expect((await district.post('/api/allocations/2023/confirm', {})).statusCode).toBe(403);
  });

  it('refuses a confirmation whose reviewed total is stale (409)', async () => {
    const finance = await loginAs(ctx.app, 'finance');
    const res = await finance.post('/api/allocations/2023/confirm', { expectedTotalFen: 2_999_999_999 });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('ALLOCATION_CHANGED');
    expect((await queryRows(ctx, sql`select count(*)::int as n from ledger_transfer where fund_year = 2023`))[0]).toEqual({ n: 0 });
  });

  it('confirms, posting 350 pool → community transfers; a re-confirmation allocates nothing twice', async () => {
    const finance = await loginAs(ctx.app, 'finance');
    const first = await finance.post('/api/allocations/2023/confirm', { expectedTotalFen: 3_000_000_000 });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ count: 350, created: 350, existing: 0, createdFen: 3_000_000_000 });
    const again = await finance.post('/api/allocations/2023/confirm', {});
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ created: 0, existing: 350, createdFen: 0 });
    const [sum] = await queryRows<{ n: number; total: string }>(
      ctx,
      sql`select count(*)::int as n, sum(amount)::text as total from ledger_transfer where fund_year = 2023 and code = 'allocation'`,
    );
    expect(sum).toEqual({ n: 350, total: '3000000000' });
    const review = (await finance.get('/api/allocations/2023')).json();
    expect(review.confirmed).toBe(true);
    expect(review.postedFen).toBe(3_000_000_000);
    const table = (await finance.get('/api/funds/2023/regions/2101')).json();
    expect(table.total).toMatchObject({ communities: 350, allocated: 3_000_000_000, available: 3_000_000_000 });
  });

  it('refuses to change the 2022 ratings once 2023 is appropriated (409)', async () => {
    const city = await loginAs(ctx.app, 'city');
    const code = (await allocatedCommunities(ctx.database, 2023))[0]!.code;
    const res = await city.put(`/api/ratings/2022/communities/${code}`, { stars: 3, reason: '复核更正' });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'ALLOCATION_CONFIRMED', clause: '[N 1]' });
  });
});

describe('ledger: commitments, disbursements, idempotency', () => {
  it('returns the first result for a retry and 409 IDEMPOTENCY_CONFLICT for the same id with other data', async () => {
    const [c] = await allocatedCommunities(ctx.database, 2026);
    const input = { id: 'commit:test:1', fundYear: 2026, communityCode: c!.code, contractRef: 'HT-2026-001', amount: 50_000_00 };
    const first = await inTx(ctx.app, (tx, ledger) => ledger.commit(tx, input));
    expect(first.created).toBe(true);
    expect(first.transfer).toMatchObject({ kind: 'pending', code: 'commitment', amount: 50_000_00 });
    const retry = await inTx(ctx.app, (tx, ledger) => ledger.commit(tx, input));
    expect(retry.created).toBe(false);
    expect(retry.transfer.seq).toBe(first.transfer.seq);
    await expectRefusal(
      inTx(ctx.app, (tx, ledger) => ledger.commit(tx, { ...input, amount: 40_000_00, contractAmount: 50_000_00 })),
      409,
      'IDEMPOTENCY_CONFLICT',
    );
    const [row] = await queryRows<{ debits_pending: number }>(
      ctx,
      sql`select debits_pending from ledger_account where fund_year = 2026 and kind = 'community_available' and ref = ${c!.code}`,
    );
    expect(Number(row!.debits_pending)).toBe(50_000_00);
  });

  it('refuses a commitment beyond the allocation with 422 naming [N 1], and writes nothing', async () => {
    const [, c] = await allocatedCommunities(ctx.database, 2026);
    const before = await queryRows(ctx, sql`select count(*)::int as n from ledger_transfer`);
    const error = await expectRefusal(
      inTx(ctx.app, (tx, ledger) =>
        ledger.commit(tx, { id: 'commit:over', fundYear: 2026, communityCode: c!.code, contractRef: 'HT-OVER', amount: c!.allocated + 1 }),
      ),
      422,
      'ALLOCATION_EXCEEDED',
    );
    expect(error.clause).toBe('[N 1]');
    expect(await queryRows(ctx, sql`select count(*)::int as n from ledger_transfer`)).toEqual(before);
  });

  it('pays a commitment in instalments, refuses more than remains, voids the rest exactly once', async () => {
    const [, , c] = await allocatedCommunities(ctx.database, 2026);
    const commit = await inTx(ctx.app, (tx, l) =>
      l.commit(tx, { id: 'commit:inst', fundYear: 2026, communityCode: c!.code, contractRef: 'HT-INST', amount: 30_000_00 }),
    );
    const pay1 = await inTx(ctx.app, (tx, l) => l.postPending(tx, { id: 'pay:inst:1', pendingId: commit.transfer.id, amount: 10_000_00 }));
    expect(pay1.created).toBe(true);
    expect(pay1.payout).toMatchObject({ id: 'pay:inst:1:payout', code: 'payout', amount: 10_000_00 });
    const retry = await inTx(ctx.app, (tx, l) => l.postPending(tx, { id: 'pay:inst:1', pendingId: commit.transfer.id, amount: 10_000_00 }));
    expect(retry.created).toBe(false);
    const over = await expectRefusal(
      inTx(ctx.app, (tx, l) => l.postPending(tx, { id: 'pay:inst:2', pendingId: commit.transfer.id, amount: 20_000_01 })),
      422,
      'PENDING_AMOUNT_EXCEEDED',
    );
    expect(over.clause).toBe('[N 3.3]');
    const released = await inTx(ctx.app, (tx, l) => l.voidPending(tx, { id: 'void:inst', pendingId: commit.transfer.id }));
    expect(released.transfer.amount).toBe(20_000_00);
    await expectRefusal(
      inTx(ctx.app, (tx, l) => l.postPending(tx, { id: 'pay:inst:3', pendingId: commit.transfer.id })),
      409,
      'PENDING_RESOLVED',
    );
    const finance = await loginAs(ctx.app, 'finance');
    const community = (await finance.get(`/api/funds/2026/regions/${c!.code}`)).json();
    expect(community.total).toEqual({
      communities: 1,
      allocated: c!.allocated,
      committed: 0,
      paid: 10_000_00,
      available: c!.allocated - 10_000_00,
    });
  });

  it('refuses evaluation fees on fund accounts and takes them on the non-fund account [N 3.12]', async () => {
    const [c] = await allocatedCommunities(ctx.database, 2026);
    const error = await expectRefusal(
      inTx(ctx.app, (tx, l) =>
        l.createTransfer(tx, {
          id: 'fee:on-fund',
          fundYear: 2026,
          kind: 'posted',
          code: 'evaluation_fee',
          debit: { fundYear: 2026, kind: 'community_available', ref: c!.code },
          credit: { fundYear: 2026, kind: 'fund_pool', ref: '' },
          amount: 1000,
          reference: '评估费',
        }),
      ),
      422,
      'EVALUATION_FEE_ON_FUND',
    );
    expect(error.clause).toBe('[N 3.12]');
    const fee = await inTx(ctx.app, (tx, l) =>
      l.recordEvaluationFee(tx, { id: 'fee:ok', fundYear: 2026, regionPath: c!.path, amount: 8_000_00, reference: '第三方评估费' }),
    );
    expect(fee.created).toBe(true);
  });

  it('refuses money leaving the fund other than to a contract ([N 4.1])', async () => {
    const [c] = await allocatedCommunities(ctx.database, 2026);
    const error = await expectRefusal(
      inTx(ctx.app, (tx, l) =>
        l.createTransfer(tx, {
          id: 'leak',
          fundYear: 2026,
          kind: 'posted',
          code: 'payout',
          debit: { fundYear: 2026, kind: 'community_available', ref: c!.code },
          credit: { fundYear: 2026, kind: 'fund_pool', ref: '' },
          amount: 1000,
          reference: '',
        }),
      ),
      422,
      'LEDGER_ROUTE_REFUSED',
    );
    expect(error.clause).toBe('[N 4.1]');
  });

  it('corrects an allocation by a new transfer that names it', async () => {
    const communities = await allocatedCommunities(ctx.database, 2026);
    const c = communities[communities.length - 1]!;
    const corrected = await inTx(ctx.app, (tx, l) =>
      l.correct(tx, { id: 'fix:1', correctsId: `alloc:2026:${c.code}`, amount: 1_000_00, reference: '更正多下达' }),
    );
    expect(corrected.transfer).toMatchObject({ code: 'correction', correctsId: `alloc:2026:${c.code}`, amount: 1_000_00 });
    await expectRefusal(
      inTx(ctx.app, (tx, l) =>
        l.correct(tx, { id: 'fix:2', correctsId: `alloc:2026:${c.code}`, amount: c.allocated, reference: '再更正' }),
      ),
      422,
      'CORRECTION_EXCEEDED',
    );
    const finance = await loginAs(ctx.app, 'finance');
    const view = (await finance.get(`/api/funds/2026/regions/${c.code}`)).json();
    expect(view.total.allocated).toBe(c.allocated - 1_000_00);
  });

  it('keeps transfers immutable: the database refuses UPDATE and DELETE', async () => {
    await expect(ctx.database.db.execute(sql`update ledger_transfer set amount = 1 where id = 'fee:ok'`)).rejects.toThrow();
    await expect(ctx.database.db.execute(sql`delete from ledger_transfer where id = 'fee:ok'`)).rejects.toThrow();
  });

  it('verifies clean, and names a tampered balance', async () => {
    const city = await loginAs(ctx.app, 'city');
    const ok = (await city.get('/api/ledger/verify')).json();
    expect(ok.problems).toEqual([]);
    expect(ok.ok).toBe(true);
    expect(ok.totals.debitsPosted).toBe(ok.totals.creditsPosted);
    const district = await loginAs(ctx.app, 'district-210102');
    expect((await district.get('/api/ledger/verify')).statusCode).toBe(403);
    await ctx.database.db.execute(sql`update ledger_account set credits_posted = credits_posted + 1 where kind = 'paid_out'`);
    const broken = await ctx.app.services.ledger.verify();
    expect(broken.ok).toBe(false);
    expect(broken.problems.join('\n')).toMatch(/creditsPosted: stored \d+, recomputed \d+/);
    await ctx.database.db.execute(sql`update ledger_account set credits_posted = credits_posted - 1 where kind = 'paid_out'`);
    expect((await ctx.app.services.ledger.verify()).ok).toBe(true);
  });
});

describe('fund views', () => {
  it('drills city → district → street → community; the parts add up to the whole', async () => {
    const finance = await loginAs(ctx.app, 'finance');
    const city = (await finance.get('/api/funds/2026/regions/2101')).json();
    const sum = (rows: { allocated: number }[]) => rows.reduce((s, r) => s + r.allocated, 0);
    expect(sum(city.rows)).toBe(city.total.allocated);
    const district = (await finance.get('/api/funds/2026/regions/210102')).json();
    expect(district.total.allocated).toBe(city.rows.find((r: { code: string }) => r.code === '210102').allocated);
    expect(sum(district.rows)).toBe(district.total.allocated);
    const street = (await finance.get('/api/funds/2026/regions/210102001')).json();
    expect(street.rows.every((r: { level: string }) => r.level === 'community')).toBe(true);
    for (const r of city.rows) expect(r.allocated).toBe(r.committed + r.paid + r.available);
    const transfers = (await finance.get('/api/funds/2026/regions/210102/transfers?limit=5')).json();
    expect(transfers.total).toBeGreaterThan(0);
    expect(transfers.items[0].codeLabel).toBeTruthy();
    // Issue 19: both accounts named in Chinese (社区可用额度 · <community>), no kind code, no region code.
    for (const t of transfers.items as { debit: { label: string }; credit: { label: string } }[])
      for (const side of [t.debit, t.credit]) {
        expect(side.label).toMatch(/[\u4e00-\u9fa5]/);
        expect(side.label).not.toMatch(/[a-z]+_[a-z]+|\b\d{9,12}\b/);
      }
  });

  it('scopes a district to its own money, and another district reads as 404', async () => {
    const district = await loginAs(ctx.app, 'district-210102');
    const city = (await district.get('/api/funds/2026/regions/2101')).json();
    expect(city.rows.map((r: { code: string }) => r.code)).toEqual(['210102']);
    const own = (await district.get('/api/funds/2026/regions/210102')).json();
    expect(city.total).toEqual(own.total);
    expect((await district.get('/api/funds/2026/regions/210103')).statusCode).toBe(404);
    const transfers = (await district.get('/api/funds/2026/regions/2101/transfers?limit=1000')).json();
    expect(
      transfers.items.every(
        (t: { debit: { regionPath: string }; credit: { regionPath: string } }) =>
          t.debit.regionPath.startsWith('2101/210102') || t.credit.regionPath.startsWith('2101/210102'),
      ),
    ).toBe(true);
    const byStars = (await district.get('/api/funds/2026/regions/2101/by-stars')).json();
    expect(byStars.rows.map((r: { districtCode: string }) => r.districtCode)).toEqual(['210102']);
  });

  it('sums money by district and star level to the city total', async () => {
    const finance = await loginAs(ctx.app, 'finance');
    const byStars = (await finance.get('/api/funds/2026/regions/2101/by-stars')).json();
    expect(byStars.levels).toEqual([5, 4, 3]);
    expect(byStars.rows).toHaveLength(13);
    const total = byStars.rows.reduce((s: number, r: { total: { allocated: number } }) => s + r.total.allocated, 0);
    const table = (await finance.get('/api/funds/2026/regions/2101')).json();
    expect(total).toBe(table.total.allocated);
  });

  it('exports the tables to .xlsx with formula injection neutralised', async () => {
    const [c] = await allocatedCommunities(ctx.database, 2026);
    await inTx(ctx.app, (tx, l) =>
      l.commit(tx, {
        id: 'commit:inject',
        fundYear: 2026,
        communityCode: c!.code,
        contractRef: 'HT-INJ',
        amount: 1_00,
        reference: '=HYPERLINK("http://evil","x")',
      }),
    );
    const finance = await loginAs(ctx.app, 'finance');
    const res = await finance.get(`/api/funds/2026/regions/${c!.code}/export.xlsx`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ExcelJS.Buffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['资金汇总', '区县×星级', '转账明细']);
    const cells: unknown[] = [];
    wb.getWorksheet('转账明细')!.eachRow((row) => row.eachCell((cell) => cells.push(cell.value)));
    expect(cells).toContain('\'=HYPERLINK("http://evil","x")');
    expect(cells.some((v) => typeof v === 'object' && v !== null && 'formula' in v)).toBe(false);
    const summary = wb.getWorksheet('资金汇总')!;
    const lastRow = summary.getRow(summary.rowCount);
    expect(String(lastRow.getCell(2).value)).toContain('合计');
  });
});
