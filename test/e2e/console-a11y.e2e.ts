import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { axeViolations } from './axe.js';
import { signIn, useE2E } from './harness.js';

/**
 * axe-core, WCAG 2.1 A/AA (issue 19): no serious or critical violation on the console's login page,
 * the city's dashboard, and plan detail (plan 1, which fails compliance, and a filed plan).
 */
const e2e = useE2E({ STARFUND_NOW: '2026-12-07' });

/** Waits until the page's data is in (no spinner, no request for a while) and tag colours have settled. */
async function settled(page: Page, selector: string): Promise<void> {
  await page.waitForSelector(selector);
  await page.waitForLoadState('networkidle');
  await expect.poll(() => page.locator('.ant-spin-spinning, .ant-skeleton-active').count()).toBe(0);
  // Colour transitions (Ant Design's tags fade in) end before axe reads the colours.
  const finiteAnimations = 'document.getAnimations().filter((a) => a.effect?.getTiming().iterations !== Infinity).length';
  await expect.poll(() => page.evaluate(finiteAnimations)).toBe(0);
}

describe('console accessibility (axe-core WCAG 2.1 AA)', () => {
  it('the login page has no serious or critical violation', async () => {
    const { context, page } = await e2e.newPage();
    try {
      await page.goto('/login');
      await settled(page, 'form');
      expect(await axeViolations(page, 'login')).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('the city dashboard and plan detail (a failing plan and a filed one) have no serious or critical violation', async () => {
    const api = await e2e.api('city');
    const plans = await api.get<{ items: { id: number; status: string; kind: string }[] }>('/plans');
    const filed = plans.items.find((p) => p.status === 'filed' && p.kind === 'community');
    expect(filed).toBeDefined();
    const { context, page } = await e2e.newPage();
    try {
      await signIn(page, 'city');
      await page.goto('/city-dashboard');
      await settled(page, '.ant-statistic');
      const found = await axeViolations(page, 'city dashboard');
      for (const id of [1, filed!.id]) {
        await page.goto(`/plans/${id}`);
        await settled(page, '[data-rule]');
        found.push(...(await axeViolations(page, `plan ${id}`)));
      }
      expect(found).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
