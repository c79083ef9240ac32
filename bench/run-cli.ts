import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { benchTarget, describeTarget } from './database.js';
import { markdownTable, writeDocs, writeJson } from './report.js';
import { ALL_BENCHMARKS, BENCHMARKS, runBenchmarks, WEB_BENCHMARK, type BenchmarkName } from './run.js';
import { scaleByName } from './scales.js';

/**
 * `npm run bench -- [--scale city] [--seconds 10] [--only dashboard,portal] [--workers 2] [--no-docs]`:
 * generates the scale's data if its database does not hold it yet, runs the benchmarks, prints
 * one table, and writes bench/results/*.json and the scale's section of docs/benchmarks.md.
 * The front-end benchmark (`web`, Chromium with throttling on the demo city) runs too when the web
 * app is built (`npm run build:web`); `--only web` runs it alone. `--workers n` runs each StarFund
 * server with WORKERS=n (node:cluster, PostgreSQL only, ADR 0025); the results name it.
 */
const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: 'city' },
    seconds: { type: 'string', default: '10' },
    samples: { type: 'string', default: '50' },
    'import-rows': { type: 'string', default: '1000000' },
    seed: { type: 'string', default: '20260' },
    only: { type: 'string' },
    'no-docs': { type: 'boolean', default: false },
    workers: { type: 'string', default: '1' },
  },
});
const scale = scaleByName(values.scale!);
const only = values.only?.split(',').map((s) => s.trim()) as BenchmarkName[] | undefined;
for (const o of only ?? [])
  if (!ALL_BENCHMARKS.includes(o)) throw new Error(`unknown benchmark "${o}" (expected ${ALL_BENCHMARKS.join(', ')})`);
const webBuilt = fs.existsSync(path.resolve('dist/web/index.html'));
if (!only && !webBuilt) console.log('the web app is not built (npm run build:web): the front-end benchmark is skipped');
const target = benchTarget(scale.name);
const workers = Number(values.workers);
if (!Number.isInteger(workers) || workers < 1 || workers > 64) throw new Error(`--workers must be 1…64, got "${values.workers}"`);
if (workers > 1 && target.kind === 'pglite') throw new Error('--workers above 1 needs PostgreSQL (BENCH_DATABASE_URL or DATABASE_URL)');
console.log(`bench ${scale.label} on ${describeTarget(target)}, ${workers} server process${workers > 1 ? 'es' : ''}`);
const report = await runBenchmarks({
  scale,
  target,
  only: only ?? (webBuilt ? [...BENCHMARKS, WEB_BENCHMARK] : undefined),
  seconds: Number(values.seconds),
  samples: Number(values.samples),
  importRows: Number(values['import-rows']),
  seed: Number(values.seed),
  workers,
  log: (m) => console.log(`  ${m}`),
});
console.log(`\n${markdownTable(report)}\n`);
for (const r of report.rows) {
  for (const c of r.checks) if (!c.ok) console.log(`check failed — ${r.id}: ${c.name}${c.detail ? ` (${c.detail})` : ''}`);
}
const json = writeJson(path.resolve('bench/results'), report, target.kind);
console.log(`results: ${json}`);
if (!values['no-docs'] && !only) {
  writeDocs(path.resolve('docs/benchmarks.md'), report, target.kind);
  console.log('docs/benchmarks.md updated');
}
if (report.rows.some((r) => r.checks.some((c) => !c.ok))) process.exitCode = 1;
