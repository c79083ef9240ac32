import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Database } from '../server/src/db/client.js';
import { rowsOf } from './database.js';
import type { ResultRow } from './scenarios/common.js';

export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  os: string;
  node: string;
  database: string;
}

/** The machine; `database` null when only the web benchmark runs (on the demo's embedded PGlite). */
export async function describeMachine(database: Database | null): Promise<Machine> {
  const base = {
    cpu: os.cpus()[0]?.model.trim() ?? 'unknown',
    cores: os.availableParallelism(),
    memoryGiB: Math.round(os.totalmem() / 1024 ** 3),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
  };
  if (!database) return { ...base, database: 'PGlite (embedded), demo city' };
  const [v] = await rowsOf<{ version: string }>(database, 'select version()');
  const version = v!.version.split(' on ')[0]!.split(',')[0]!;
  return {
    ...base,
    database: `${database.kind === 'pglite' ? 'PGlite (embedded)' : 'PostgreSQL server'} — ${version}`,
  };
}

export interface BenchReport {
  scale: string;
  scaleLabel: string;
  startedAt: string;
  seconds: number;
  /** StarFund server processes the server benchmarks ran (WORKERS); absent in results before it was recorded: 1. */
  workers?: number;
  machine: Machine;
  data: Record<string, number>;
  rows: ResultRow[];
}

const cell = (s: string) => s.replace(/\|/g, '\\|');
const mark = (met: boolean | null) => (met === null ? '—' : met ? '✅ met' : '❌ missed');

/** A row measured on a cluster says so (the front end runs its own single server on the demo city). */
function withProcesses(r: BenchReport['rows'][number], workers: number): string {
  return workers > 1 && !r.id.startsWith('web') ? `${r.title} (${workers} processes)` : r.title;
}

export function markdownTable(report: BenchReport): string {
  const lines = [
    '| Benchmark | Result | Baseline (same run) | Ratio | Target | |',
    '|---|---|---|---|---|---|',
    ...report.rows.map(
      (r) =>
        `| ${cell(withProcesses(r, report.workers ?? 1))} | ${cell(r.result)} | ${cell(r.baseline)} | ${r.ratio} | ${cell(r.target.text)} | ${mark(r.target.met)} |`,
    ),
  ];
  return lines.join('\n');
}

export function markdownSection(report: BenchReport): string {
  const m = report.machine;
  const missed = report.rows.filter((r) => r.target.met === false);
  const failedChecks = report.rows.flatMap((r) =>
    r.checks.filter((c) => !c.ok).map((c) => `${r.id}: ${c.name}${c.detail ? ` (${c.detail})` : ''}`),
  );
  return [
    `### ${report.scaleLabel} — ${report.startedAt.slice(0, 16).replace('T', ' ')} UTC`,
    '',
    `Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.os}, Node ${m.node}; ${m.database}. ` +
      `Server processes: ${report.workers ?? 1} (WORKERS). Load phases ${report.seconds} s each. Data: ${Object.entries(report.data)
        .filter(([, n]) => n > 0)
        .map(([t, n]) => `${t} ${n.toLocaleString('en')}`)
        .join(', ')}.`,
    '',
    markdownTable(report),
    '',
    missed.length ? `Targets missed, and why:\n${missed.map((r) => `- ${r.id}: ${r.target.why ?? ''}`).join('\n')}` : 'Every target met.',
    '',
    failedChecks.length
      ? `**Correctness checks that failed:**\n${failedChecks.map((c) => `- ${c}`).join('\n')}`
      : `Correctness checks: all ${report.rows.reduce((s, r) => s + r.checks.length, 0)} passed.`,
  ].join('\n');
}

/** Replaces (or appends) this scale and database kind's section between its markers in docs/benchmarks.md. */
export function writeDocs(file: string, report: BenchReport, kind: string) {
  // One section per scale, database and number of server processes: a 2-process run keeps the 1-process one.
  const tag = `${report.scale}:${kind}${(report.workers ?? 1) > 1 ? `:${report.workers}w` : ''}`;
  const start = `<!-- bench:${tag}:start -->`;
  const end = `<!-- bench:${tag}:end -->`;
  const section = `${start}\n${markdownSection(report)}\n${end}`;
  const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '# Benchmarks\n\n## Results\n';
  const at = text.indexOf(start);
  const next = at >= 0 ? text.slice(0, at) + section + text.slice(text.indexOf(end) + end.length) : `${text.trimEnd()}\n\n${section}\n`;
  fs.writeFileSync(file, next);
}

export function writeJson(dir: string, report: BenchReport, kind: string): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(
    dir,
    `${report.scale}-${kind}${(report.workers ?? 1) > 1 ? `-${report.workers}w` : ''}-${report.startedAt.replace(/[:.]/g, '-')}.json`,
  );
  fs.writeFileSync(file, JSON.stringify(report, null, 2));
  return file;
}
