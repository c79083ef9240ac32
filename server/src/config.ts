import path from 'node:path';

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
  };
}
