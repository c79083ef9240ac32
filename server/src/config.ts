import path from 'node:path';
import { parseClockSetting } from './common/clock.js';

export interface AppConfig {
  port: number;
  host: string;
  /** PGlite data directory; ignored when databaseUrl is set. 'memory://' keeps data in memory. */
  dataDir: string;
  databaseUrl: string | null;
  /**
   * A PostgreSQL streaming replica (`DATABASE_READ_URL`) for public and reporting reads (ADR 0025), or
   * null: every read goes to `databaseUrl`. Needs `DATABASE_URL`.
   */
  databaseReadUrl: string | null;
  /**
   * Server processes (`WORKERS`, default 1): more than one runs a `node:cluster` primary that migrates and
   * seeds once, then forks this many workers sharing the port (ADR 0025). PostgreSQL only.
   */
  workers: number;
  /** In a cluster: this worker's number, 1…WORKERS, set by the primary for each worker it forks (`STARFUND_WORKER_SLOT`); otherwise null. */
  workerSlot: number | null;
  /** Seed the demo city on first start. */
  seedDemo: boolean;
  /** Serve the built console from this directory when it exists. */
  webDir: string | null;
  logLevel: string;
  /** Secure cookies need HTTPS; on by default only in production. */
  secureCookies: boolean;
  /** Sign-in attempts allowed per client address per minute (account lockout applies as well). */
  loginRateLimitPerMinute: number;
  /**
   * Puts the application's clock on this instant at start (`STARFUND_NOW`: a China date
   * `YYYY-MM-DD` or an ISO instant); it runs on from there. Null: the machine's time.
   * For demonstrations and tests; never set it in production.
   */
  now: Date | null;
  /** Behind a reverse proxy (`TRUST_PROXY=1`): take the client's address and protocol from its headers. */
  trustProxy: boolean;
  /** Connections per process to PostgreSQL (`DB_POOL_MAX`, default 10). */
  databasePoolMax: number;
  /**
   * The address residents reach the site at (`PUBLIC_BASE_URL`, default `http://127.0.0.1:3000`),
   * without a trailing slash: printed on QR posters and share links and in reminders' links, never the request's host.
   */
  publicBaseUrl: string;
  /**
   * Seconds a shared cache (reverse proxy, CDN) may serve a public page without asking again, and as
   * long again while it revalidates in the background (`PUBLIC_CACHE_SECONDS`, default 10; 0: always
   * revalidate). Browsers always revalidate; pages that must be exact always do (ADR 0024).
   */
  publicCacheSeconds: number;
  /** Public writes and reads allowed per client address per minute (benchmarks raise them). */
  publicRateLimits: {
    /** Residents' questionnaire answers (`NEEDS_SUBMIT_RATE_LIMIT`, default 30). */
    needsSubmitPerMinute: number;
    /** Representatives' objections (`OBJECTION_RATE_LIMIT`, default 20). */
    objectionPerMinute: number;
    /** Portal pages (`PORTAL_RATE_LIMIT`, default 300; downloads a fifth of it). */
    portalPerMinute: number;
  };
  /** Reminders that leave the system (ADR 0018): off unless `REMINDERS=on`. */
  reminders: RemindersConfig;
}

/** Reminders by e-mail and group robots (notify module, ADR 0018; README "Configuration"). */
export interface RemindersConfig {
  /** `REMINDERS=on`: the scheduler runs and `npm run reminders` sends; otherwise nothing is enqueued or sent. */
  enabled: boolean;
  /** `REMINDERS_DIGEST_HOUR` (China time, 0–23, default 8): the daily digest is enqueued from this hour on. */
  digestHour: number;
  /** `REMINDERS_INTERVAL_MINUTES` (default 5): how often immediate notices are enqueued and the outbox dispatched. */
  intervalMinutes: number;
  /** `REMINDERS_MAX_ATTEMPTS` (default 6): sends tried before a message is marked failed. */
  maxAttempts: number;
  /** `SMTP_URL` (e.g. `smtps://user:pass@smtp.example.com:465`), or null: e-mail channels then fail with a clear error. */
  smtpUrl: string | null;
  /** `SMTP_FROM` (default `StarFund <noreply@localhost>`). */
  smtpFrom: string;
  /** `WEBHOOK_TIMEOUT_MS` (default 10000): a robot that does not answer in time counts as a failed send. */
  webhookTimeoutMs: number;
}

/** The environment variables that set `publicRateLimits`. */
export const PUBLIC_RATE_LIMIT_VARIABLES = ['NEEDS_SUBMIT_RATE_LIMIT', 'OBJECTION_RATE_LIMIT', 'PORTAL_RATE_LIMIT'] as const;

function intFromEnv(name: string, fallback: number, env: NodeJS.ProcessEnv = process.env, max = 65535): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new Error(`${name} must be an integer between 0 and ${max}, got "${raw}"`);
  }
  return value;
}

/**
 * The application's configuration from the environment. Every environment variable the product,
 * its tests and its benchmarks read is read in this file (README, "Configuration").
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  return {
    port: intFromEnv('PORT', 3000, env),
    host: env.HOST ?? '127.0.0.1',
    dataDir: path.resolve(env.DATA_DIR ?? './data'),
    databaseUrl: loadDatabaseUrl(env),
    databaseReadUrl: loadDatabaseReadUrl(env),
    workers: loadWorkers(env),
    workerSlot: env[WORKER_SLOT_VARIABLE] ? intFromEnv(WORKER_SLOT_VARIABLE, 1, env, 64) : null,
    seedDemo: env.SEED_DEMO !== '0',
    webDir: path.resolve(env.WEB_DIR ?? './dist/web'),
    logLevel: env.LOG_LEVEL ?? 'info',
    secureCookies: env.COOKIE_SECURE === '1' || env.NODE_ENV === 'production',
    loginRateLimitPerMinute: intFromEnv('LOGIN_RATE_LIMIT', 20, env),
    now: loadClockSetting(env),
    trustProxy: env.TRUST_PROXY === '1',
    databasePoolMax: intFromEnv('DB_POOL_MAX', 10, env),
    publicRateLimits: loadPublicRateLimits(env),
    publicBaseUrl: loadPublicBaseUrl(env),
    publicCacheSeconds: intFromEnv('PUBLIC_CACHE_SECONDS', 10, env, 86_400),
    reminders: loadRemindersConfig(env),
  };
}

/** `REMINDERS`, `REMINDERS_DIGEST_HOUR`, `REMINDERS_INTERVAL_MINUTES`, `REMINDERS_MAX_ATTEMPTS`, `SMTP_URL`, `SMTP_FROM`, `WEBHOOK_TIMEOUT_MS`. */
export function loadRemindersConfig(env: NodeJS.ProcessEnv = process.env): RemindersConfig {
  return {
    enabled: ['on', '1', 'true'].includes((env.REMINDERS ?? '').trim().toLowerCase()),
    digestHour: intFromEnv('REMINDERS_DIGEST_HOUR', 8, env, 23),
    intervalMinutes: Math.max(1, intFromEnv('REMINDERS_INTERVAL_MINUTES', 5, env, 1440)),
    maxAttempts: Math.max(1, intFromEnv('REMINDERS_MAX_ATTEMPTS', 6, env, 100)),
    smtpUrl: env.SMTP_URL?.trim() || null,
    smtpFrom: env.SMTP_FROM?.trim() || 'StarFund <noreply@localhost>',
    webhookTimeoutMs: intFromEnv('WEBHOOK_TIMEOUT_MS', 10_000, env, 600_000),
  };
}

/** `PUBLIC_BASE_URL`: an http(s) origin, optionally with a path prefix; the trailing slash is dropped. */
export function loadPublicBaseUrl(env: NodeJS.ProcessEnv = process.env): string {
  const raw = env.PUBLIC_BASE_URL?.trim() || 'http://127.0.0.1:3000';
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`PUBLIC_BASE_URL must be an http(s) address such as https://starfund.example.cn, got "${raw}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`PUBLIC_BASE_URL must start with http:// or https://, got "${raw}"`);
  }
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}

/** `DATABASE_URL`: a PostgreSQL server (`postgres://…`), or null for the embedded PGlite. */
export function loadDatabaseUrl(env: NodeJS.ProcessEnv = process.env): string | null {
  const databaseUrl = env.DATABASE_URL && env.DATABASE_URL.trim() !== '' ? env.DATABASE_URL : null;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new Error('DATABASE_URL must start with postgres:// or postgresql://');
  }
  return databaseUrl;
}

/** `DATABASE_READ_URL`: a streaming replica of `DATABASE_URL`'s server, or null (ADR 0025). */
export function loadDatabaseReadUrl(env: NodeJS.ProcessEnv = process.env): string | null {
  const readUrl = env.DATABASE_READ_URL?.trim() || null;
  if (!readUrl) return null;
  if (!/^postgres(ql)?:\/\//.test(readUrl)) throw new Error('DATABASE_READ_URL must start with postgres:// or postgresql://');
  if (!loadDatabaseUrl(env)) {
    throw new Error('DATABASE_READ_URL needs DATABASE_URL: a read replica is a replica of a PostgreSQL primary, not of PGlite');
  }
  return readUrl;
}

/** Set by the cluster primary (main.ts) in each worker's environment, never by hand. */
export const WORKER_SLOT_VARIABLE = 'STARFUND_WORKER_SLOT';

/**
 * `WORKERS` (default 1, at most 64). PGlite is one process's embedded database: with it, more than one
 * worker is refused at start (a clear error rather than a silently single process).
 */
export function loadWorkers(env: NodeJS.ProcessEnv = process.env): number {
  const workers = intFromEnv('WORKERS', 1, env, 64);
  if (workers < 1) throw new Error('WORKERS must be at least 1');
  if (workers > 1 && !loadDatabaseUrl(env)) {
    throw new Error(
      `WORKERS=${workers} needs PostgreSQL (DATABASE_URL): the embedded PGlite database lives in one process. Unset WORKERS or set DATABASE_URL.`,
    );
  }
  return workers;
}

/** `STARFUND_NOW`: the instant the application clock starts on, or null for the machine's time. */
export function loadClockSetting(env: NodeJS.ProcessEnv = process.env): Date | null {
  return env.STARFUND_NOW && env.STARFUND_NOW.trim() !== '' ? parseClockSetting(env.STARFUND_NOW) : null;
}

/** `NEEDS_SUBMIT_RATE_LIMIT`, `OBJECTION_RATE_LIMIT`, `PORTAL_RATE_LIMIT` (PUBLIC_RATE_LIMIT_VARIABLES). */
export function loadPublicRateLimits(env: NodeJS.ProcessEnv = process.env): AppConfig['publicRateLimits'] {
  return {
    needsSubmitPerMinute: intFromEnv('NEEDS_SUBMIT_RATE_LIMIT', 30, env, Number.MAX_SAFE_INTEGER),
    objectionPerMinute: intFromEnv('OBJECTION_RATE_LIMIT', 20, env, Number.MAX_SAFE_INTEGER),
    portalPerMinute: intFromEnv('PORTAL_RATE_LIMIT', 300, env, Number.MAX_SAFE_INTEGER),
  };
}

/** Where the benchmarks keep their generated data (bench/database.ts). */
export interface BenchConfig {
  /** `BENCH_DATABASE_URL`: one PostgreSQL database for every scale (overrides the next two). */
  benchDatabaseUrl: string | null;
  /** `DATABASE_URL`: the benchmarks create `starfund_bench_<scale>` on its server. */
  databaseUrl: string | null;
  /** `BENCH_DATA_DIR`: the PGlite directory (default `./data/bench-<scale>`). */
  benchDataDir: string | null;
}

export function loadBenchConfig(env: NodeJS.ProcessEnv = process.env): BenchConfig {
  return {
    benchDatabaseUrl: env.BENCH_DATABASE_URL || null,
    databaseUrl: env.DATABASE_URL || null,
    benchDataDir: env.BENCH_DATA_DIR ?? null,
  };
}
