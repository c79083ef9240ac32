import { describe, expect, it } from 'vitest';
import { signIn, useE2E } from './harness.js';
import { confirmModal } from './confirm-helper.js';

const e2e = useE2E();

// 永安东社区: the demo seed concludes its 2026 needs campaign with a draft list and a council roster.
const COMMUNITY = '210112009001';

const staffApi = () => e2e.api(`community-${COMMUNITY}`);

describe('council decision, public notice and an objection [N 3.1.2(1)]', () => {
  it('staff record the procedure and the council vote, the notice is public, a representative objects from a phone', async () => {
    const api = await staffApi();
    const campaigns = await api<{ items: { id: number; status: string }[] }>('GET', `/needs/campaigns?communityCode=${COMMUNITY}`);
    const campaign = campaigns.items[0]!;
    await api('POST', `/needs/campaigns/${campaign.id}/ready`, {});

    const { context, page } = await e2e.newPage();
    await signIn(page, `community-${COMMUNITY}`);
    await page.goto('/decisions');
    await page.getByPlaceholder('需求征集编号').fill(String(campaign.id));
    await page.getByRole('button', { name: '启动决策程序' }).click();
    await page.waitForURL(/\/decisions\/\d+$/);

    // The four preparatory steps of the major-matters procedure, in order [N 3].
    for (let i = 0; i < 4; i++) {
      await page.getByRole('button', { name: '记录步骤' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel('应到').fill('13');
      await dialog.getByLabel('实到').fill('11');
      await dialog.getByLabel('会议纪要').fill(`第 ${i + 1} 步会议纪要`);
      await dialog.getByRole('button', { name: /确\s*定|OK/ }).click();
      await expect.poll(() => dialog.count()).toBe(0);
    }

    // The council: 8 of its 13 members present (a quorum), every project passed 8–0–0.
    await page.getByRole('button', { name: '录入表决' }).click();
    const vote = page.getByRole('dialog');
    const members = vote.getByRole('checkbox');
    await expect.poll(() => members.count()).toBeGreaterThanOrEqual(8);
    for (let i = 0; i < 8; i++) await members.nth(i).check();
    const rows = vote.locator('tbody tr');
    for (let i = 0; i < (await rows.count()); i++) await rows.nth(i).locator('input').first().fill('8');
    await vote.getByPlaceholder('会议纪要').fill('逐项表决，全部通过');
    await vote.getByRole('button', { name: '保存并公示' }).click();
    await confirmModal(page, '保存并公示');
    await expect.poll(() => vote.count()).toBe(0);
    await expect.poll(() => page.getByText('第 1 次公示').isVisible()).toBe(true);
    const href = await page
      .getByRole('link', { name: /公示页/ })
      .first()
      .getAttribute('href');
    expect(href).toMatch(/^\/n\/\d+$/);
    await context.close();

    // A registered representative of the community objects on a phone, from the public notice.
    const roster = await api<{ members: { householdId: number; name: string; isRepresentative: boolean }[] }>(
      'GET',
      `/regions/${COMMUNITY}/roster`,
    );
    const rep = roster.members.find((m) => m.isRepresentative)!;
    const { household: h } = await api<{ household: { householdNo: string; headName: string; phone: string } }>(
      'GET',
      `/households/${rep.householdId}`,
    );

    const phone = await e2e.newPage({ width: 390, height: 844 });
    await phone.page.goto(href!);
    await expect.poll(() => phone.page.getByTestId('window-end').isVisible()).toBe(true);
    // The QR code to this page is part of the printable A4 notice.
    await expect.poll(() => phone.page.getByTestId('notice-qr').count()).toBe(1);
    await phone.page.getByLabel('户号', { exact: true }).fill(h.householdNo);
    await phone.page.getByLabel('户主姓名').fill(h.headName);
    await phone.page.getByLabel('登记手机号后四位').fill(h.phone.slice(-4));
    await phone.page.getByLabel(/居民代表姓名/).fill(rep.name);
    await phone.page.getByLabel('异议理由').fill('项目预算安排需再议');
    await phone.page.getByRole('button', { name: '提交异议' }).click();
    await expect.poll(() => phone.page.getByTestId('objection-done').isVisible()).toBe(true);
    await phone.page.reload();
    await expect.poll(() => phone.page.getByTestId('objector-count').textContent()).toMatch(/^.*1\s*\/\s*\d+/);
    await phone.context.close();
  });
});
