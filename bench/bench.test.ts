import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_NOW } from '../test/helpers/test-clock.js';
import { generate, STEPS, TABLE_ORDER, type RowSink } from './generate.js';
import { benchTarget, copyCell, openTarget, resetTarget, rowsOf, type BenchTarget } from './database.js';
import { percentile } from './scenarios/common.js';
import { loadScale, type LoadResult } from './load.js';
import { BENCHMARKS, runBenchmarks, type BenchmarkName } from './run.js';
import { SCALES } from './scales.js';
import { LedgerService } from '../server/src/modules/ledger/ledger.service.js';
import { AuditService } from '../server/src/modules/audit/audit.service.js';
import { verifyAll } from '../server/src/modules/invariants/invariants.service.js';

/**
 * The benchmark suite's own correctness, at the tiny scale: the generator is deterministic, its
 * rows load and keep every invariant, and every benchmark runs with its checks passing. No number
 * is asserted (timings belong in `npm run bench`, not in tests).
 */

const tiny = SCALES.tiny;
const SEED = 7;
const AS_OF = '2026-11-27';

function digestOf(seed: number, asOf: string) {
  const counting: RowSink = { row: () => undefined };
  const rows = generate(tiny, { seed, asOf }, counting);
  let step = rows.next();
  while (!step.done) step = rows.next();
  return step.value;
}

describe('benchmark data generator', () => {
  it('gives the same rows for the same seed and date, and other rows otherwise', () => {
    const a = digestOf(SEED, AS_OF);
    const b = digestOf(SEED, AS_OF);
    expect(b.digest).toBe(a.digest);
    expect(b.rows).toEqual(a.rows);
    expect(digestOf(SEED + 1, AS_OF).digest).not.toBe(a.digest);
    expect(digestOf(SEED, '2026-11-28').digest).not.toBe(a.digest);
  });

  it('reaches every step of the procedure and writes every table at the tiny scale', () => {
    const s = digestOf(SEED, AS_OF);
    for (const step of STEPS) expect(s.steps[step], step).toBeGreaterThan(0);
    for (const table of TABLE_ORDER) expect(s.rows[table], table).toBeGreaterThan(0);
    expect(s.rows.region).toBe(1 + tiny.districts + tiny.streets + tiny.communities);
    // Payments never exceed commitments, commitments never exceed allocations.
    expect(s.paidFen).toBeLessThanOrEqual(s.committedFen);
    expect(s.committedFen).toBeLessThanOrEqual(s.allocatedFen);
  });
});

describe('benchmark plumbing', () => {
  it('escapes COPY text cells so that no value can shift a column', () => {
    expect(copyCell(null)).toBe('\\N');
    expect(copyCell('a\tb\nc\\d\re')).toBe('a\\tb\\nc\\\\d\\re');
    expect(copyCell(['x', 'y'])).toBe('["x","y"]');
    expect(copyCell(true)).toBe('t');
    expect(copyCell(12)).toBe('12');
  });

  it("never points at the console's own database", () => {
    expect(benchTarget('city', { DATABASE_URL: 'postgres://u@h:5432/starfund' })).toEqual({
      kind: 'postgres',
      url: 'postgres://u@h:5432/starfund_bench_city',
    });
    expect(benchTarget('national', {})).toMatchObject({ kind: 'pglite', dataDir: expect.stringMatching(/data\/bench-national$/) });
  });

  it('takes nearest-rank percentiles', () => {
    const xs = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(xs, 50)).toBe(50);
    expect(percentile(xs, 95)).toBe(95);
    expect(percentile(xs, 100)).toBe(100);
  });
});

describe('tiny scale on a real database', () => {
  let target: BenchTarget;
  let loaded: LoadResult;

  beforeAll(async () => {
    if (process.env.DATABASE_URL) {
      const url = new URL(process.env.DATABASE_URL);
      url.pathname = `/starfund_bench_test_${process.pid}`;
      target = { kind: 'postgres', url: url.toString() };
    } else {
      target = { kind: 'pglite', dataDir: path.join(os.tmpdir(), `starfund-bench-test-${process.pid}`) };
    }
    await resetTarget(target);
    const database = await openTarget(target);
    try {
      loaded = await loadScale(database, tiny, { seed: SEED, asOf: TEST_NOW.slice(0, 10) });
    } finally {
      await database.close();
    }
  }, 120_000);

  afterAll(async () => {
    if (!target) return;
    if (target.kind === 'pglite') fs.rmSync(target.dataDir, { recursive: true, force: true });
    else {
      const url = new URL(target.url);
      const name = url.pathname.slice(1);
      url.pathname = '/postgres';
      const pg = (await import('pg')).default;
      const admin = new pg.Client({ connectionString: url.toString() });
      await admin.connect();
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  });

  it('loads every generated row; the ledger, the audit chain and the business invariants verify', async () => {
    const database = await openTarget(target);
    try {
      for (const table of TABLE_ORDER) {
        const [row] = await rowsOf<{ n: number }>(database, `select count(*)::int as n from ${table}`);
        expect(row!.n, table).toBe(loaded.rows[table]);
      }
      const ledger = await new LedgerService(database.db).verify();
      expect(ledger.problems).toEqual([]);
      expect(ledger.ok).toBe(true);
      const audit = await new AuditService(database.db).verify();
      expect(audit.ok && audit.headMatches).toBe(true);
      // The generated city keeps every business rule `npm run verify` checks.
      const report = await verifyAll(database.db);
      expect(report.checks.filter((c) => !c.ok)).toEqual([]);
      // The marker keeps `npm start` from seeding the demo city over benchmark data.
      const [meta] = await rowsOf<{ value: { bench: string } }>(database, `select value from app_meta where key = 'demo_seed'`);
      expect(meta!.value.bench).toBe('tiny');
    } finally {
      await database.close();
    }
  });

  // One test per benchmark (each well under the 30 s a test may take), in the order `npm run bench` runs them.
  const BENCHMARK_ROWS: [BenchmarkName, string[]][] = [
    ['start', ['cold-start']],
    ['dashboard', ['dashboard-city', 'dashboard-city-after-write', 'dashboard-district', 'funds-by-stars', 'district-report']],
    ['portal', ['portal-community', 'portal-community-revalidated']],
    ['submit', ['needs-submit']],
    ['import', ['needs-import']],
    ['ledger', ['ledger-writes']],
  ];
  it('runs every server benchmark here', () => {
    expect(BENCHMARK_ROWS.map(([name]) => name).sort()).toEqual([...BENCHMARKS].sort());
  });

  it.each(BENCHMARK_ROWS)(
    'runs the %s benchmark with its correctness checks passing (numbers not asserted)',
    async (name, ids) => {
      const report = await runBenchmarks({
        scale: tiny,
        target,
        seconds: 1,
        samples: 3,
        importRows: 1_000_000,
        startRuns: 1,
        only: [name],
        seed: SEED,
        log: () => undefined,
      });
      expect(report.rows.map((r) => r.id)).toEqual(expect.arrayContaining(ids));
      const failed = report.rows.flatMap((r) => r.checks.filter((c) => !c.ok).map((c) => `${r.id}: ${c.name} ${c.detail ?? ''}`));
      expect(failed).toEqual([]);
      for (const r of report.rows) {
        expect(typeof r.target.met, r.id).toBe('boolean');
        for (const [k, v] of Object.entries(r.metrics)) expect(Number.isFinite(v), `${r.id}.${k}`).toBe(true);
      }
      // The benchmark cleans up after itself: its campaigns and scratch tables are gone.
      const database = await openTarget(target);
      try {
        const [left] = await rowsOf<{ n: number }>(database, `select count(*)::int as n from needs_campaign where title like '基准测试%'`);
        expect(left!.n).toBe(0);
        const [tables] = await rowsOf<{ n: number }>(
          database,
          `select count(*)::int as n from information_schema.tables where table_name like 'bench_bare%'`,
        );
        expect(tables!.n).toBe(0);
      } finally {
        await database.close();
      }
    },
    600_000,
  );
});
