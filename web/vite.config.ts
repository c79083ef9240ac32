import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { precompressPlugin } from '../server/src/ops/precompress.ts';

// STARFUND_API_PROXY points the dev server at another API (default: the server's default port).
const apiTarget = process.env.STARFUND_API_PROXY ?? 'http://127.0.0.1:3000';
const webRoot = fileURLToPath(new URL('.', import.meta.url));

/**
 * The console is served by the Fastify server from dist/web; in development Vite proxies /api to it.
 * Two entries (ADR 0019): index.html (the console) and portal.html (the residents' pages: /portal,
 * /r/…, /n/…, which load none of the console's code). Every text asset gets a .br and a .gz beside it
 * at build time (server/src/ops/precompress.ts), which the server sends by Accept-Encoding.
 */
export default defineConfig({
  root: webRoot,
  base: '/',
  plugins: [react(), precompressPlugin()],
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      input: {
        index: fileURLToPath(new URL('index.html', import.meta.url)),
        portal: fileURLToPath(new URL('portal.html', import.meta.url)),
      },
    },
  },
  server: {
    proxy: {
      '/api': { target: apiTarget, changeOrigin: false },
    },
  },
});
