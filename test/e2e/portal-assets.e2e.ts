import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useE2E } from './harness.js';

/**
 * The residents' pages load none of the console's code (ADR 0019): the server answers /portal/** and
 * /r/… with portal.html, whose scripts never reach the console's entry (layout, menu, route table),
 * echarts or the console pages; the portal's own pages and the needs answer page load no Ant Design at all. Scripts come
 * brotli-compressed and cached as immutable. Sizes and timings are measured by `npm run bench -- --only web`,
 * not asserted here.
 */
const e2e = useE2E();

const COMMUNITY = '210102001001'; // 和睦社区: the demo seed leaves its 2026 campaign open

/** The console entry's script, as the build named it (dist/web/index.html). */
const consoleEntry = /src="(\/assets\/index-[^"]+\.js)"/.exec(fs.readFileSync('dist/web/index.html', 'utf8'))?.[1];
const CONSOLE_ONLY = [/\/assets\/EChart-/, /\/assets\/AppLayout-/, /\/assets\/(City)?DashboardPage-/, /\/assets\/LoginPage-/];

interface ScriptLoad {
  url: string;
  encoding: string | null;
  cacheControl: string | null;
}

/** Records every script the page loads, with its Content-Encoding and Cache-Control. */
function recordScripts(page: Page): ScriptLoad[] {
  const scripts: ScriptLoad[] = [];
  page.on('response', (response) => {
    if (response.request().resourceType() !== 'script') return;
    const headers = response.headers();
    scripts.push({
      url: new URL(response.url()).pathname,
      encoding: headers['content-encoding'] ?? null,
      cacheControl: headers['cache-control'] ?? null,
    });
  });
  return scripts;
}

function expectNoConsoleCode(scripts: ScriptLoad[]) {
  expect(consoleEntry).toBeTruthy();
  const urls = scripts.map((s) => s.url);
  expect(urls).not.toContain(consoleEntry);
  for (const pattern of CONSOLE_ONLY) expect(urls.filter((u) => pattern.test(u))).toEqual([]);
  for (const s of scripts) {
    expect(s.encoding, s.url).toBe('br');
    expect(s.cacheControl, s.url).toBe('public, max-age=31536000, immutable');
  }
}

describe("residents' pages load only the portal entry", () => {
  it('the portal home and a community page, on a phone: no console chunk, no Ant Design, brotli and immutable', async () => {
    const { context, page } = await e2e.newPage({ width: 390, height: 844 });
    const scripts = recordScripts(page);
    const home = await page.goto('/portal');
    expect(home?.headers()['cache-control']).toBe('no-cache');
    expect(await page.title()).toContain('信息公开');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).innerText()).toContain('沈阳市');
    await page.goto(`/portal/c/${COMMUNITY}`);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).innerText()).toBe('和睦社区');

    expect(scripts.length).toBeGreaterThan(0);
    expect(scripts.some((s) => /\/assets\/portal-[^/]+\.js$/.test(s.url))).toBe(true);
    expectNoConsoleCode(scripts);
    // The portal's own pages are plain markup: Ant Design's provider never loads.
    expect(scripts.filter((s) => /AntdProvider-/.test(s.url))).toEqual([]);
    await context.close();
  });

  it('the needs answer page (plain markup form) loads no Ant Design chunk and no console chunk', async () => {
    const staff = await e2e.api(`community-${COMMUNITY}`);
    const campaigns = await staff.get<{ items: { id: number; status: string }[] }>(`/needs/campaigns?communityCode=${COMMUNITY}`);
    const campaign = campaigns.items.find((c) => c.status === 'open')!;
    const { context, page } = await e2e.newPage({ width: 390, height: 844 });
    const scripts = recordScripts(page);
    await page.goto(`/r/${campaign.id}`);
    await expect.poll(() => page.getByLabel('户号', { exact: true }).count()).toBe(1);
    expectNoConsoleCode(scripts);
    // Issue 19: the answer page is written in the portal's plain markup: neither Ant Design's provider
    // nor any chunk carrying antd's components loads.
    expect(scripts.filter((s) => /AntdProvider-|PublicTheme-/.test(s.url))).toEqual([]);
    // Every antd component needs antd's CSS-in-JS runtime: no script this page loads carries it.
    const withAntd = scripts.filter((s) => fs.readFileSync(`dist/web${s.url}`, 'utf8').includes('data-ant-cssinjs'));
    expect(withAntd.map((s) => s.url)).toEqual([]);
    await context.close();
  });

  it('a link from the portal to the console (工作人员登录) loads the console entry', async () => {
    const { context, page } = await e2e.newPage({ width: 390, height: 844 });
    const scripts = recordScripts(page);
    await page.goto('/portal');
    await page.getByRole('link', { name: '工作人员登录' }).click();
    await page.waitForURL((url) => url.pathname === '/login');
    await expect.poll(() => page.getByLabel('用户名').count()).toBe(1);
    expect(scripts.map((s) => s.url)).toContain(consoleEntry);
    await context.close();
  });
});
