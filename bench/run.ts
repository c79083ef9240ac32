import { randomBytes } from 'node:crypto';
import { Clock } from '../server/src/common/clock.js';
import { loadConfig } from '../server/src/config.js';
import { describeTarget, openTarget, resetTarget, rowsOf, type BenchTarget } from './database.js';
import { loadScale } from './load.js';
import { describeMachine, type BenchReport } from './report.js';
import type { Scale } from './scales.js';
import { invariantsCheck, type BenchContext, type Check, type ResultRow } from './scenarios/common.js';
import { importBenchmark, submissionBenchmark } from './scenarios/needs.js';
import { dashboardBenchmarks, portalBenchmark } from './scenarios/reads.js';
import { ledgerBenchmark, startBenchmark } from './scenarios/ledger.js';
import { webBenchmark } from './scenarios/web.js';

/** The server benchmarks, run by default (and by bench.test.ts at the tiny scale). */
export const BENCHMARKS = ['start', 'dashboard', 'portal', 'submit', 'import', 'ledger'] as const;
/**
 * The front end in Chromium (scenarios/web.ts): needs the built web app, no generated data (it runs
 * on the demo city); `npm run bench` adds it when dist/web is built, `--only web` runs it alone.
 */
export const WEB_BENCHMARK = 'web';
export const ALL_BENCHMARKS = [...BENCHMARKS, WEB_BENCHMARK] as const;
export type BenchmarkName = (typeof ALL_BENCHMARKS)[number];

export interface RunOptions {
  scale: Scale;
  target: BenchTarget;
  seconds: number;
  samples: number;
  importRows: number;
  startRuns?: number;
  /** StarFund server processes (WORKERS) for the server benchmarks; default 1. */
  workers?: number;
  only?: BenchmarkName[];
  seed: number;
  log: (message: string) => void;
}

/** The generated data of this scale, loading it first when the target holds something else. */
export async function ensureData(
  scale: Scale,
  target: BenchTarget,
  seed: number,
  log: (m: string) => void,
): Promise<{ fundYear: number; rows: Record<string, number> }> {
  let database = await openTarget(target);
  try {
    const marker = await rowsOf<{ value: { bench?: string; asOf?: string; seed?: number } }>(
      database,
      `select value from app_meta where key = 'demo_seed'`,
    ).catch(() => []);
    const meta = marker[0]?.value;
    if (meta?.bench === scale.name && meta.seed === seed && meta.asOf) {
      const counts = await rowsOf<{ t: string; n: number }>(
        database,
        `select 'household' as t, count(*)::int as n from household union all select 'needs_opinion', count(*)::int from needs_opinion union all select 'region', count(*)::int from region where level = 'community' union all select 'plan_project', count(*)::int from plan_project union all select 'ledger_transfer', count(*)::int from ledger_transfer`,
      );
      return {
        fundYear: Number(meta.asOf.slice(0, 4)),
        rows: Object.fromEntries(counts.map((c) => [c.t === 'region' ? 'communities' : c.t, c.n])),
      };
    }
  } finally {
    await database.close();
  }
  log(`generating ${scale.label} data in ${describeTarget(target)} …`);
  await resetTarget(target);
  database = await openTarget(target);
  try {
    const result = await loadScale(database, scale, { seed, asOf: new Clock(loadConfig().now).today() });
    log(
      `  ${Object.values(result.rows)
        .reduce((a, b) => a + b, 0)
        .toLocaleString('en')} rows in ${result.seconds.toFixed(1)} s`,
    );
    return {
      fundYear: result.fundYear,
      rows: {
        household: result.rows.household,
        needs_opinion: result.rows.needs_opinion,
        communities: scale.communities,
        plan_project: result.rows.plan_project,
        ledger_transfer: result.rows.ledger_transfer,
      },
    };
  } finally {
    await database.close();
  }
}

async function verifyTarget(target: BenchTarget): Promise<Check> {
  const database = await openTarget(target);
  try {
    return await invariantsCheck(database);
  } finally {
    await database.close();
  }
}

export async function runBenchmarks(options: RunOptions): Promise<BenchReport> {
  const startedAt = new Date().toISOString();
  const wanted = new Set<BenchmarkName>(options.only ?? BENCHMARKS);
  // The web benchmark runs on the demo city in its own server: no generated data to load or verify.
  const needsData = [...wanted].some((name) => name !== WEB_BENCHMARK);
  const today = new Clock(loadConfig().now).today();
  const data = needsData
    ? await ensureData(options.scale, options.target, options.seed, options.log)
    : { fundYear: Number(today.slice(0, 4)), rows: {} };
  const ctx: BenchContext = {
    scale: options.scale,
    target: options.target,
    fundYear: data.fundYear,
    today,
    seconds: options.seconds,
    importRows: options.importRows,
    samples: options.samples,
    startRuns: options.startRuns ?? 3,
    workers: options.workers ?? 1,
    runId: `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`,
    log: options.log,
  };
  const database = needsData ? await openTarget(options.target) : null;
  const machine = await describeMachine(database);
  await database?.close();
  const rows: ResultRow[] = [];
  // Cold start first, before anything warms the operating system's caches further.
  const plan: [BenchmarkName, () => Promise<ResultRow | ResultRow[]>][] = [
    ['start', () => startBenchmark(ctx)],
    ['dashboard', () => dashboardBenchmarks(ctx)],
    ['portal', () => portalBenchmark(ctx)],
    ['submit', () => submissionBenchmark(ctx)],
    ['import', () => importBenchmark(ctx)],
    ['ledger', () => ledgerBenchmark(ctx)],
    [WEB_BENCHMARK, () => webBenchmark(ctx)],
  ];
  for (const [name, run] of plan) {
    if (!wanted.has(name)) continue;
    options.log(`running ${name} …`);
    const out = await run();
    const produced = Array.isArray(out) ? out : [out];
    // Every benchmark ends with `npm run verify` on what it leaves behind (not timed); the web
    // benchmark leaves nothing in the target.
    if (name !== WEB_BENCHMARK) {
      const check = await verifyTarget(options.target);
      for (const row of produced) row.checks.push(check);
    }
    rows.push(...produced);
  }
  // Same order as the issue lists them.
  const order = ['needs-submit', 'needs-import', 'dashboard', 'funds', 'district', 'portal', 'ledger', 'cold', 'web'];
  rows.sort((a, b) => order.findIndex((p) => a.id.startsWith(p)) - order.findIndex((p) => b.id.startsWith(p)));
  return {
    scale: options.scale.name,
    scaleLabel: options.scale.label,
    startedAt,
    seconds: options.seconds,
    workers: ctx.workers,
    machine,
    data: data.rows,
    rows,
  };
}
