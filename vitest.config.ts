import { defineConfig } from 'vitest/config';
import { TEST_NOW } from './test/helpers/test-clock.js';

export default defineConfig({
  test: {
    include: ['server/**/*.test.ts', 'test/integration/**/*.test.ts', 'bench/**/*.test.ts'],
    globalSetup: ['test/helpers/global-setup.ts'],
    // The application clock of every app a test builds or starts (children inherit it): no test reads the machine's date.
    env: { STARFUND_NOW: TEST_NOW },
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
    reporters: ['default'],
  },
});
