import { describe, expect, it } from 'vitest';
import { signIn, useE2E } from './harness.js';
import { confirmModal } from './confirm-helper.js';

const e2e = useE2E();

describe('the appropriation in the console [N 1]', () => {
  it('lets city finance confirm 2023 and then shows ¥30,000,000.00 allocated in the fund view', async () => {
    const { context, page } = await e2e.newPage();
    await signIn(page, 'finance');
    await page.goto('/allocations');
    await expect.poll(() => page.getByText('待确认').first().isVisible()).toBe(true);
    await expect.poll(() => page.getByText('¥30,000,000.00').first().isVisible()).toBe(true);
    await page
      .getByRole('button', { name: /确认下达/ })
      .first()
      .click();
    // The confirmation modal states the amount and the clause, then asks again; confirm there.
    await expect.poll(async () => (await page.getByTestId('confirm-amount').textContent()) ?? '').toBe('¥30,000,000.00');
    await expect.poll(async () => (await page.getByTestId('confirm-clause').textContent()) ?? '').toBe('[N 1]');
    await confirmModal(page, '确认下达');
    await expect
      .poll(() =>
        page
          .getByText(/新记入 350 笔/)
          .first()
          .isVisible(),
      )
      .toBe(true);
    await expect.poll(() => page.getByText('已确认下达').first().isVisible()).toBe(true);

    await page.goto('/funds/2023/2101');
    await expect.poll(() => page.getByText('和平区').first().isVisible()).toBe(true);
    await expect.poll(() => page.getByText('¥30,000,000.00').first().isVisible()).toBe(true);
    await context.close();
  });

  it('shows the city bureau the rating import with its template', async () => {
    const { context, page } = await e2e.newPage();
    await signIn(page, 'city');
    await page.goto('/ratings');
    await expect.poll(() => page.getByText('下载模板（Excel）').first().isVisible()).toBe(true);
    await expect
      .poll(() =>
        page
          .getByText(/5星 50 \/ 名额 50/)
          .first()
          .isVisible(),
      )
      .toBe(true);
    await context.close();
  });
});
