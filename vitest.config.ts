import os from 'node:os';
import { defineConfig } from 'vitest/config';
import { TEST_NOW } from './test/helpers/test-clock.js';

/**
 * How much longer than on a quiet machine a test may take here: the machine's load per core when
 * the run starts (1 when quiet, about 2 beside a second suite), at most 4; TEST_TIMEOUT_SCALE sets it.
 * On a quiet machine every test is held to 30 s (issue 20); on a busy one the same test gets room
 * in proportion, so that it slows down without timing out.
 */
const TIMEOUT_SCALE = Number(process.env.TEST_TIMEOUT_SCALE) || Math.min(4, Math.max(1, os.loadavg()[0]! / os.availableParallelism()));

export default defineConfig({
  test: {
    include: ['server/**/*.test.ts', 'test/integration/**/*.test.ts', 'bench/**/*.test.ts'],
    globalSetup: ['test/helpers/global-setup.ts'],
    // Each file starts from the environment its worker started with (isolate: false, below).
    setupFiles: ['test/helpers/per-file-setup.ts'],
    // The application clock of every app a test builds or starts (children inherit it): no test reads the machine's date.
    env: { STARFUND_NOW: TEST_NOW },
    // No test runs over 30 s on a quiet machine (issue 20). Only a test that waits on a child
    // process (a server started, killed and restarted) sets a longer limit of its own, with its
    // reason beside it.
    testTimeout: Math.round(30_000 * TIMEOUT_SCALE),
    // A file's setup opens its copy of the demo city and may prepare a scenario through the API.
    hookTimeout: Math.round(60_000 * TIMEOUT_SCALE),
    pool: 'forks',
    maxWorkers: 2,
    // A worker runs file after file without reloading the server's modules: each file is spared
    // importing the application and compiling PGlite again, a large share of a short file's time.
    // Every file still has its own database and its own app; the environment is reset per file
    // (per-file-setup.ts). The files are ordered longest first from the previous run's timings.
    isolate: false,
    reporters: ['default'],
  },
});
