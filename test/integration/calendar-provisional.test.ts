import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestApp, loginAs, queryRows, setToday, type TestContext } from '../helpers/app.js';
import { streetOf, type Client } from '../helpers/factories-needs.js';
import { compliantList, createPlan, decidedCommunity } from '../helpers/factories-plans.js';

process.env.NEEDS_SUBMIT_RATE_LIMIT = '10000';
process.env.OBJECTION_RATE_LIMIT = '10000';

/**
 * Years whose State Council holiday notice is not entered (ADR 0009): due dates through them are
 * provisional (暂定) and say so; entering the notice recomputes them, moves are audited and sent
 * to the offices concerned; a notice contradicting the statutory holidays is refused.
 */
const FOUR = '210105001001'; // 4★ for fund year 2026
const THREE = '210111001001'; // 3★ for fund year 2026

let ctx: TestContext;
let city: Client;
let planId: number;
let noticeId: number;

/** A made-up 2027 arrangement: 元旦 bridged to Monday 4 January, the Spring Festival extended. */
const NOTICE_2027 = [
  { date: '2027-01-01', isOffDay: true, name: '元旦' },
  { date: '2027-01-04', isOffDay: true, name: '元旦' },
  ...['2027-02-05', '2027-02-08', '2027-02-09', '2027-02-10', '2027-02-11'].map((date) => ({ date, isOffDay: true, name: '春节' })),
  { date: '2027-02-20', isOffDay: false, name: '春节（调休上班）' },
];

beforeAll(async () => {
  ctx = await createTestApp();
  city = await loginAs(ctx.app, 'city');
  // A community decided on 1 December submits its plan on Christmas Day; another votes on 22 December.
  const four = await decidedCommunity(ctx, FOUR, '2026-12-01', compliantList(4));
  setToday(ctx.app, '2026-12-25');
  const plan = await createPlan(four.c.staff, 2026, [FOUR]);
  const submitted = await four.c.staff.post(`/api/plans/${plan.id}/submit`);
  expect(submitted.statusCode, submitted.body).toBe(200);
  planId = plan.id;
  const three = await decidedCommunity(ctx, THREE, '2026-12-22', compliantList(2));
  const [row] = await queryRows<{ id: number }>(
    ctx,
    sql`select n.id from decision_notice n join decision d on d.id = n.decision_id where d.community_code = ${THREE} and n.status = 'open'`,
  );
  noticeId = row!.id;
  expect(three.windowEnd).toBe('2027-01-04');
  ctx.app.clock.set('2026-12-28');
});
afterAll(async () => ctx?.close());

describe('provisional working days', () => {
  it('makes a review received 2026-12-25 due, provisionally, on 2027-01-06, and says so on the plan and the to-do', async () => {
    const street = await loginAs(ctx.app, streetOf(FOUR));
    const plan = (await street.get(`/api/plans/${planId}`)).json().plan;
    expect(plan).toMatchObject({ status: 'submitted', submittedOn: '2026-12-25', reviewDueOn: '2027-01-06', reviewDueProvisional: true });
    const items = (await street.get('/api/todo')).json().items as {
      link: string;
      kind: string;
      dueOn: string;
      provisional?: boolean;
      workdaysLeft: number;
    }[];
    expect(items.find((i) => i.link === `/plans/${planId}`)).toMatchObject({
      kind: 'plan_review',
      dueOn: '2027-01-06',
      provisional: true,
      workdaysLeft: 6,
    });
  });

  it('ends a notice window that crosses New Year on a provisional date', async () => {
    const [row] = await queryRows<{ window_end: string; window_end_provisional: boolean }>(
      ctx,
      sql`select window_end, window_end_provisional from decision_notice where id = ${noticeId}`,
    );
    expect(row).toEqual({ window_end: '2027-01-04', window_end_provisional: true });
  });

  it('answers the working-day tools with the provisional flag and its reason', async () => {
    const res = await city.get('/api/calendar/add-workdays?from=2026-12-25&days=7');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ result: '2027-01-06', provisional: true, provisionalYears: [2027] });
    expect(res.json().provisionalReason).toContain('暂定');
    const final = (await city.get('/api/calendar/add-workdays?from=2026-11-02&days=7')).json();
    expect(final).toMatchObject({ result: '2026-11-11', provisional: false, provisionalReason: null });
    const year = (await city.get('/api/calendar/2027')).json();
    expect(year).toMatchObject({ year: 2027, published: false, provisional: true });
    expect(year.statutorySource).toContain('全国年节及纪念日放假办法');
    expect(year.days.map((d: { date: string }) => d.date)).toContain('2027-02-05');
  });

  it("puts entering the missing notice on the city's to-do, and only the city's", async () => {
    ctx.app.clock.set('2026-12-07');
    const items = (await city.get('/api/todo')).json().items as { kind: string; key: string; link: string }[];
    expect(items.filter((i) => i.kind === 'calendar_notice').map((i) => i.key)).toEqual(['calendar_notice:2027']);
    const district = await loginAs(ctx.app, 'district-210105');
    expect(((await district.get('/api/todo')).json().items as { kind: string }[]).some((i) => i.kind === 'calendar_notice')).toBe(false);
    ctx.app.clock.set('2026-10-12'); // before November the next year's notice is not yet expected
    expect(((await city.get('/api/todo')).json().items as { kind: string }[]).some((i) => i.kind === 'calendar_notice')).toBe(false);
    ctx.app.clock.set('2026-12-28');
  });
});

describe('entering the holiday notice', () => {
  it('refuses a notice that makes a statutory holiday a working day, naming the law and the field, and changes nothing', async () => {
    const res = await city.post('/api/calendar/2027/publish', {
      source: '国办发明电〔2026〕X号',
      days: [...NOTICE_2027, { date: '2027-02-06', isOffDay: true, name: '春节' }, { date: '2027-05-02', isOffDay: false, name: '劳动节' }],
    });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json()).toMatchObject({ code: 'CALENDAR_CONTRADICTS_STATUTORY_HOLIDAY', field: `days.${NOTICE_2027.length + 1}.isOffDay` });
    expect(res.json().message).toContain('全国年节及纪念日放假办法');
    expect(res.json().message).toContain('2027-05-02');
    expect((await city.get('/api/calendar/2027')).json().published).toBe(false);
  });

  it('previews every due date that would move, writing nothing', async () => {
    const res = await city.post('/api/calendar/2027/preview', { source: null, days: NOTICE_2027 });
    expect(res.statusCode, res.body).toBe(200);
    const moved = res.json().dueDates as {
      kind: string;
      id: number;
      before: string;
      after: string;
      moved: boolean;
      provisional: boolean;
    }[];
    expect(moved).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          kind: 'plan_review',
          id: planId,
          before: '2027-01-06',
          after: '2027-01-07',
          moved: true,
          provisional: false,
        }),
        expect.objectContaining({
          kind: 'notice_window',
          id: noticeId,
          before: '2027-01-04',
          after: '2027-01-05',
          moved: true,
          provisional: false,
        }),
      ]),
    );
    const [plan] = await queryRows<{ review_due_on: string }>(ctx, sql`select review_due_on from plan where id = ${planId}`);
    expect(plan!.review_due_on).toBe('2027-01-06');
  });

  it('recomputes the provisional due dates when the notice is entered, audits the moves and tells the offices concerned', async () => {
    const res = await city.post('/api/calendar/2027/publish', { source: '国办发明电〔2026〕X号', days: NOTICE_2027 });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ year: 2027, published: true, provisional: false });
    expect(res.json().dueDates.filter((d: { moved: boolean }) => d.moved)).toHaveLength(2);
    const [plan] = await queryRows<{ review_due_on: string; review_due_provisional: boolean }>(
      ctx,
      sql`select review_due_on, review_due_provisional from plan where id = ${planId}`,
    );
    expect(plan).toEqual({ review_due_on: '2027-01-07', review_due_provisional: false });
    const [notice] = await queryRows<{ window_end: string; window_end_provisional: boolean }>(
      ctx,
      sql`select window_end, window_end_provisional from decision_notice where id = ${noticeId}`,
    );
    expect(notice).toEqual({ window_end: '2027-01-05', window_end_provisional: false });
    // The statutory Spring Festival day the notice listed is entered; the ones it left out are entered too.
    const days = (await city.get('/api/calendar/2027')).json().days as { date: string; isOffDay: boolean }[];
    expect(days.find((d) => d.date === '2027-04-05')).toMatchObject({ isOffDay: true });
    await ctx.app.services.audit.flush();
    const audit = await queryRows<{ entity_type: string; entity_id: string; before: { dueOn: string }; after: { dueOn: string } }>(
      ctx,
      sql`select entity_type, entity_id, before, after from audit_event where action = 'calendar.due_date_moved' order by seq`,
    );
    expect(audit.map((a) => `${a.entity_type}:${a.entity_id}:${a.before.dueOn}→${a.after.dueOn}`).sort()).toEqual(
      [`notice_window:${noticeId}:2027-01-04→2027-01-05`, `plan_review:${planId}:2027-01-06→2027-01-07`].sort(),
    );
    const street = await loginAs(ctx.app, streetOf(FOUR));
    const messages = (await street.get('/api/messages')).json().items as { kind: string; body: string }[];
    expect(messages.find((m) => m.kind === 'due_date_moved' && m.body.includes('2027-01-06 → 2027-01-07'))).toBeTruthy();
    const community = await loginAs(ctx.app, `community-${THREE}`).catch(() => null);
    if (community)
      expect(((await community.get('/api/messages')).json().items as { kind: string }[]).some((m) => m.kind === 'due_date_moved')).toBe(
        true,
      );
    const stranger = await loginAs(ctx.app, 'street-210102001');
    expect(((await stranger.get('/api/messages')).json().items as { kind: string }[]).some((m) => m.kind === 'due_date_moved')).toBe(false);
    // The city's to-do no longer asks for the 2027 notice.
    expect(((await city.get('/api/todo')).json().items as { kind: string }[]).some((i) => i.kind === 'calendar_notice')).toBe(false);
  });
});

describe('the fund year switches at New Year', () => {
  it('keeps 2026 until a 2027 policy exists, then opens on 2027 in the console, the dashboard and the portal', async () => {
    ctx.app.clock.set('2027-01-02');
    const anonymous = await ctx.app.inject({ method: 'GET', url: '/api/clock' });
    expect(anonymous.json()).toEqual({ today: '2027-01-02', fundYear: 2026 });
    const portal = await ctx.app.inject({ method: 'GET', url: '/api/public/portal/city' });
    expect(portal.statusCode, portal.body).toBe(200);
    expect(portal.json().fundYear).toBe(2026);
    expect((await city.post('/api/policy/2026/copy', { toYear: 2027 })).statusCode).toBe(200);
    expect((await ctx.app.inject({ method: 'GET', url: '/api/clock' })).json()).toEqual({ today: '2027-01-02', fundYear: 2027 });
    const after = await ctx.app.inject({ method: 'GET', url: '/api/public/portal/city' });
    expect(after.json().fundYear).toBe(2027);
    const dashboard = await city.get('/api/dashboard?fundYear=2027');
    expect(dashboard.statusCode, dashboard.body).toBe(200);
  });

  it('opens a needs campaign and an evaluation round on 2 January', async () => {
    ctx.app.clock.set('2027-01-02');
    const community = await loginAs(ctx.app, 'community-210102001001');
    const campaign = await community.post('/api/needs/campaigns', {
      communityCode: '210102001001',
      fundYear: 2027,
      title: '2027 年度居民需求征集',
      opensOn: '2027-01-02',
      closesOn: '2027-02-26',
      channels: ['household_vote', 'online_vote'],
      questionnaire: { itemCodes: ['E1', 'E3'], freeText: false, prompt: null },
    });
    expect([200, 409, 422]).toContain(campaign.statusCode);
    if (campaign.statusCode === 200) expect(campaign.json().campaign).toMatchObject({ fundYear: 2027, opensOn: '2027-01-02' });
    const district = await loginAs(ctx.app, 'district-210102');
    const round = await district.post('/api/evaluation-rounds', { fundYear: 2027, kind: 'midterm', districtCode: '210102' });
    expect(round.statusCode, round.body).toBe(201);
    expect(round.json()).toMatchObject({ fundYear: 2027, kind: 'midterm', dueOn: '2027-06-30', openedOn: '2027-01-02' });
  });
});
