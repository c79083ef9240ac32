import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, loginAs, type TestContext } from '../helpers/app.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestApp();
});
afterAll(async () => ctx?.close());

describe('fund-year policy', () => {
  it('holds every number of the 2023 notice', async () => {
    const street = await loginAs(ctx.app, 'street-210102001');
    const res = await street.get('/api/policy/2023');
    expect(res.statusCode).toBe(200);
    const doc = res.json().document;
    expect(doc.tiers).toEqual([
      { stars: 5, quota: 50, amountFen: 20_000_000, enhancementMin: 6 },
      { stars: 4, quota: 100, amountFen: 10_000_000, enhancementMin: 4 },
      { stars: 3, quota: 200, amountFen: 5_000_000, enhancementMin: 1 },
    ]);
    expect(doc.needsCoverage).toEqual({ numerator: 30, denominator: 100 });
    expect(doc.noticeDays).toBe(10);
    expect(doc.objectionShare).toEqual({ numerator: 1, denominator: 5 });
    expect(doc.reviewWorkdays).toBe(7);
    expect([doc.midEvaluationDue, doc.finalEvaluationDue]).toEqual(['06-30', '12-10']);
    expect(doc.basicItems).toEqual(['B1', 'B2', 'B3']);
    expect(doc.catalogue.enhancement).toHaveLength(8);
    expect(doc.prohibitedUses.find((p: { code: string }) => p.code === 'P1').keywords).toEqual(
      expect.arrayContaining(['补贴', '奖金', '津贴']),
    );
  });

  it('lets the city bureau edit a year, audited with before and after', async () => {
    const city = await loginAs(ctx.app, 'city');
    const { document } = (await city.get('/api/policy/2024')).json();
    document.noticeDays = 12;
    const res = await city.put('/api/policy/2024', { document });
    expect(res.statusCode).toBe(200);
    expect(res.json().document.noticeDays).toBe(12);
    const events = (await city.get('/api/audit/events?entityType=policy_year&entityId=2024')).json().items;
    expect(events[0].action).toBe('policy.update');
    expect(events[0].before.noticeDays).toBe(10);
    expect(events[0].after.noticeDays).toBe(12);
  });

  it('refuses an inconsistent document naming the field, and keeps the old one', async () => {
    const city = await loginAs(ctx.app, 'city');
    const { document } = (await city.get('/api/policy/2025')).json();
    const bad = structuredClone(document);
    bad.evaluationRubric[0].weight = 99;
    const res = await city.put('/api/policy/2025', { document: bad });
    expect(res.statusCode).toBe(400);
    expect(res.json().field).toBe('document.evaluationRubric');
    const negative = structuredClone(document);
    negative.tiers[0].amountFen = -1;
    const res2 = await city.put('/api/policy/2025', { document: negative });
    expect(res2.statusCode).toBe(400);
    expect(res2.json().field).toBe('document.tiers.0.amountFen');
    expect((await city.get('/api/policy/2025')).json().document).toEqual(document);
  });

  it('copies a year to a new one with shifted years', async () => {
    const city = await loginAs(ctx.app, 'city');
    const res = await city.post('/api/policy/2026/copy', { toYear: 2027 });
    expect(res.statusCode).toBe(200);
    expect(res.json().document.fundYear).toBe(2027);
    expect(res.json().document.ratingYear).toBe(2026);
    expect((await city.post('/api/policy/2026/copy', { toYear: 2027 })).statusCode).toBe(409);
    expect((await city.get('/api/policy/years')).json().items.map((y: { year: number }) => y.year)).toContain(2027);
  });

  it('does not let a district bureau edit policy', async () => {
    const district = await loginAs(ctx.app, 'district-210102');
    const { document } = (await district.get('/api/policy/2023')).json();
    expect((await district.put('/api/policy/2023', { document })).statusCode).toBe(403);
  });
});

describe('working-day calendar', () => {
  it('computes a review deadline across the 2025 National Day holiday', async () => {
    const street = await loginAs(ctx.app, 'street-210102001');
    const res = await street.get('/api/calendar/add-workdays?from=2025-09-30&days=7');
    expect(res.statusCode).toBe(200);
    expect(res.json().result).toBe('2025-10-16');
  });

  it('computes a notice window ending in the 2026 Spring Festival', async () => {
    const street = await loginAs(ctx.app, 'street-210102001');
    expect((await street.get('/api/calendar/window-end?from=2026-02-06&days=10')).json().result).toBe('2026-02-24');
  });

  it('counts 2027 provisionally (statutory holidays, no 调休) and flags it, until the city enters the notice', async () => {
    const city = await loginAs(ctx.app, 'city');
    const before = await city.get('/api/calendar/add-workdays?from=2026-12-28&days=7');
    expect(before.statusCode, before.body).toBe(200);
    // Dec 29, 30, 31 (2026), then 1 January 2027 is a statutory holiday, Jan 4–7.
    expect(before.json()).toMatchObject({ result: '2027-01-07', provisional: true, provisionalYears: [2027] });
    expect(before.json().provisionalReason).toContain('2027');
    expect((await city.get('/api/calendar/2027')).json()).toMatchObject({ published: false, provisional: true });

    const publish = await city.post('/api/calendar/2027/publish', {
      source: '国务院办公厅关于2027年部分节假日安排的通知（演示）',
      days: [{ date: '2027-01-01', isOffDay: true, name: '元旦' }],
    });
    expect(publish.statusCode).toBe(200);
    expect((await city.get('/api/calendar/add-workdays?from=2026-12-28&days=7')).json()).toMatchObject({
      result: '2027-01-07',
      provisional: false,
    });
  });

  it('lets the city mark a day, audited, and refuses others', async () => {
    const city = await loginAs(ctx.app, 'city');
    const res = await city.put('/api/calendar/days/2026-12-31', { isOffDay: true, name: '演示调整' });
    expect(res.statusCode).toBe(200);
    expect((await city.get('/api/calendar/add-workdays?from=2026-12-30&days=1')).json().result).not.toBe('2026-12-31');
    const events = (await city.get('/api/audit/events?entityType=calendar_day&entityId=2026-12-31')).json().items;
    expect(events[0].action).toBe('calendar.set_day');
    expect((await city.delete('/api/calendar/days/2026-12-31')).statusCode).toBe(200);
    expect((await city.get('/api/calendar/add-workdays?from=2026-12-30&days=1')).json().result).toBe('2026-12-31');

    const street = await loginAs(ctx.app, 'street-210102001');
    expect((await street.put('/api/calendar/days/2026-12-31', { isOffDay: true, name: 'x' })).statusCode).toBe(403);
  });

  it('names an invalid date', async () => {
    const city = await loginAs(ctx.app, 'city');
    const res = await city.get('/api/calendar/add-workdays?from=2026-02-30&days=1');
    expect(res.statusCode).toBe(400);
    expect(res.json().field).toBe('from');
  });
});
