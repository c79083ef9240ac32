import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { demoPng } from '../../server/src/seed/demo-procurement.js';
import { signIn, useE2E } from './harness.js';
import { confirmModal } from './confirm-helper.js';

const e2e = useE2E();

const fen = (text: string) => Number(text.replace(/[¥,.]/g, ''));
const figures = async (page: Page) => ({
  available: fen(await page.getByTestId('community-available').innerText()),
  paid: fen(await page.getByTestId('community-paid').innerText()),
});

describe('delivery and disbursement in the console [N 3.1.3(2)], [N 3.3]', () => {
  it("a provider records an activity with a photo and requests an instalment; the street approves; the community's figures move", async () => {
    // The seeded third contract of provider-1: its on-signing instalment is still open.
    const { context, page } = await e2e.newPage();
    await signIn(page, 'provider-1');
    await page.goto('/contracts');
    await page.getByRole('link', { name: 'HT2026-000003' }).click();
    await expect.poll(() => page.getByText('分期付款').first().isVisible()).toBe(true);
    const before = await figures(page);
    expect(before.available).toBeGreaterThan(0);
    const contractUrl = page.url();

    // An activity with a photo.
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    await page.getByLabel('日期').fill(today);
    await page.getByLabel('日期').press('Enter');
    await page.getByLabel('地点', { exact: true }).fill('社区党群服务中心');
    await page.getByLabel('内容', { exact: true }).fill('端到端测试：邻里互助活动');
    await page.getByLabel('参与人数').fill('25');
    await page.locator('input[type=file]').setInputFiles({ name: '活动现场.png', mimeType: 'image/png', buffer: demoPng(7) });
    await page.getByRole('button', { name: '登记活动' }).click();
    await expect.poll(() => page.getByText('端到端测试：邻里互助活动').first().isVisible()).toBe(true);
    await expect.poll(() => page.locator('img[alt="活动现场.png"]').count()).toBe(1);

    // The on-signing instalment.
    await page.getByRole('button', { name: '申请拨付' }).first().click();
    await confirmModal(page, '申请拨付');
    await expect.poll(() => page.getByText('待审批').first().isVisible()).toBe(true);
    await context.close();

    // The street office approves.
    const street = await e2e.newPage();
    await signIn(street.page, 'street-210115001');
    await street.page.goto('/payments');
    const row = street.page.getByRole('row', { name: /HT2026-000003/ });
    await expect.poll(() => row.isVisible()).toBe(true);
    await row.getByRole('button', { name: '批准拨付' }).click();
    await confirmModal(street.page, '批准拨付');
    await expect.poll(() => street.page.getByText('已批准，资金已拨付').first().isVisible()).toBe(true);

    await street.page.goto(new URL(contractUrl).pathname);
    await expect.poll(() => street.page.getByText('已拨付').first().isVisible()).toBe(true);
    const after = await figures(street.page);
    expect(after.paid).toBeGreaterThan(before.paid);
    expect(after.available).toBe(before.available);
    await street.context.close();
  });

  it('the street office ends a contract from a dialog that states the amounts and needs a reason; the unpaid commitment returns to the community', async () => {
    const { context, page } = await e2e.newPage();
    await signIn(page, 'street-210115001');
    await page.goto('/contracts');
    await page.getByRole('link', { name: 'HT2026-000003' }).click();
    await expect.poll(() => page.getByText('分期付款').first().isVisible()).toBe(true);
    const before = await figures(page);

    await page.getByRole('button', { name: '终止合同' }).click();
    const dialog = page.getByRole('dialog');
    await expect
      .poll(() => dialog.getByText(/合同金额 .* 元，已拨付 .* 元。终止后未拨付的 .* 元占用释放回社区可用资金/).isVisible())
      .toBe(true);
    const confirm = dialog.getByRole('button', { name: '确认终止' });
    expect(await confirm.isDisabled()).toBe(true);
    await dialog.getByLabel('终止理由（将记入审计日志）').fill('端到端测试：承接主体无法继续履约');
    await confirm.click();
    await expect.poll(() => dialog.count()).toBe(0);
    await expect.poll(() => page.getByText('已终止').first().isVisible()).toBe(true);
    await expect.poll(async () => (await figures(page)).available).toBeGreaterThan(before.available);
    await context.close();
  });
});
