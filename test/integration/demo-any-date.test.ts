import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestApp, loginAs, queryRows } from '../helpers/app.js';
import { seedDemoCity } from '../../server/src/seed/seed.js';
import { demoFundYear } from '../../server/src/seed/demo-timeline.js';
import { addDays } from '../../server/src/common/dates.js';
import { verifyAll } from '../../server/src/modules/invariants/invariants.service.js';

/**
 * The demo city makes sense whatever day it is first started on (ADR 0009): it seeds, its fund
 * year follows the date, nothing it records lies in the future, something is due soon and
 * something is overdue, and nothing is years overdue — including across New Year in China time
 * and in years whose holiday notice is not entered.
 */
const EVENT_DATES = sql.raw(`
  select 'plan submitted' what, max(submitted_on) d from plan
  union all select 'plan approved', max(approved_on) from plan
  union all select 'plan filed', max(filed_on) from plan
  union all select 'notice posted', max(posted_on) from decision_notice
  union all select 'objection received', max(received_on) from decision_objection
  union all select 'objection entered', max(entered_on) from decision_objection
  union all select 'step held', max(held_on) from decision_step
  union all select 'campaign opened', max(opens_on) from needs_campaign
  union all select 'contract signed', max(signed_on) from contract
  union all select 'activity held', max(held_on) from delivery_activity
  union all select 'instalment paid', max(paid_on) from contract_instalment
  union all select 'round opened', max(opened_on) from evaluation_round
  union all select 'assignment concluded', max(concluded_on) from evaluation_assignment
  union all select 'report filed', max(filed_on) from district_report
  union all select 'spot check drawn', max(drawn_on) from spot_check
  union all select 'finding found', max(found_on) from supervision_finding`);

describe.each([
  ['2026-12-31T20:00:00Z', '2027-01-01'], // already New Year's Day in China
  ['2027-01-05', '2027-01-05'],
  ['2027-07-01', '2027-07-01'],
  ['2028-02-29', '2028-02-29'],
  ['2030-12-31', '2030-12-31'],
])('the demo city started at %s', (now, today) => {
  it(`seeds a city caught mid-year on ${today}`, async () => {
    const ctx = await createTestApp({ seed: false, today: now });
    try {
      expect(ctx.app.clock.today()).toBe(today);
      const counts = await seedDemoCity(ctx.database.db, ctx.app.services);
      expect(counts).not.toBeNull();
      const fundYear = demoFundYear(today);
      const [meta] = await queryRows<{ value: { fundYear: number; today: string } }>(
        ctx,
        sql`select value from app_meta where key = 'demo_seed'`,
      );
      expect(meta!.value).toMatchObject({ fundYear, today });

      // Nothing recorded after today.
      const dates = await queryRows<{ what: string; d: string | null }>(ctx, EVENT_DATES);
      for (const row of dates) if (row.d) expect(row.d <= today, `${row.what} ${row.d} after ${today}`).toBe(true);

      // A paper objection received on the window's last day and entered later, within the grace, suspended a decision (issue 16).
      const late = await queryRows<{ status: string; suspend_reason: string | null }>(
        ctx,
        sql`
        select n.status, n.suspend_reason from decision_objection o join decision_notice n on n.id = o.notice_id
        where o.channel = 'paper' and o.received_on = n.window_end::date and o.entered_on > n.window_end::date`,
      );
      expect(late).toHaveLength(1);
      expect(late[0]!.status).toBe('suspended');
      expect(late[0]!.suspend_reason).toContain('补录');

      // Due soon and overdue, never years overdue.
      const plans = await queryRows<{ status: string; review_due_on: string | null; fund_year: number }>(
        ctx,
        sql`select status, review_due_on, fund_year from plan where status = 'submitted' order by review_due_on`,
      );
      expect(plans.every((p) => p.fund_year === fundYear)).toBe(true);
      expect(plans.some((p) => p.review_due_on! >= today)).toBe(true);
      expect(plans.some((p) => p.review_due_on! < today)).toBe(true);
      const rounds = await queryRows<{ due_on: string }>(ctx, sql`select due_on from evaluation_round where fund_year = ${fundYear}`);
      expect(rounds.length).toBeGreaterThan(0);
      for (const r of rounds) expect(r.due_on >= addDays(today, -366), `due ${r.due_on}`).toBe(true);

      // The console opens on the demo's fund year, and its accounts see their work.
      expect((await ctx.app.inject({ method: 'GET', url: '/api/clock' })).json()).toEqual({ today, fundYear });
      const city = await loginAs(ctx.app, 'city');
      const dashboard = await city.get(`/api/dashboard?fundYear=${fundYear}`);
      expect(dashboard.statusCode, dashboard.body).toBe(200);
      const [submitted] = await queryRows<{ street_code: string }>(
        ctx,
        sql`select street_code from plan where status = 'submitted' and review_due_on >= ${today} limit 1`,
      );
      const street = await loginAs(ctx.app, `street-${submitted!.street_code}`);
      const todo = (await street.get('/api/todo')).json().items as { kind: string; workdaysLeft: number | null }[];
      expect(todo.find((i) => i.kind === 'plan_review')?.workdaysLeft).toBeGreaterThanOrEqual(0);
      const portal = await ctx.app.inject({ method: 'GET', url: '/api/public/portal/city' });
      expect(portal.statusCode).toBe(200);
      expect(portal.json().fundYear).toBe(fundYear);

      // And it keeps every business rule `npm run verify` checks.
      const report = await verifyAll(ctx.database.db);
      expect(report.checks.filter((c) => !c.ok)).toEqual([]);
    } finally {
      await ctx.close();
    }
  });
});

describe('the demo fund year', () => {
  it('follows the date: the current year from 1 August, the previous one before', () => {
    expect(demoFundYear('2026-12-07')).toBe(2026);
    expect(demoFundYear('2026-08-01')).toBe(2026);
    expect(demoFundYear('2026-07-31')).toBe(2025);
    expect(demoFundYear('2027-01-01')).toBe(2026);
  });
});
