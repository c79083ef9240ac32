import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { createTestApp, type TestContext } from '../helpers/app.js';
import { precompressDir } from '../../server/src/ops/precompress.js';

/**
 * Serving the built web app (ADR 0019): precompressed brotli/gzip by Accept-Encoding, a year's
 * immutable caching for hashed assets, no-cache (revalidated by ETag) for the HTML entries, and the
 * portal entry for the residents' pages. The test builds its own small dist dir — two entries and
 * hashed assets, precompressed by the same step as `vite build` (server/src/ops/precompress.ts) —
 * so it needs no full web build.
 */
let ctx: TestContext;
let webDir: string;

// Big enough (and repetitive enough) that both variants are much smaller than the file.
const SCRIPT = `export const rows = [${Array.from({ length: 400 }, (_, i) => `{id:${i},name:"社区${i}"}`).join(',')}];\n`;
const CSS = `${Array.from({ length: 80 }, (_, i) => `.c${i}{margin:${i}px;color:#b71c1c}`).join('\n')}\n`;
const INDEX = `<!doctype html><html><head><title>console</title><script type="module" src="/assets/index-AbC123.js"></script></head><body><div id="root" data-entry="console"></div>${'<!-- padding -->'.repeat(40)}</body></html>`;
const PORTAL = `<!doctype html><html><head><title>portal</title><script type="module" src="/assets/portal-XyZ789.js"></script></head><body><div id="root" data-entry="portal"></div>${'<!-- padding -->'.repeat(40)}</body></html>`;

beforeAll(async () => {
  webDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sf-static-'));
  fs.mkdirSync(path.join(webDir, 'assets'));
  fs.writeFileSync(path.join(webDir, 'index.html'), INDEX);
  fs.writeFileSync(path.join(webDir, 'portal.html'), PORTAL);
  fs.writeFileSync(path.join(webDir, 'assets', 'index-AbC123.js'), SCRIPT);
  fs.writeFileSync(path.join(webDir, 'assets', 'portal-XyZ789.js'), SCRIPT.replace('rows', 'portalRows'));
  fs.writeFileSync(path.join(webDir, 'assets', 'styles-Q1w2E3.css'), CSS);
  await precompressDir(webDir);
  ctx = await createTestApp({ config: { webDir } });
});

afterAll(async () => {
  await ctx?.close();
  fs.rmSync(webDir, { recursive: true, force: true });
});

const get = (url: string, headers: Record<string, string> = {}) => ctx.app.inject({ method: 'GET', url, headers });

describe('precompression at build', () => {
  it('writes a smaller .br and .gz beside every text asset, decoding to the file', () => {
    for (const file of ['index.html', 'portal.html', 'assets/index-AbC123.js', 'assets/styles-Q1w2E3.css']) {
      const raw = fs.readFileSync(path.join(webDir, file));
      const br = fs.readFileSync(path.join(webDir, `${file}.br`));
      const gz = fs.readFileSync(path.join(webDir, `${file}.gz`));
      expect(br.length).toBeLessThan(raw.length);
      expect(gz.length).toBeLessThan(raw.length);
      expect(zlib.brotliDecompressSync(br).equals(raw)).toBe(true);
      expect(zlib.gunzipSync(gz).equals(raw)).toBe(true);
    }
  });
});

describe('Content-Encoding negotiated from Accept-Encoding', () => {
  it('sends brotli when the browser accepts it (preferred over gzip)', async () => {
    const res = await get('/assets/index-AbC123.js', { 'accept-encoding': 'gzip, deflate, br, zstd' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.headers['vary']).toMatch(/accept-encoding/i);
    expect(res.headers['content-type']).toMatch(/javascript/);
    expect(res.rawPayload.length).toBe(fs.statSync(path.join(webDir, 'assets/index-AbC123.js.br')).size);
    expect(zlib.brotliDecompressSync(res.rawPayload).toString()).toBe(SCRIPT);
  });

  it('sends gzip when only gzip is accepted', async () => {
    const res = await get('/assets/styles-Q1w2E3.css', { 'accept-encoding': 'gzip' });
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(res.headers['vary']).toMatch(/accept-encoding/i);
    expect(res.headers['content-type']).toMatch(/text\/css/);
    expect(zlib.gunzipSync(res.rawPayload).toString()).toBe(CSS);
  });

  it('sends the file itself (identity) when no compression is accepted', async () => {
    for (const headers of [{}, { 'accept-encoding': 'identity' }] as Record<string, string>[]) {
      const res = await get('/assets/index-AbC123.js', headers);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-encoding']).toBeUndefined();
      expect(res.headers['vary']).toMatch(/accept-encoding/i);
      expect(res.body).toBe(SCRIPT);
    }
  });

  it('compresses the HTML entries and the SPA fallback too', async () => {
    const root = await get('/', { 'accept-encoding': 'br' });
    expect(root.headers['content-encoding']).toBe('br');
    expect(zlib.brotliDecompressSync(root.rawPayload).toString()).toBe(INDEX);
    const page = await get('/plans/12', { 'accept-encoding': 'gzip' });
    expect(page.headers['content-encoding']).toBe('gzip');
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(zlib.gunzipSync(page.rawPayload).toString()).toBe(INDEX);
  });
});

describe('caching', () => {
  it('keeps hashed assets a year, immutable, with ETag and Last-Modified', async () => {
    for (const encoding of ['br', 'gzip', 'identity']) {
      const res = await get('/assets/portal-XyZ789.js', { 'accept-encoding': encoding });
      expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(res.headers['etag']).toBeTruthy();
      expect(res.headers['last-modified']).toBeTruthy();
    }
  });

  it('revalidates index.html, portal.html and the SPA fallback (no-cache), answering 304 to a matching ETag', async () => {
    for (const url of ['/', '/index.html', '/portal.html', '/plans/12', '/portal/c/210102001']) {
      const res = await get(url, { 'accept-encoding': 'br' });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['cache-control'], url).toBe('no-cache');
      expect(res.headers['etag'], url).toBeTruthy();
      expect(res.headers['last-modified'], url).toBeTruthy();
      const again = await get(url, { 'accept-encoding': 'br', 'if-none-match': String(res.headers['etag']) });
      expect(again.statusCode, url).toBe(304);
    }
  });

  it('leaves API answers uncached (no-store)', async () => {
    const res = await get('/api/health', { 'accept-encoding': 'br' });
    expect(res.headers['cache-control']).toBe('no-store');
  });
});

describe("the public API's JSON", () => {
  it('is compressed by Accept-Encoding (brotli, else gzip), with Vary', async () => {
    const plain = await get('/api/public/portal/city?year=2026');
    expect(plain.statusCode).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.length).toBeGreaterThan(1024);
    const br = await get('/api/public/portal/city?year=2026', { 'accept-encoding': 'gzip, deflate, br' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['vary']).toMatch(/accept-encoding/i);
    expect(JSON.parse(zlib.brotliDecompressSync(br.rawPayload).toString())).toEqual(plain.json());
    const gz = await get('/api/public/portal/city?year=2026', { 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(zlib.gunzipSync(gz.rawPayload).toString())).toEqual(plain.json());
  });

  it('leaves every other API answer uncompressed (no compression next to private data)', async () => {
    const doc = await get('/api/openapi.json', { 'accept-encoding': 'br, gzip' });
    expect(doc.statusCode).toBe(200);
    expect(doc.body.length).toBeGreaterThan(1024);
    expect(doc.headers['content-encoding']).toBeUndefined();
  });
});

describe('two entries', () => {
  const html = (res: Awaited<ReturnType<typeof get>>) => res.body;

  it("serves the portal entry for the residents' pages", async () => {
    for (const url of ['/portal', '/portal/', '/portal/c/210102001', '/portal/search?q=a', '/r/12', '/r/12/poster', '/n/7']) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(200);
      expect(html(res), url).toContain('data-entry="portal"');
      expect(html(res), url).toContain('/assets/portal-XyZ789.js');
    }
  });

  it('serves the console entry for every other page', async () => {
    for (const url of ['/', '/login', '/plans/12', '/portals', '/regions', '/needs/3']) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(200);
      expect(html(res), url).toContain('data-entry="console"');
    }
  });

  it('answers 404 for a missing asset and an unknown API path, not an entry page', async () => {
    expect((await get('/assets/missing-000.js')).statusCode).toBe(404);
    expect((await get('/api/no-such-thing')).statusCode).toBe(404);
  });
});
