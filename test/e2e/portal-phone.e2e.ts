import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { expectNoAxeViolations } from './axe.js';
import { useE2E } from './harness.js';

/** The resident portal on a 390 × 844 phone (issue 19), with the address posters print set by PUBLIC_BASE_URL. */
const PUBLIC_BASE_URL = 'https://starfund.example.cn/sy';
const e2e = useE2E({ PUBLIC_BASE_URL });
const PHONE = { width: 390, height: 844 };

/** 长江社区 (辽中区): nine filed projects with mid-term grades, the final round open on 2026-12-07. */
const COMMUNITY = '210115001004';
const DISTRICT = '210115';
/** 和睦社区: its 2026 needs campaign is open online. */
const OPEN_CAMPAIGN_COMMUNITY = '210102001001';

const api = async <T>(path: string): Promise<T> => (await fetch(`${e2e.baseUrl}${path}`)).json() as Promise<T>;
const noOverflow = (page: Page) => page.evaluate<boolean>('document.documentElement.scrollWidth <= 390');

describe('the resident portal on a phone [N 4.2]', () => {
  it('community page: contract cards, no horizontal scroll, evaluation lines name their project, progress over all projects; axe clean', async () => {
    // One of the nine final evaluations concluded, as the evaluator would.
    const district = await e2e.api(`district-${DISTRICT}`);
    const evaluator = await e2e.api('evaluator-1');
    const round = (await district.get(`/evaluation-rounds?fundYear=2026&kind=final`)).items.find(
      (r: { districtCode: string }) => r.districtCode === DISTRICT,
    );
    const assignment = (await district.get(`/evaluation-rounds/${round.id}`)).assignments.find(
      (a: { communityCode: string; status: string }) => a.communityCode === COMMUNITY && a.status === 'assigned',
    );
    await evaluator.post(`/evaluation-assignments/${assignment.id}/conclude`, {
      scores: ['R1', 'R2', 'R3', 'R4', 'R5', 'R6'].map((code) => ({ code, score: 90 })),
      conclusion: '服务按合同完成',
      problems: '',
    });
    const view = await api<{ plan: { projects: { title: string }[] }; contracts: { ref: string }[] }>(
      `/api/public/portal/communities/${COMMUNITY}?year=2026`,
    );
    const titles = view.plan.projects.map((p) => p.title);

    const { context, page } = await e2e.newPage(PHONE);
    await page.goto(`/portal/c/${COMMUNITY}?year=2026`);
    await expect.poll(() => page.getByTestId('current-step').innerText()).toBe('资金拨付');
    expect(await page.getByTestId('evaluation-progress').innerText()).toBe('9 个项目中 1 个完成终期评估');

    // Contracts as stacked cards, no table anywhere on the page, nothing wider than the phone.
    const contracts = page.locator('section[aria-labelledby="contracts-h"]');
    expect(await contracts.getByTestId('portal-cards').locator('> li').count()).toBe(view.contracts.length);
    expect(await contracts.getByText(view.contracts[0]!.ref).isVisible()).toBe(true);
    expect(await page.locator('table').count()).toBe(0);
    expect(await noOverflow(page)).toBe(true);

    // Ten lines, each "项目名 · 中期评估：优秀（2026-06-30）", no empty punctuation.
    const lines = await page.getByTestId('evaluation-line').allInnerTexts();
    expect(lines).toHaveLength(10);
    for (const line of lines) {
      expect(line).toMatch(/^(.+) · (中期|终期)评估：(优秀|良好|合格|不合格)（\d{4}-\d{2}-\d{2}）$/);
      expect(titles).toContain(line.split(' · ')[0]);
      expect(line).not.toMatch(/，）|（）/);
    }
    expect(lines.filter((l) => l.includes('终期评估'))).toHaveLength(1);
    await expectNoAxeViolations(page, 'community (phone)');

    // Large-text mode still fits the phone and passes axe.
    await page.getByRole('button', { name: '大字模式' }).click();
    await expect.poll(() => page.getByRole('button', { name: '标准字号' }).getAttribute('aria-pressed')).toBe('true');
    expect(await noOverflow(page)).toBe(true);
    await expectNoAxeViolations(page, 'community (phone, large text)');

    // From 576 px up the contracts are a table again.
    await page.setViewportSize({ width: 1024, height: 800 });
    await expect.poll(() => contracts.locator('table').count()).toBe(1);
    expect(await contracts.getByTestId('portal-cards').count()).toBe(0);
    await context.close();
  });

  it('portal home, opinion form and notice/objection page pass axe on a phone', async () => {
    const { context, page } = await e2e.newPage(PHONE);
    await page.goto('/portal');
    await expect.poll(() => page.getByLabel('社区名称').isVisible()).toBe(true);
    expect(await noOverflow(page)).toBe(true);
    await expectNoAxeViolations(page, 'portal home (phone)');

    const community = await api<{ needs: { link: string } }>(`/api/public/portal/communities/${OPEN_CAMPAIGN_COMMUNITY}?year=2026`);
    await page.goto(community.needs.link);
    await expect.poll(() => page.getByTestId('answer-submit').isVisible()).toBe(true);
    expect(await noOverflow(page)).toBe(true);
    await expectNoAxeViolations(page, 'opinion form (phone)');

    const notices = await api<{ rows: { status: string; url: string }[] }>('/api/public/open-data/2026/notices.json');
    const open = notices.rows.find((n) => n.status === 'open')!;
    await page.goto(open.url);
    await expect.poll(() => page.getByRole('button', { name: '提交异议' }).isVisible()).toBe(true);
    expect(await noOverflow(page)).toBe(true);
    await expectNoAxeViolations(page, 'notice and objection (phone)');
    // The printed notice's QR address is PUBLIC_BASE_URL, not the host the page was opened on.
    await expect.poll(() => page.locator('.notice-print-only').textContent()).toContain(`${PUBLIC_BASE_URL}${open.url}`);
    await context.close();
  });

  it("the QR poster encodes PUBLIC_BASE_URL, never the request's host", async () => {
    const community = await api<{ needs: { link: string } }>(`/api/public/portal/communities/${OPEN_CAMPAIGN_COMMUNITY}?year=2026`);
    expect(await api('/api/public/site')).toEqual({ publicBaseUrl: PUBLIC_BASE_URL });
    const { context, page } = await e2e.newPage();
    await page.goto(`${community.needs.link}/poster`);
    const qr = page.getByTestId('poster-qr');
    await expect.poll(() => qr.getAttribute('data-url')).toBe(`${PUBLIC_BASE_URL}${community.needs.link}`);
    expect(await qr.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    expect(await page.getByTestId('poster-url').innerText()).toBe(`${PUBLIC_BASE_URL}${community.needs.link}`);
    expect(e2e.baseUrl.startsWith(PUBLIC_BASE_URL)).toBe(false);
    await context.close();
  });
});
