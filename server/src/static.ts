import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';

/**
 * The built web app (dist/web) — ADR 0019.
 * - Compression: every text asset has a `.br` and a `.gz` beside it, written at build time
 *   (server/src/ops/precompress.ts); @fastify/static (`preCompressed`) sends the variant the
 *   request's Accept-Encoding allows (brotli first), or the file itself, with `Vary: Accept-Encoding`.
 * - Caching: `/assets/*` are named by their content hash, so a browser keeps them a year without
 *   asking again (`immutable`); the HTML entries (and the SPA fallback) are `no-cache`: revalidated on
 *   every load by ETag / Last-Modified, so a new build is seen at once.
 * - Entries: the residents' pages (PORTAL_PREFIXES) get `portal.html`, which loads none of the
 *   console's code; every other page address gets the console's `index.html`.
 */

/** Same prefixes as web/src/portalRoutes.tsx `isPortalPath`. */
export function isPortalPath(pathname: string): boolean {
  return pathname === '/portal' || pathname.startsWith('/portal/') || pathname.startsWith('/r/') || pathname.startsWith('/n/');
}

export const IMMUTABLE = 'public, max-age=31536000, immutable';
export const REVALIDATE = 'no-cache';

/** Whether `webDir` holds a built web app. */
export function hasWebApp(webDir: string | null): webDir is string {
  return webDir !== null && fs.existsSync(path.join(webDir, 'index.html'));
}

export async function registerWebApp(app: FastifyInstance, webDir: string): Promise<void> {
  const assetsDir = path.join(path.resolve(webDir), 'assets') + path.sep;
  await app.register(fastifyStatic, {
    root: webDir,
    prefix: '/',
    wildcard: false,
    index: ['index.html'],
    preCompressed: true,
    // Set here per file (setHeaders), not by `send`'s one-size `max-age`.
    cacheControl: false,
    etag: true,
    lastModified: true,
    setHeaders: (res, filePath) => {
      res.setHeader('cache-control', path.resolve(filePath).startsWith(assetsDir) ? IMMUTABLE : REVALIDATE);
      res.setHeader('vary', 'Accept-Encoding');
    },
  });
}

/** The HTML entry for a page address (the SPA fallback): the portal's for the residents' pages. */
export function entryFor(pathname: string, hasPortalEntry: boolean): 'portal.html' | 'index.html' {
  return hasPortalEntry && isPortalPath(pathname) ? 'portal.html' : 'index.html';
}
