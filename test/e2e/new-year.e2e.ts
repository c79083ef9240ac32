import { describe, expect, it } from 'vitest';
import { signIn, useE2E } from './harness.js';

/**
 * The real server started on 5 January 2027 (the application clock, STARFUND_NOW), before the
 * 2027 holiday notice is entered (ADR 0009): the demo seeds and serves fund year 2026 being
 * completed, the city is asked for the notice, due dates through 2027 are marked 暂定.
 */
const e2e = useE2E({ STARFUND_NOW: '2027-01-05T10:00:00+08:00' });

/** Fixtures read through the public API, checked by value. */
const api = async (username: string, path: string) => (await e2e.api(username)).get(path);

describe('the console on 5 January 2027, before the 2027 holiday notice is entered', () => {
  it('opens on fund year 2026 and asks the city for the 2027 notice; the 2027 calendar is shown as provisional', async () => {
    const clock = await (await fetch(`${e2e.baseUrl}/api/clock`)).json();
    expect(clock).toEqual({ today: '2027-01-05', fundYear: 2026 });
    const { context, page } = await e2e.newPage();
    await signIn(page, 'city');
    await page.goto('/todo');
    await expect.poll(() => page.getByText('录入 2027 年节假日安排').first().isVisible()).toBe(true);
    await page.goto('/calendar?year=2027');
    await expect.poll(() => page.getByTestId('calendar-provisional').first().isVisible()).toBe(true);
    await expect.poll(() => page.getByText('全国年节及纪念日放假办法').first().isVisible()).toBe(true);
    await context.close();
  });

  it('shows the street its review due date through 2027 marked 暂定', async () => {
    const plans = (await api('city', '/plans?stage=review')).items as {
      id: number;
      reviewDueOn: string;
      reviewDueProvisional: boolean;
      streetCode?: string;
    }[];
    const provisional = plans.find((p) => p.reviewDueProvisional);
    expect(provisional, JSON.stringify(plans)).toBeTruthy();
    const detail = (await api('city', `/plans/${provisional!.id}`)).plan as { streetCode: string; reviewDueOn: string };
    expect(detail.reviewDueOn >= '2027-01-05').toBe(true);
    const { context, page } = await e2e.newPage();
    await signIn(page, `street-${detail.streetCode}`);
    await page.goto('/todo');
    await expect.poll(() => page.getByText(detail.reviewDueOn).first().isVisible()).toBe(true);
    await expect.poll(() => page.getByTestId('provisional-tag').first().isVisible()).toBe(true);
    await context.close();
  });

  it('shows residents the 2026 fund on the portal', async () => {
    const { context, page } = await e2e.newPage({ width: 390, height: 844 });
    await page.goto('/portal');
    await expect.poll(() => page.getByText('2026').first().isVisible()).toBe(true);
    await context.close();
  });
});
