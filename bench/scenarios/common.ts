import autocannon from 'autocannon';
import type { Database } from '../../server/src/db/client.js';
import { buildApp, type App } from '../../server/src/app.js';
import { loadClockSetting, loadConfig } from '../../server/src/config.js';
import { DEMO_PASSWORD } from '../../server/src/seed/seed.js';
import { AuditService } from '../../server/src/modules/audit/audit.service.js';
import { verifyAll } from '../../server/src/modules/invariants/invariants.service.js';
import { targetEnv, type BenchTarget } from '../database.js';
import type { Scale } from '../scales.js';

export interface BenchContext {
  scale: Scale;
  target: BenchTarget;
  /** The generated data's fund year (its as-of year); the benchmark's own writes use the next year. */
  fundYear: number;
  today: string;
  /** Seconds of each measured load phase. */
  seconds: number;
  /** Paper opinions to import in the bulk-import benchmark (capped by the registered households). */
  importRows: number;
  /** Samples of each read benchmark. */
  samples: number;
  /** Cold starts to take the median of. */
  startRuns: number;
  /** StarFund server processes (`--workers`, passed as WORKERS; PostgreSQL only above 1). */
  workers: number;
  /** A tag unique to this run, for the benchmark's own ids. */
  runId: string;
  log(message: string): void;
}

/** The environment of a StarFund server on the target, with the run's number of processes (WORKERS). */
export function appEnv(ctx: BenchContext): Record<string, string> {
  return { ...targetEnv(ctx.target), WORKERS: String(ctx.workers) };
}

export interface Check {
  name: string;
  ok: boolean;
  detail?: string;
}

export interface ResultRow {
  id: string;
  scale: string;
  title: string;
  /** Raw numbers, for the JSON report. */
  metrics: Record<string, number>;
  result: string;
  baseline: string;
  ratio: string;
  target: { text: string; met: boolean | null; why?: string };
  checks: Check[];
}

export const fmt = (n: number, digits = 0) => n.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits });
export const ms = (n: number) => `${fmt(n, n < 10 ? 2 : 1)} ms`;

/** Nearest-rank percentile of durations in milliseconds. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export interface LoadResult {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  ok: number;
  failed: number;
  errors: number;
  statusCodes: Record<string, number>;
}

/** Drives HTTP load with autocannon and summarises it; `body` gives each request's JSON body. */
export async function httpLoad(options: {
  url: string;
  method?: 'GET' | 'POST';
  connections: number;
  seconds: number;
  body?: () => unknown;
  path?: () => string;
  /** Extra headers for the request to a path (e.g. `If-None-Match` of an earlier answer). */
  headersFor?: (path: string) => Record<string, string> | undefined;
}): Promise<LoadResult> {
  const statusCodes: Record<string, number> = {};
  let instance!: autocannon.Instance;
  const done = new Promise<autocannon.Result>((resolve, reject) => {
    instance = autocannon(
      {
        url: options.url,
        connections: options.connections,
        duration: options.seconds,
        headers: { 'content-type': 'application/json' },
        requests: [
          {
            method: options.method ?? 'GET',
            setupRequest: (request) => {
              const path = options.path ? options.path() : request.path;
              const extra = path === undefined ? undefined : options.headersFor?.(path);
              return {
                ...request,
                path,
                ...(extra ? { headers: { ...request.headers, ...extra } } : {}),
                ...(options.body ? { body: JSON.stringify(options.body()) } : {}),
              };
            },
          },
        ],
      },
      (err, result) => (err ? reject(err) : resolve(result)),
    );
  });
  instance.on('response', (_client: unknown, statusCode: number) => {
    statusCodes[statusCode] = (statusCodes[statusCode] ?? 0) + 1;
  });
  const result = await done;
  // 304 Not Modified is a successful revalidation (http-cache.ts).
  const succeeded = (code: string) => code.startsWith('2') || code === '304';
  const ok = Object.entries(statusCodes)
    .filter(([code]) => succeeded(code))
    .reduce((s, [, n]) => s + n, 0);
  return {
    requestsPerSecond: ok / options.seconds,
    p50: result.latency.p50,
    p99: result.latency.p99,
    ok,
    failed: Object.entries(statusCodes)
      .filter(([code]) => !succeeded(code))
      .reduce((s, [, n]) => s + n, 0),
    errors: result.errors + result.timeouts,
    statusCodes,
  };
}

/** StarFund's app in this process on an open database (for sequential calls through `inject`). */
export async function inProcessApp(database: Database): Promise<App> {
  const config = {
    ...loadConfig({}),
    now: loadClockSetting(),
    logLevel: 'silent',
    webDir: null,
    seedDemo: false,
    loginRateLimitPerMinute: 65_535,
  };
  const app = await buildApp(config, database);
  await app.ready();
  return app;
}

export async function signIn(app: App, username: string): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: DEMO_PASSWORD } });
  if (res.statusCode !== 200) throw new Error(`sign-in ${username} failed: ${res.statusCode} ${res.body}`);
  const cookie = res.cookies.find((c) => c.name === 'sf_session');
  return `sf_session=${cookie!.value}`;
}

/** The audit chain re-verified from genesis: every benchmark write must have kept it intact. */
export async function auditCheck(database: Database): Promise<Check> {
  const report = await new AuditService(database.db).verify();
  const ok = report.ok && report.headMatches;
  return { name: 'audit chain verifies', ok, detail: ok ? `${fmt(report.count)} events` : JSON.stringify(report) };
}

/** `npm run verify` on the benchmark's database: ledger, audit chain and every cross-table business rule. */
export async function invariantsCheck(database: Database): Promise<Check> {
  const report = await verifyAll(database.db);
  const failed = report.checks.filter((c) => !c.ok);
  return {
    name: 'npm run verify: business invariants hold',
    ok: report.ok,
    detail: report.ok
      ? `${report.checks.length} checks`
      : failed
          .map((c) => `${c.name}: ${c.message}`)
          .slice(0, 3)
          .join('; '),
  };
}

export const ratio = (a: number, b: number) => (b > 0 ? a / b : NaN);
export const pct = (r: number) => (Number.isFinite(r) ? `${fmt(r * 100, 0)}%` : 'n/a');
