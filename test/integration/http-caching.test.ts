import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import Fastify from 'fastify';
import { registerHttpCache } from '../../server/src/http-cache.js';
import { createTestApp, loginAs, queryRows, type TestContext } from '../helpers/app.js';

/** HTTP caching of the public pages (issue 20, ADR 0024): ETags from the data version, 304s, Cache-Control. */

let ctx: TestContext;
const YEAR = 2026;
/** 长江社区 of 辽中区, and a community of another district. */
const COMMUNITY = '210115001004';
const PAGE = `/api/public/portal/communities/${COMMUNITY}?year=${YEAR}`;

beforeAll(async () => {
  ctx = await createTestApp();
}, 120_000);
afterAll(async () => ctx?.close());

const get = (url: string, headers: Record<string, string> = {}) => ctx.app.inject({ method: 'GET', url, headers });

describe('public pages carry an ETag from the data version and answer 304', () => {
  it('keeps the ETag across identical requests and answers a matching If-None-Match with an empty 304', async () => {
    const first = await get(PAGE);
    const second = await get(PAGE);
    expect(first.statusCode).toBe(200);
    const tag = first.headers.etag as string;
    expect(tag).toMatch(/^W\/"[\w-]+"$/);
    expect(second.headers.etag).toBe(tag);
    expect(second.body).toBe(first.body);
    expect(first.headers['cache-control']).toMatch(/^public, max-age=0, s-maxage=\d+, stale-while-revalidate=\d+$/);
    expect(String(first.headers.vary)).toMatch(/accept-encoding/i);
    // A shared cache must not replay one visitor's rate-limit counter to another.
    expect(first.headers['x-ratelimit-remaining']).toBeUndefined();

    const revalidated = await get(PAGE, { 'if-none-match': tag });
    expect(revalidated.statusCode).toBe(304);
    expect(revalidated.body).toBe('');
    expect(revalidated.headers.etag).toBe(tag);
    expect(revalidated.headers['cache-control']).toBe(first.headers['cache-control']);
    // In a list, weak or strong, or `*`: still a match; another tag is not.
    expect((await get(PAGE, { 'if-none-match': `"other", ${tag.slice(2)}` })).statusCode).toBe(304);
    expect((await get(PAGE, { 'if-none-match': '*' })).statusCode).toBe(304);
    expect((await get(PAGE, { 'if-none-match': 'W/"other"' })).statusCode).toBe(200);
  });

  it('changes the ETag after a write through the API, and the page shows the write', async () => {
    const before = await get(PAGE);
    const tag = before.headers.etag as string;
    const [row] = await queryRows<{ street: string }>(ctx, sql`select parent_code as street from region where code = ${COMMUNITY}`);
    const street = await loginAs(ctx.app, `street-${row!.street}`);
    // Logging in is itself an audited write: the version moved already. Take the page's tag again.
    const settled = (await get(PAGE)).headers.etag as string;
    expect((await get(PAGE, { 'if-none-match': settled })).statusCode).toBe(304);

    const today = ctx.app.services.disclosure.today();
    let recorded: string | null = null;
    for (const kind of ['progress', 'payments', 'final', 'midterm', 'contracts', 'plan']) {
      const res = await street.post('/api/disclosure/records', {
        communityCode: COMMUNITY,
        fundYear: YEAR,
        kind,
        publishedOn: today,
        title: '公开',
      });
      if (res.statusCode === 200) {
        recorded = kind;
        break;
      }
    }
    expect(recorded).not.toBeNull();

    const after = await get(PAGE, { 'if-none-match': settled });
    expect(after.statusCode).toBe(200);
    expect(after.headers.etag).not.toBe(settled);
    expect(after.headers.etag).not.toBe(tag);
    const shown = (after.json() as { disclosures: { kind: string; publishedOn: string | null }[] }).disclosures.find(
      (d) => d.kind === recorded,
    );
    expect(shown?.publishedOn).toBe(today);
  });

  it('gives the compressed and the identity answer the same weak ETag, both varying on Accept-Encoding', async () => {
    const identity = await get(PAGE);
    const brotli = await get(PAGE, { 'accept-encoding': 'br' });
    const gzip = await get(PAGE, { 'accept-encoding': 'gzip' });
    expect(identity.headers['content-encoding']).toBeUndefined();
    expect(brotli.headers['content-encoding']).toBe('br');
    expect(gzip.headers['content-encoding']).toBe('gzip');
    for (const res of [identity, brotli, gzip]) {
      expect(res.headers.etag).toBe(identity.headers.etag);
      expect(String(res.headers.vary).toLowerCase().split(/,\s*/)).toEqual(['accept-encoding']);
    }
    const notModified = await get(PAGE, { 'accept-encoding': 'br', 'if-none-match': identity.headers.etag as string });
    expect(notModified.statusCode).toBe(304);
    expect(notModified.body).toBe('');
    expect(notModified.headers['content-encoding']).toBeUndefined();
  });

  it('answers HEAD with the same headers and no body, and 304 to a matching HEAD', async () => {
    const full = await get(PAGE);
    const head = await ctx.app.inject({ method: 'HEAD', url: PAGE });
    expect(head.statusCode).toBe(200);
    expect(head.body).toBe('');
    expect(head.headers.etag).toBe(full.headers.etag);
    expect(head.headers['cache-control']).toBe(full.headers['cache-control']);
    const conditional = await ctx.app.inject({ method: 'HEAD', url: PAGE, headers: { 'if-none-match': full.headers.etag as string } });
    expect(conditional.statusCode).toBe(304);
  });

  it('tags every public page and download, and never keeps an error', async () => {
    const urls = [
      '/api/public/site',
      `/api/public/portal/city?year=${YEAR}`,
      `/api/public/portal/regions/210115?year=${YEAR}`,
      '/api/public/portal/search?q=社区',
      '/api/public/audit/daily-heads',
      '/api/public/open-data',
      `/api/public/open-data/${YEAR}/projects.csv`,
      `/api/public/open-data/${YEAR}/ocds/release-package.json`,
      '/api/public/model-cases',
    ];
    for (const url of urls) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(200);
      expect(res.headers.etag, url).toMatch(/^W\//);
      expect(res.headers['cache-control'], url).toMatch(/^public, max-age=0/);
      expect((await get(url, { 'if-none-match': res.headers.etag as string })).statusCode, url).toBe(304);
    }
    const missing = await get(`/api/public/portal/communities/999999999999?year=${YEAR}`);
    expect(missing.statusCode).toBe(404);
    expect(missing.headers.etag).toBeUndefined();
    expect(missing.headers['cache-control']).toBe('no-store');
  });
});

describe('what is never kept publicly', () => {
  it('makes the questionnaire and notices revalidate on every use, and never keeps a submission or an objection', async () => {
    const page = (await get(PAGE)).json() as { needs: { id: number } | null; notices: { id: number }[] };
    expect(page.needs).not.toBeNull();
    const questionnaire = await get(`/api/public/needs/campaigns/${page.needs!.id}`);
    expect(questionnaire.statusCode).toBe(200);
    expect(questionnaire.headers['cache-control']).toBe('public, max-age=0, must-revalidate');
    expect(questionnaire.headers.etag).toMatch(/^W\//);
    expect(page.notices.length).toBeGreaterThan(0);
    const notice = await get(`/api/public/decisions/notices/${page.notices[0]!.id}`);
    expect(notice.statusCode).toBe(200);
    expect(notice.headers['cache-control']).toBe('public, max-age=0, must-revalidate');
    const notices = await get(`/api/public/communities/${COMMUNITY}/notices`);
    expect(notices.headers['cache-control']).toBe('public, max-age=0, must-revalidate');

    // A resident's answer and a representative's objection answer the visitor: never kept, never tagged.
    const submission = await ctx.app.inject({
      method: 'POST',
      url: `/api/public/needs/campaigns/${page.needs!.id}/submissions`,
      payload: { householdNo: 'nobody', headName: '无此人', phoneLast4: '0000', choices: [] },
    });
    expect(submission.statusCode).toBeGreaterThanOrEqual(400);
    expect(submission.headers['cache-control']).toBe('no-store');
    expect(submission.headers.etag).toBeUndefined();
    const objection = await ctx.app.inject({
      method: 'POST',
      url: `/api/public/decisions/notices/${page.notices[0]!.id}/objections`,
      payload: { householdNo: 'nobody', headName: '无此人', phoneLast4: '0000' },
    });
    expect(objection.statusCode).toBeGreaterThanOrEqual(400);
    expect(objection.headers['cache-control']).toBe('no-store');
    expect(objection.headers.etag).toBeUndefined();
  });

  it('keeps the console API private: no-store and no ETag', async () => {
    const city = await loginAs(ctx.app, 'city');
    const dashboard = await city.get(`/api/dashboard?fundYear=${YEAR}`);
    expect(dashboard.statusCode).toBe(200);
    expect(dashboard.headers['cache-control']).toBe('no-store');
    expect(dashboard.headers.etag).toBeUndefined();
    const me = await city.get('/api/auth/me');
    expect(me.headers['cache-control']).toBe('no-store');
    expect(me.headers.etag).toBeUndefined();
  });

  it('refuses to start with a public GET route that does not say how it may be cached', async () => {
    // The hook the app registers, on a bare Fastify: building a whole second app would only add seconds.
    const app = Fastify();
    registerHttpCache(app, { sharedMaxAgeSeconds: 10 });
    expect(() => app.get('/api/public/undeclared', async () => ({}))).toThrow(/declares no httpCache/);
    expect(() => app.get('/api/public/declared', { config: { httpCache: 'no-store' } }, async () => ({}))).not.toThrow();
    // A public form's POST needs no declaration: it is never kept.
    expect(() => app.post('/api/public/form', async () => ({}))).not.toThrow();
    await app.close();
  });
});
