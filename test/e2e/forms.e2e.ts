import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { signIn, useE2E } from './harness.js';

const e2e = useE2E();

const HEMU = '210102001001'; // 和睦社区: the demo seed leaves its 2026 campaign open
const STREET = '210102001';

/** Fails the test on any browser dialog (prompt, confirm, alert): input belongs in a Modal form. */
function forbidDialogs(page: Page): string[] {
  const seen: string[] = [];
  page.on('dialog', (d) => {
    seen.push(`${d.type()}: ${d.message()}`);
    void d.dismiss();
  });
  return seen;
}

const addDays = (iso: string, days: number) => {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};

describe('Ant Design forms in the console', () => {
  it('the city bureau and a district bureau land on their 工作台 after login; a street office on its home page', async () => {
    const { context, page } = await e2e.newPage();
    await signIn(page, 'city');
    expect(new URL(page.url()).pathname).toBe('/city-dashboard');
    await expect.poll(() => page.getByRole('heading', { name: /工作台/ }).isVisible()).toBe(true);
    await expect.poll(() => page.getByRole('img', { name: '流程漏斗' }).isVisible()).toBe(true);
    await context.close();

    const district = await e2e.newPage();
    await signIn(district.page, 'district-210115');
    expect(new URL(district.page.url()).pathname).toBe('/city-dashboard');
    await district.context.close();

    const street = await e2e.newPage();
    await signIn(street.page, `street-${STREET}`);
    expect(new URL(street.page.url()).pathname).toBe('/');
    await street.context.close();
  });

  it('a community opens a campaign: its community picked by name in the region picker, both dates set in DatePickers, and the server stores them', async () => {
    const city = await e2e.api('city');
    const campaigns = await city.get<{ items: { communityCode: string }[] }>('/needs/campaigns');
    const taken = new Set(campaigns.items.map((c) => c.communityCode));
    const street = await city.get<{ children: { code: string; name: string }[] }>(`/regions/${STREET}`);
    const community = street.children.find((c) => !taken.has(c.code))!;
    expect(community).toBeDefined();
    const { today } = await city.get<{ today: string }>('/clock');
    const opensOn = today;
    const closesOn = addDays(today, 20);

    const { context, page } = await e2e.newPage();
    const dialogs = forbidDialogs(page);
    await signIn(page, `community-${community.code}`);
    await page.goto('/needs');
    await page.getByRole('button', { name: /发起征集/ }).click();
    const dialog = page.getByRole('dialog');
    await expect.poll(() => dialog.isVisible()).toBe(true);

    // The community is chosen by its name (cleared first, so the choice is the test's).
    const picker = dialog.locator('.ant-form-item', { has: page.getByText('社区', { exact: true }) }).locator('.ant-select');
    await picker.hover();
    await picker.locator('.ant-select-clear').click();
    await picker.click();
    await page.keyboard.type(community.name);
    await page.locator('.ant-select-tree-node-content-wrapper', { hasText: community.name }).first().click();
    await expect.poll(() => picker.innerText()).toContain(community.name);

    // Both dates through the DatePicker (typed as a person would, confirmed with Enter).
    for (const [label, date] of [
      ['开始日期', opensOn],
      ['截止日期', closesOn],
    ] as const) {
      const input = dialog.getByLabel(label, { exact: true });
      await input.click();
      await input.fill(date);
      await input.press('Enter');
      await expect.poll(() => input.inputValue()).toBe(date);
    }
    await dialog.getByRole('button', { name: /确\s*定|OK/ }).click();
    await page.waitForURL(/\/needs\/\d+$/);
    const id = Number(new URL(page.url()).pathname.split('/').pop());

    const staff = await e2e.api(`community-${community.code}`);
    const stored = (await staff.get<{ campaign: { communityCode: string; opensOn: string; closesOn: string } }>(`/needs/campaigns/${id}`))
      .campaign;
    expect(stored).toMatchObject({ communityCode: community.code, opensOn, closesOn });
    expect(dialogs).toEqual([]);
    await context.close();
  });

  it('the opinion list is searched by 户号, and 筛除理由 is entered in a Modal form (no browser dialog)', async () => {
    const staff = await e2e.api(`community-${HEMU}`);
    const campaign = (await staff.get<{ items: { id: number; status: string }[] }>(`/needs/campaigns?communityCode=${HEMU}`)).items.find(
      (c) => c.status === 'open',
    )!;
    const all = await staff.get<{ total: number; items: { householdNo: string }[] }>(`/needs/campaigns/${campaign.id}/opinions?limit=500`);
    expect(all.total).toBeGreaterThan(20);
    const wanted = all.items[all.items.length - 1]!.householdNo;
    const expected = all.items.filter((o) => o.householdNo.includes(wanted)).length;

    const { context, page } = await e2e.newPage();
    const dialogs = forbidDialogs(page);
    await signIn(page, `community-${HEMU}`);
    await page.goto(`/needs/${campaign.id}`);
    await page.getByRole('tab', { name: /意见/ }).click();
    const rows = page.getByTestId('opinion-table').locator('tbody tr.ant-table-row');
    await expect.poll(() => rows.count()).toBe(20);
    const search = page.getByLabel('按户号搜索意见');
    await search.fill(wanted);
    await search.press('Enter');
    await expect.poll(() => rows.count()).toBe(expected);
    for (const text of await rows.allInnerTexts()) expect(text).toContain(wanted);

    // A proposal added through the labelled form, then screened out with a reason typed in a Modal.
    await page.getByRole('tab', { name: '提案与项目清单' }).click();
    const title = '端到端测试：楼道照明改造';
    await page.getByLabel('提案名称').fill(title);
    await page.getByRole('button', { name: /新\s*增/ }).click();
    const row = page.locator('tr', { hasText: title });
    await expect.poll(() => row.isVisible()).toBe(true);
    await row.getByRole('button', { name: /筛\s*除/ }).click();
    const modal = page.getByRole('dialog');
    await expect.poll(() => modal.isVisible()).toBe(true);
    const confirm = modal.getByRole('button', { name: '确认筛除' });
    expect(await confirm.isDisabled()).toBe(true);
    await modal.getByLabel('筛除理由').fill('不属于本年度奖补范围（端到端测试）');
    await confirm.click();
    await expect.poll(() => modal.count()).toBe(0);
    await expect.poll(() => row.getByText('筛除理由：不属于本年度奖补范围（端到端测试）').isVisible()).toBe(true);

    const proposals = await staff.get<{ items: { title: string; status: string; screenReason: string | null }[] }>(
      `/needs/campaigns/${campaign.id}/proposals`,
    );
    expect(proposals.items.find((p) => p.title === title)).toMatchObject({
      status: 'rejected',
      screenReason: '不属于本年度奖补范围（端到端测试）',
    });
    expect(dialogs).toEqual([]);
    await context.close();
  });

  it('a detail page shows breadcrumbs from the route titles, leading back to its list', async () => {
    const { context, page } = await e2e.newPage();
    await signIn(page, 'city');
    await page.goto('/plans/1');
    const crumbs = page.getByTestId('page-breadcrumb');
    await expect.poll(() => crumbs.isVisible()).toBe(true);
    const text = await crumbs.innerText();
    expect(text).toContain('首页');
    expect(text).toContain('使用方案与备案');
    await crumbs.getByRole('link', { name: '使用方案与备案' }).click();
    await page.waitForURL((url) => url.pathname === '/plans');
    await context.close();
  });
});
