import path from 'node:path';
import { parseClockSetting } from './common/clock.js';

export interface AppConfig {
  port: number;
  host: string;
  /** PGlite data directory; ignored when databaseUrl is set. 'memory://' keeps data in memory. */
  dataDir: string;
  databaseUrl: string | null;
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
}

function intFromEnv(name: string, fallback: number, env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65535) {
    throw new Error(`${name} must be an integer between 0 and 65535, got "${raw}"`);
  }
  return value;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const databaseUrl = env.DATABASE_URL && env.DATABASE_URL.trim() !== '' ? env.DATABASE_URL : null;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new Error('DATABASE_URL must start with postgres:// or postgresql://');
  }
  return {
    port: intFromEnv('PORT', 3000, env),
    host: env.HOST ?? '127.0.0.1',
    dataDir: path.resolve(env.DATA_DIR ?? './data'),
    databaseUrl,
    seedDemo: env.SEED_DEMO !== '0',
    webDir: path.resolve(env.WEB_DIR ?? './dist/web'),
    logLevel: env.LOG_LEVEL ?? 'info',
    secureCookies: env.COOKIE_SECURE === '1' || env.NODE_ENV === 'production',
    loginRateLimitPerMinute: intFromEnv('LOGIN_RATE_LIMIT', 20, env),
    now: env.STARFUND_NOW && env.STARFUND_NOW.trim() !== '' ? parseClockSetting(env.STARFUND_NOW) : null,
  };
}
