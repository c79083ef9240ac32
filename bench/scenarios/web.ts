import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type CDPSession, type Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../server/src/seed/seed.js';
import { startServer } from '../processes.js';
import { fmt, percentile, ratio, type BenchContext, type Check, type ResultRow } from './common.js';

/**
 * The front end on a phone (ADR 0019): the built web app (dist/web) served by the real server on the
 * demo city, driven by Chromium (playwright-core) under Lighthouse's mobile throttling, through the
 * DevTools protocol on the page:
 * - network (`Network.emulateNetworkConditions`): Lighthouse's "slow 4G / Fast 3G" preset as DevTools
 *   applies it — 150 ms RTT × 3.75 = 562.5 ms request latency, 1.6 Mbps × 0.9 = 1,474.56 Kbps down,
 *   750 Kbps × 0.9 = 675 Kbps up;
 * - CPU (`Emulation.setCPUThrottlingRate`) 4×; a 390×844 phone viewport; a cold cache each run.
 * Measured: the portal's first contentful paint (the `paint` performance entry, median of runs) and
 * largest contentful paint; the JavaScript bytes on the wire (`encodedDataLength` of every Script
 * response: compressed size plus headers) for the portal home, the residents' answer page and a cold
 * console login → dashboard. Each is measured twice in the same run: as a browser asks (brotli) and
 * with `Accept-Encoding: identity` (no compression), the before/after comparison.
 */

export const FAST_3G = {
  offline: false,
  latency: 150 * 3.75,
  downloadThroughput: (1.6 * 1024 * 0.9 * 1024) / 8,
  uploadThroughput: (750 * 0.9 * 1024) / 8,
};
export const CPU_SLOWDOWN = 4;
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const COMMUNITY = '210102001001'; // 和睦社区: the demo leaves its needs campaign open
const PORTAL_JS_TARGET = 200 * 1024;
const CONSOLE_JS_TARGET = 700 * 1024;

type Mode = 'br' | 'identity';

interface Visit {
  scriptBytes: number;
  scripts: { url: string; encoding: string | null; bytes: number }[];
  fcp: number;
  lcp: number;
  ms: number;
}

async function throttledPage(
  browser: Browser,
  baseUrl: string,
  mode: Mode,
): Promise<{ context: BrowserContext; page: Page; visit: () => Visit }> {
  const context = await browser.newContext({
    baseURL: baseUrl,
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
    ...(mode === 'identity' ? { extraHTTPHeaders: { 'Accept-Encoding': 'identity' } } : {}),
  });
  const page = await context.newPage();
  const cdp: CDPSession = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', FAST_3G);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
  const scripts = new Map<string, { url: string; encoding: string | null; bytes: number }>();
  cdp.on('Network.responseReceived', (e) => {
    if (e.type !== 'Script') return;
    const headers = Object.fromEntries(Object.entries(e.response.headers).map(([k, v]) => [k.toLowerCase(), String(v)]));
    scripts.set(e.requestId, { url: new URL(e.response.url).pathname, encoding: headers['content-encoding'] ?? null, bytes: 0 });
  });
  cdp.on('Network.loadingFinished', (e) => {
    const s = scripts.get(e.requestId);
    if (s) s.bytes = e.encodedDataLength;
  });
  const started = performance.now();
  return {
    context,
    page,
    visit: () => {
      const list = [...scripts.values()];
      return { scripts: list, scriptBytes: list.reduce((s, x) => s + x.bytes, 0), fcp: NaN, lcp: NaN, ms: performance.now() - started };
    },
  };
}

/** First and largest contentful paint of the page's navigation, in ms from its start. */
async function paints(page: Page): Promise<{ fcp: number; lcp: number }> {
  // A string, evaluated in the page: the browser's PerformanceObserver, not Node's.
  return page.evaluate<{ fcp: number; lcp: number }>(`new Promise((resolve) => {
    const fcp = performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN;
    let lcp = NaN;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) lcp = entry.startTime;
    }).observe({ type: 'largest-contentful-paint', buffered: true });
    setTimeout(() => resolve({ fcp, lcp }), 100);
  })`);
}

async function visitPublic(
  browser: Browser,
  baseUrl: string,
  mode: Mode,
  url: string,
  ready: (page: Page) => Promise<unknown>,
): Promise<Visit> {
  const { context, page, visit } = await throttledPage(browser, baseUrl, mode);
  try {
    await page.goto(url, { timeout: 120_000 });
    await ready(page);
    await page.waitForLoadState('networkidle', { timeout: 120_000 });
    return { ...visit(), ...(await paints(page)) };
  } finally {
    await context.close();
  }
}

async function visitConsole(browser: Browser, baseUrl: string, mode: Mode): Promise<Visit> {
  const { context, page, visit } = await throttledPage(browser, baseUrl, mode);
  try {
    await page.goto('/login', { timeout: 120_000 });
    await page.getByLabel('用户名').fill('city', { timeout: 120_000 });
    await page.getByLabel('密码').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: /登\s*录/ }).click();
    await page.waitForURL((u) => !u.pathname.startsWith('/login'), { timeout: 120_000 });
    await page.waitForLoadState('networkidle', { timeout: 120_000 });
    return visit();
  } finally {
    await context.close();
  }
}

const kb = (bytes: number) => `${fmt(bytes / 1024, 0)} KB`;
const sec = (ms: number) => `${fmt(ms / 1000, 2)} s`;

export async function webBenchmark(ctx: BenchContext): Promise<ResultRow[]> {
  const webDir = path.resolve('dist/web');
  if (!fs.existsSync(path.join(webDir, 'index.html')))
    throw new Error('dist/web is missing: run `npm run build:web` before `npm run bench -- --only web`');
  const consoleEntry = /src="(\/assets\/index-[^"]+\.js)"/.exec(fs.readFileSync(path.join(webDir, 'index.html'), 'utf8'))?.[1];
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sf-bench-web-'));
  ctx.log('web: starting the server on the demo city …');
  const server = await startServer('app', { SEED_DEMO: '1', DATA_DIR: dataDir, DATABASE_URL: '', WEB_DIR: webDir });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run'],
  });
  try {
    const login = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: `community-${COMMUNITY}`, password: DEMO_PASSWORD }),
    });
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const campaigns = (await (
      await fetch(`${server.url}/api/needs/campaigns?communityCode=${COMMUNITY}`, { headers: { cookie } })
    ).json()) as {
      items: { id: number; status: string }[];
    };
    const campaign = campaigns.items.find((c) => c.status === 'open');
    if (!campaign) throw new Error('the demo has no open needs campaign');

    const runs = Math.max(1, Math.min(5, Math.round(ctx.samples / 10)));
    const portalHome = async (mode: Mode) => {
      const visits: Visit[] = [];
      for (let i = 0; i < runs; i++) {
        visits.push(
          await visitPublic(browser, server.url, mode, '/portal', (p) =>
            p.getByRole('heading', { level: 1 }).waitFor({ timeout: 120_000 }),
          ),
        );
      }
      return visits;
    };
    const answer = (mode: Mode) =>
      visitPublic(browser, server.url, mode, `/r/${campaign.id}`, (p) =>
        p.getByLabel('户号', { exact: true }).waitFor({ timeout: 120_000 }),
      );

    const result: Record<Mode, { portal: Visit[]; answer: Visit; console: Visit }> = {} as never;
    for (const mode of ['br', 'identity'] as const) {
      ctx.log(`web: ${mode} — portal home ×${runs}, answer page, console login → dashboard (throttled) …`);
      result[mode] = { portal: await portalHome(mode), answer: await answer(mode), console: await visitConsole(browser, server.url, mode) };
    }
    const median = (visits: Visit[], key: 'fcp' | 'lcp') =>
      percentile(
        visits.map((v) => v[key]),
        50,
      );
    const all = (mode: Mode) => [...result[mode].portal, result[mode].answer, result[mode].console].flatMap((v) => v.scripts);
    const publicScripts = [...result.br.portal, result.br.answer].flatMap((v) => v.scripts.map((s) => s.url));

    const checks: Check[] = [
      {
        name: 'every script is sent brotli-compressed when the browser accepts it',
        ok: all('br').every((s) => s.encoding === 'br'),
        detail: all('br')
          .filter((s) => s.encoding !== 'br')
          .map((s) => s.url)
          .join(', '),
      },
      {
        name: 'every script is sent as is for Accept-Encoding: identity',
        ok: all('identity').every((s) => s.encoding === null),
        detail: all('identity')
          .filter((s) => s.encoding !== null)
          .map((s) => `${s.url} ${s.encoding}`)
          .join(', '),
      },
      {
        name: "the residents' pages load no console code (console entry, echarts)",
        ok: Boolean(consoleEntry) && !publicScripts.some((u) => u === consoleEntry || /\/EChart-/.test(u)),
      },
    ];
    const [portalBr, portalId] = [result.br.portal[0]!, result.identity.portal[0]!];
    const metricsOf = (br: Visit, id: Visit) => ({
      jsBytesBrotli: br.scriptBytes,
      jsBytesIdentity: id.scriptBytes,
      scripts: br.scripts.length,
    });
    const fcpBr = median(result.br.portal, 'fcp');
    const fcpId = median(result.identity.portal, 'fcp');
    const rows: ResultRow[] = [
      {
        id: 'web-portal-fcp',
        scale: 'demo',
        title: `Portal home first contentful paint (Fast 3G, 4× CPU, phone, cold cache; median of ${runs})`,
        metrics: {
          fcpMs: fcpBr,
          lcpMs: median(result.br.portal, 'lcp'),
          fcpIdentityMs: fcpId,
          lcpIdentityMs: median(result.identity.portal, 'lcp'),
        },
        result: `FCP ${sec(fcpBr)}, LCP ${sec(median(result.br.portal, 'lcp'))}`,
        baseline: `uncompressed: FCP ${sec(fcpId)}, LCP ${sec(median(result.identity.portal, 'lcp'))}`,
        ratio: `${fmt(ratio(fcpBr, fcpId), 2)}×`,
        target: { text: 'reported (issue 19: 5.6 s before)', met: true },
        checks: [...checks],
      },
      {
        id: 'web-portal-js',
        scale: 'demo',
        title: 'Portal home: JavaScript transferred',
        metrics: metricsOf(portalBr, portalId),
        result: `${kb(portalBr.scriptBytes)} brotli (${portalBr.scripts.length} scripts)`,
        baseline: `uncompressed ${kb(portalId.scriptBytes)}`,
        ratio: `${fmt(ratio(portalBr.scriptBytes, portalId.scriptBytes), 2)}×`,
        target: { text: '< 200 KB compressed', met: portalBr.scriptBytes < PORTAL_JS_TARGET },
        checks: [],
      },
      {
        id: 'web-answer-js',
        scale: 'demo',
        title: "Residents' needs answer page (/r/…, Ant Design form): JavaScript transferred",
        metrics: metricsOf(result.br.answer, result.identity.answer),
        result: `${kb(result.br.answer.scriptBytes)} brotli (${result.br.answer.scripts.length} scripts)`,
        baseline: `uncompressed ${kb(result.identity.answer.scriptBytes)}`,
        ratio: `${fmt(ratio(result.br.answer.scriptBytes, result.identity.answer.scriptBytes), 2)}×`,
        target: {
          text: '< 200 KB compressed',
          met: result.br.answer.scriptBytes < PORTAL_JS_TARGET,
          why: 'the page is built with Ant Design (Form, Card, Result, Progress, Segmented, Typography): antd core and its CSS-in-JS come with it',
        },
        checks: [],
      },
      {
        id: 'web-console-js',
        scale: 'demo',
        title: 'Console: cold login → dashboard, JavaScript transferred (city account)',
        metrics: {
          ...metricsOf(result.br.console, result.identity.console),
          ms: result.br.console.ms,
          identityMs: result.identity.console.ms,
        },
        result: `${kb(result.br.console.scriptBytes)} brotli (${result.br.console.scripts.length} scripts), ${sec(result.br.console.ms)}`,
        baseline: `uncompressed ${kb(result.identity.console.scriptBytes)}, ${sec(result.identity.console.ms)}`,
        ratio: `${fmt(ratio(result.br.console.scriptBytes, result.identity.console.scriptBytes), 2)}×`,
        target: { text: '< 700 KB compressed', met: result.br.console.scriptBytes < CONSOLE_JS_TARGET },
        checks: [],
      },
    ];
    return rows;
  } finally {
    await browser.close();
    await server.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
