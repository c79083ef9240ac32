import { describe, expect, it } from 'vitest';
import { signIn, useE2E } from './harness.js';
import { confirmDialog, confirmModal } from './confirm-helper.js';
import { DEMO_WALK } from '../../server/src/seed/demo-walk.js';

const e2e = useE2E();

/** The demo's failing draft plan (/plans/1) and its community (demo-decisions.ts: ready for review, three projects decided). */
const FAILING_PLAN_COMMUNITY = '210112019004';

interface PaymentRequest {
  id: number;
  status: string;
  amountFen: number;
}
const yuan = (fen: number) => `¥${Math.trunc(fen / 100).toLocaleString('en-US')}.${String(fen % 100).padStart(2, '0')}`;

describe('irreversible actions ask first; the failing plan leads to compliance (issue 19)', () => {
  it('批准拨付: the modal states the amount and the clause; Cancel sends nothing, OK pays', async () => {
    const api = await e2e.api(DEMO_WALK.paymentStreet.username);
    const waiting = async () =>
      (await api.get<{ items: PaymentRequest[] }>('/payment-requests?status=requested')).items.filter((r) => r.status === 'requested');
    const [request] = await waiting();
    expect(request, 'a demo payment request waits for the street').toBeDefined();

    const { context, page } = await e2e.newPage();
    await signIn(page, DEMO_WALK.paymentStreet.username);
    await page.goto('/payments');
    const approve = page.getByRole('button', { name: '批准拨付' }).first();
    await expect.poll(() => approve.isVisible()).toBe(true);
    await approve.click();
    await expect.poll(async () => (await page.getByTestId('confirm-amount').textContent()) ?? '').toBe(yuan(request!.amountFen));
    await expect.poll(async () => (await page.getByTestId('confirm-clause').textContent()) ?? '').toBe('[N 3.3]');
    await expect.poll(async () => (await confirmDialog(page).textContent()) ?? '').toContain('此操作不可撤销');

    // Cancel: nothing is sent, the request still waits.
    await confirmDialog(page)
      .getByRole('button', { name: /取\s*消/ })
      .click();
    await expect.poll(() => confirmDialog(page).count()).toBe(0);
    expect((await waiting()).map((r) => r.id)).toContain(request!.id);

    // OK: the payment is approved.
    await approve.click();
    await confirmModal(page, '批准拨付');
    await expect.poll(async () => (await waiting()).map((r) => r.id).includes(request!.id)).toBe(false);
    await context.close();
  });

  it('/plans/1 shows each fix, links to reopening the decision, and disables submit with the reason', async () => {
    const { context, page } = await e2e.newPage();
    await signIn(page, `community-${FAILING_PLAN_COMMUNITY}`);
    await page.goto('/plans/1');
    await expect.poll(() => page.getByTestId('compliance-panel').isVisible()).toBe(true);
    // Basic projects come from the catalogue, no decision needed.
    await expect.poll(() => page.getByTestId('fix-add-B2').isVisible()).toBe(true);
    await expect.poll(() => page.getByTestId('fix-add-B3').isVisible()).toBe(true);
    // The decided list is too short: the council must decide more, linked.
    const reopen = page.getByTestId('fix-reopen-decision');
    await expect.poll(() => reopen.isVisible()).toBe(true);
    await expect.poll(async () => (await reopen.textContent()) ?? '').toContain('居民议事会');
    expect(await page.getByTestId('fix-decision-link').getAttribute('href')).toMatch(/^\/decisions\/\d+$/);
    // Submit disabled, with the reason.
    await expect.poll(() => page.getByRole('button', { name: '提交街道初审' }).isDisabled()).toBe(true);
    await expect.poll(async () => (await page.getByTestId('submit-reason').textContent()) ?? '').toContain('未通过');
    // Adding B2 from the fix puts it in the editor (unsaved).
    await page.getByTestId('fix-add-B2').click();
    await expect.poll(() => page.getByText('有未保存的修改', { exact: true }).isVisible()).toBe(true);
    await context.close();
  });

  it('the decision page reopens the decision for more projects after a confirmation naming the new round and notice', async () => {
    const { context, page } = await e2e.newPage();
    await signIn(page, `community-${FAILING_PLAN_COMMUNITY}`);
    await page.goto('/plans/1');
    await expect
      .poll(async () => (await page.getByTestId('fix-reopen-decision').textContent()) ?? '')
      .toContain('重新提交议事会表决（增补项目）');
    await page.getByTestId('fix-decision-link').click();
    const button = page.getByTestId('reopen-decision');
    await expect.poll(() => button.isVisible()).toBe(true);
    await button.click();
    await expect.poll(async () => (await confirmDialog(page).textContent()) ?? '').toContain('将开启第 2 轮表决，须重新公示 10 日');
    // Cancel sends nothing: the button is still offered.
    await confirmDialog(page)
      .getByRole('button', { name: '取 消' })
      .or(confirmDialog(page).getByRole('button', { name: '取消' }))
      .click();
    await expect.poll(() => confirmDialog(page).count()).toBe(0);
    await expect.poll(() => button.isVisible()).toBe(true);
    await button.click();
    await confirmModal(page, '重新提交');
    await expect.poll(() => page.getByRole('button', { name: '议事会重新表决（增补项目）' }).isVisible()).toBe(true);
    await expect.poll(() => button.count()).toBe(0);
    await context.close();
  });
});
