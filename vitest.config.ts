import { defineConfig } from 'vitest/config';
import { TEST_NOW } from './test/helpers/test-clock.js';

export default defineConfig({
  test: {
    include: ['server/**/*.test.ts', 'test/integration/**/*.test.ts', 'bench/**/*.test.ts'],
    globalSetup: ['test/helpers/global-setup.ts'],
    // Each file starts from the environment its worker started with (isolate: false, below).
    setupFiles: ['test/helpers/per-file-setup.ts'],
    // The application clock of every app a test builds or starts (children inherit it): no test reads the machine's date.
    env: { STARFUND_NOW: TEST_NOW },
    // No test runs over 30 s on a quiet machine (issue 20): the longest take a few seconds, so this
    // limit leaves room for a busy machine. Only a test that waits on a child process (a server
    // started, killed and restarted) sets a longer limit of its own, with its reason beside it.
    testTimeout: 30_000,
    // A file's setup opens its copy of the demo city and may prepare a scenario through the API.
    hookTimeout: 120_000,
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
