/**
 * The date every test runs on unless it sets another: the application's clock is put here, so
 * that no test depends on the day the machine happens to be on (CI runs the suite again with the
 * machine's clock faked into 2027 to prove it). A working Monday of the demo's fund year, three
 * working days before the final evaluations are due (10 December).
 */
export const TEST_NOW = '2026-12-07T10:00:00+08:00';
