import fs from 'node:fs';
import type { Page } from 'playwright-core';
import type { ApiClient } from './harness.js';

/**
 * The raw-code walk of issue 19 (chinese-first.e2e.ts): which visible text is a raw code, the
 * console's URLs from web/src/routes.tsx, and real demo ids to put in them.
 */

/** Raw codes: `permission:codes`, snake_case enum values, `user #n`, bare English status words. */
const RAW = [
  /\b[a-z_]+:[a-z_]+\b/g,
  /\b[a-z]+_[a-z_]+\b/g,
  /\buser #\d+/gi,
  /\b(draft|submitted|approved|filed|returned|open|closed|pending|requested|paid|signed|cancelled|concluded|candidate|rejected|merged|active|disabled|excellent|good|pass|fail|midterm|final|panel|third_party|true|false|null|undefined|NaN|Invalid Date)\b/g,
];

/** Latin that is legitimately there: links, e-mail, clause tags, account names, file formats. */
const ALLOWED = [
  /https?:\/\/\S+/g,
  /[\w.+-]+@[\w-]+\.[\w.]+/g,
  /\[N [\d.()（）a-z]+\]/g,
  /\b(city|finance|(district|street|community)-\d+|provider-\d+|evaluator-\d+)\b/g,
];

/** The raw codes in a page's visible text, each with a little context. */
export function rawCodes(text: string): string[] {
  let clean = text;
  for (const a of ALLOWED) clean = clean.replace(a, ' ');
  const found: string[] = [];
  for (const re of RAW)
    for (const m of clean.matchAll(re)) {
      const at = m.index;
      found.push(`「${m[0]}」 in …${clean.slice(Math.max(0, at - 20), at + m[0].length + 20).replace(/\s+/g, ' ')}…`);
    }
  return found;
}

/** Every console URL of web/src/routes.tsx, as a template (`:id` placeholders). */
export function consolePaths(): string[] {
  const src = fs.readFileSync('web/src/routes.tsx', 'utf8');
  const paths = [...src.matchAll(/(?:path: |subPaths: \[)((?:'[^']+'(?:, )?)+)/g)].flatMap((m) =>
    [...m[1]!.matchAll(/'([^']+)'/g)].map((x) => x[1]!),
  );
  const publicPrefixes = ['/login', '/r/', '/n/', '/portal'];
  return [...new Set(paths)].filter((p) => !publicPrefixes.some((x) => p.startsWith(x)));
}

export type Ids = Record<string, string | number | undefined>;

/** Real ids of the demo as one account sees them (the first of each list it may read). */
export async function idsFor(api: ApiClient, community: string): Promise<Ids> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- list bodies of several shapes
  const first = async (path: string, pick: (body: any) => unknown) => {
    try {
      return pick(await api.get(path)) as string | number | undefined;
    } catch {
      return undefined; // the role may not read it: its detail URLs are skipped
    }
  };
  const clock = await api.get<{ fundYear: number }>('/clock');
  return {
    code: community,
    year: clock.fundYear,
    plans: await first('/plans', (b) => b.items.find((p: { status: string }) => p.status === 'filed')?.id ?? b.items[0]?.id),
    needs: await first('/needs/campaigns', (b) => b.items[0]?.id),
    decisions: await first('/decisions', (b) => b.items[0]?.id),
    contracts: await first('/contracts', (b) => b.items[0]?.id),
    roundId: await first('/evaluation-rounds', (b) => b.items[0]?.id),
    assignmentId: await first('/evaluation-assignments', (b) => b.items[0]?.id),
    'district-reports': await first('/district-reports', (b) => b.items[0]?.id),
    supervision: await first('/spot-checks', (b) => b.items[0]?.id),
  };
}

/** A template URL with the ids filled in, or null when the account has no such record. */
export function fill(path: string, ids: Ids): string | null {
  const first = path.split('/')[1]!;
  let missing = false;
  const url = path.replace(/:(\w+)/g, (_, name: string) => {
    const v = name === 'id' ? ids[first] : ids[name];
    if (v === undefined) missing = true;
    return String(v);
  });
  if (path === '/years/:year') return `/years/${Number(ids.year) + 1}`;
  return missing ? null : url;
}

/** Requests in flight in a page (data and lazily loaded page chunks), tracked once per page. */
const inFlight = new WeakMap<Page, Set<unknown>>();

function track(page: Page): Set<unknown> {
  let pending = inFlight.get(page);
  if (!pending) {
    const set = new Set<unknown>();
    page.on('request', (r) => void set.add(r));
    page.on('requestfinished', (r) => void set.delete(r));
    page.on('requestfailed', (r) => void set.delete(r));
    inFlight.set(page, set);
    pending = set;
  }
  return pending;
}

/**
 * Opens a console URL inside the running app (the router follows history, no reload), waits until
 * its data has loaded (no API request in flight for 300 ms, no spinner), then reads its visible text.
 */
export async function visibleText(page: Page, url: string): Promise<string> {
  const pending = track(page);
  await page.evaluate(`window.history.pushState({}, '', ${JSON.stringify(url)}); window.dispatchEvent(new PopStateEvent('popstate'))`);
  let quietSince = Date.now();
  for (const deadline = Date.now() + 20_000; Date.now() < deadline;) {
    await page.waitForTimeout(50);
    if (pending.size > 0) quietSince = Date.now();
    else if (Date.now() - quietSince >= 300 && (await page.locator('.ant-spin-spinning, .ant-skeleton-active').count()) === 0) break;
  }
  return page.evaluate('document.body.innerText') as Promise<string>;
}
