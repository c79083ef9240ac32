import type { FastifyInstance } from 'fastify';
import compress from '@fastify/compress';

/**
 * Compression of the public API's JSON (ADR 0019): `/api/public/**` — the portal's pages, open data,
 * the residents' answer and notice pages — is what a phone on a slow network loads. Brotli at
 * quality 4 (the plugin's default, cheap per request) or gzip, by Accept-Encoding, above 1 KB.
 * Every other route is left alone on purpose: answers behind a login may carry personal data or
 * tokens beside text the requester chose, which is what compression side channels (BREACH) need;
 * the web app's files are precompressed at build (static.ts) and never compressed per request.
 * Request bodies are never decompressed (no zip bomb through Content-Encoding).
 * Must be registered before the routes it applies to.
 */
export async function registerCompression(app: FastifyInstance): Promise<void> {
  // Before the plugin's own onRoute hook, which reads `compress` off each route.
  app.addHook('onRoute', (route) => {
    if (route.compress === undefined && !route.url.startsWith('/api/public/')) route.compress = false;
  });
  await app.register(compress, { global: true, globalDecompression: false, encodings: ['br', 'gzip'], threshold: 1024 });
}
