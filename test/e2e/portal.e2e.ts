import { describe, expect, it } from 'vitest';
import { expectNoAxeViolations } from './axe.js';
import { signIn, useE2E } from './harness.js';

const e2e = useE2E();

/** axe-core in the page: no serious or critical violation. */
const axe = expectNoAxeViolations;

const api = async <T>(path: string): Promise<T> => (await fetch(`${e2e.baseUrl}${path}`)).json() as Promise<T>;

describe('public portal in the browser [N 4.2]', () => {
  it('walks from the login page to the city, down to a community and one project, to its payment; every page passes axe', async () => {
    const payments = await api<{ rows: { community_code: string; contract_ref: string; amount_fen: number }[] }>(
      '/api/public/open-data/2026/payments.json',
    );
    const paid = payments.rows[0]!;
    const code = paid.community_code;
    const { context, page } = await e2e.newPage({ width: 390, height: 844 });

    await page.goto('/login');
    await page.getByRole('link', { name: /信息公开/ }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).innerText()).toContain('沈阳市');
    await axe(page, 'city');

    const community = await api<{ ancestors: { code: string; name: string; level: string }[]; community: { name: string } }>(
      `/api/public/portal/communities/${code}?year=2026`,
    );
    const district = community.ancestors.find((a) => a.level === 'district')!;
    const street = community.ancestors.find((a) => a.level === 'street')!;
    await page.getByRole('link', { name: district.name, exact: true }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).innerText()).toBe(district.name);
    await axe(page, 'district');
    await page.getByRole('link', { name: street.name, exact: true }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).innerText()).toBe(street.name);
    await axe(page, 'street');
    await page.getByRole('link', { name: community.community.name, exact: true }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).innerText()).toBe(community.community.name);
    await expect.poll(() => page.getByTestId('current-step').innerText()).toMatch(/项目实施|资金拨付|评估完成/);
    await expect.poll(() => page.getByText(paid.contract_ref).first().isVisible()).toBe(true);
    await axe(page, 'community');

    // Large-text mode for older residents: the text grows and the setting is announced.
    const before = await page.evaluate<number>("parseFloat(getComputedStyle(document.querySelector('.portal')).fontSize)");
    await page.getByRole('button', { name: '大字模式' }).click();
    await expect
      .poll(() => page.evaluate<number>("parseFloat(getComputedStyle(document.querySelector('.portal')).fontSize)"))
      .toBeGreaterThan(before);
    await expect.poll(() => page.getByRole('button', { name: '标准字号' }).getAttribute('aria-pressed')).toBe('true');
    await axe(page, 'community (large text)');

    // One project of the filed plan, to its payment.
    const contracts = await api<{ rows: { ref: string; project_ids: string }[] }>('/api/public/open-data/2026/contracts.json');
    const projectId = Number(contracts.rows.find((c) => c.ref === paid.contract_ref)!.project_ids.split(';')[0]);
    await page.locator(`a[href="/portal/p/${projectId}"]`).click();
    await expect.poll(() => page.getByTestId('project-payments').innerText()).toContain('拨付第 1 期');
    await axe(page, 'project');
    await context.close();
  });

  it('search, open data and the verifiable record pages pass axe and work by keyboard', async () => {
    const { context, page } = await e2e.newPage();
    await page.goto('/portal');
    await expect.poll(() => page.getByLabel('社区名称').isVisible()).toBe(true);
    // Keyboard: the skip link comes first.
    await page.keyboard.press('Tab');
    await expect.poll(() => page.evaluate<string | null>('document.activeElement && document.activeElement.textContent')).toBe('跳到正文');
    await page.getByLabel('社区名称').fill('社区');
    await page.getByLabel('社区名称').press('Enter');
    await expect.poll(() => page.getByRole('heading', { level: 2 }).first().innerText()).toMatch(/找到 \d+ 个社区/);
    await axe(page, 'search');

    await page.goto('/portal/open-data');
    await expect.poll(() => page.getByRole('link', { name: '2026 年度服务合同 CSV' }).isVisible()).toBe(true);
    await axe(page, 'open data');

    await page.goto('/portal/record');
    await expect.poll(() => page.locator('.portal-hash').count()).toBeGreaterThan(0);
    const head = await api<{ days: { headHash: string }[] }>('/api/public/audit/daily-heads');
    expect(await page.locator('.portal-hash').first().innerText()).toBe(head.days[0]!.headHash);
    await axe(page, 'record');
    await context.close();
  });

  it('the street sees the community that skipped its contract disclosure flagged in its monitor', async () => {
    const contracts = await api<{ rows: { community_code: string }[] }>('/api/public/open-data/2026/contracts.json');
    const skipped = contracts.rows.map((r) => r.community_code).sort()[0]!;
    const { context, page } = await e2e.newPage();
    await signIn(page, `street-${skipped.slice(0, 9)}`);
    await page.goto('/disclosure');
    const row = page.getByTestId('disclosure-monitor').locator(`tr[data-row-key="${skipped}"]`);
    await expect.poll(() => row.innerText()).toContain('服务合同：未公开');
    await context.close();
  });
});
