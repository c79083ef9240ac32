import { defineConfig } from 'vitest/config';

/** Browser tests: one real server per file, Debian's Chromium, files one at a time. */
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.ts'],
    // Builds the server bundle (dist/server) when stale: the harness starts it with node.
    globalSetup: ['test/e2e/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000, // above the harness's 240 s server start limit
    pool: 'forks',
    fileParallelism: false,
    maxWorkers: 1,
    // Pages render asynchronously; a slow CI machine needs more than the 1 s default.
    expect: { poll: { timeout: 15_000, interval: 100 } },
  },
});
