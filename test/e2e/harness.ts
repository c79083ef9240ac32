import { spawn, type ChildProcess } from 'node:child_process';
import { bundlePath } from '../../scripts/server-bundle.mjs';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';

export const DEMO_PASSWORD = 'StarFund@2026';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

export interface RunningServer {
  baseUrl: string;
  stop(): Promise<void>;
}

/**
 * Starts the real server (`server/src/main.ts`) as `npm start` would, on a fresh data directory
 * (or a fresh PostgreSQL database when DATABASE_URL is set), with the demo city seeded.
 * The console must have been built (`npm run test:e2e` builds it first).
 */
export async function startServer(extraEnv: Record<string, string> = {}): Promise<RunningServer> {
  if (!fs.existsSync('dist/web/index.html')) throw new Error('dist/web is missing: run `npm run build:web` first');
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sf-e2e-'));
  let dropDatabase: (() => Promise<void>) | null = null;
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    ...extraEnv,
  };
  if (process.env.DATABASE_URL) {
    const { createTestDatabase } = await import('../helpers/app.js');
    const created = await createTestDatabase();
    env.DATABASE_URL = created.databaseUrl!;
    await created.database.close();
    dropDatabase = async () => {
      const pg = await import('pg');
      const admin = new pg.default.Client({ connectionString: process.env.DATABASE_URL });
      await admin.connect();
      await admin.query(`drop database if exists ${new URL(env.DATABASE_URL!).pathname.slice(1)} with (force)`);
      await admin.end();
    };
  }
  // The server as `npm start` runs it: the bundle (built by this config's global setup).
  const child: ChildProcess = spawn(process.execPath, [bundlePath('main')], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 240_000; // a loaded machine (several sessions building and testing) needs more than 90 s
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited early (${child.exitCode}):\n${output}`);
    try {
      const res = await fetch(`${baseUrl}/api/health`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server did not start in time:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    baseUrl,
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
      fs.rmSync(dataDir, { recursive: true, force: true });
      await dropDatabase?.();
    },
  };
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-quic',
      '--no-first-run',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export async function newPage(
  browser: Browser,
  baseUrl: string,
  viewport = { width: 1366, height: 900 },
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL: baseUrl, viewport, locale: 'zh-CN' });
  const page = await context.newPage();
  return { context, page };
}

/** Signs in through the login page, as a person would. */
export async function signIn(page: Page, username: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: /登\s*录/ }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}

// Loosely typed on purpose: fixtures driven through the public API, checked by value or status.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/** The public API as one signed-in account (its session cookie); a call that does not answer 2xx throws. */
export interface ApiClient {
  <T = Json>(method: string, path: string, body?: unknown): Promise<T>;
  get<T = Json>(path: string): Promise<T>;
  post<T = Json>(path: string, body?: unknown): Promise<T>;
  put<T = Json>(path: string, body: unknown): Promise<T>;
  patch<T = Json>(path: string, body: unknown): Promise<T>;
}

/** Signs in through `/api/auth/login` and returns a client for `/api/...` paths. */
export async function apiClient(baseUrl: string, username: string, password = DEMO_PASSWORD): Promise<ApiClient> {
  const res = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (!res.ok) throw new Error(`sign-in of ${username} → ${res.status} ${await res.text()}`);
  const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
  const call = async <T = Json>(method: string, path: string, body?: unknown): Promise<T> => {
    const r = await fetch(`${baseUrl}/api${path}`, {
      method,
      headers: { cookie, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await r.text();
    if (!r.ok) throw new Error(`${method} ${path} → ${r.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };
  return Object.assign(call, {
    get: <T = Json>(path: string) => call<T>('GET', path),
    post: <T = Json>(path: string, body: unknown = {}) => call<T>('POST', path, body),
    put: <T = Json>(path: string, body: unknown) => call<T>('PUT', path, body),
    patch: <T = Json>(path: string, body: unknown) => call<T>('PATCH', path, body),
  });
}

/** What a browser test file works with: its server, its Chromium, pages and API clients. */
export interface E2E {
  /** http://127.0.0.1:<port> of the file's server. */
  readonly baseUrl: string;
  readonly browser: Browser;
  /** A fresh browser context and page on the server (the test closes the context). */
  newPage(viewport?: { width: number; height: number }): Promise<{ context: BrowserContext; page: Page }>;
  /** The public API signed in as `username` (the demo password by default). */
  api(username: string, password?: string): Promise<ApiClient>;
}

/**
 * The one preamble of every browser test file: call it at the file's top level. Before the file's
 * tests it starts the real server (with `extraEnv`, e.g. `STARFUND_NOW`) on a fresh database and
 * launches Chromium; after them it closes both.
 */
export function useE2E(extraEnv: Record<string, string> = {}): E2E {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    server = await startServer(extraEnv);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });
  const running = () => {
    if (!server || !browser) throw new Error('the e2e fixture has not started: call useE2E() at the top level of the test file');
    return { server, browser };
  };
  return {
    get baseUrl() {
      return running().server.baseUrl;
    },
    get browser() {
      return running().browser;
    },
    newPage: (viewport) => newPage(running().browser, running().server.baseUrl, viewport),
    api: (username, password) => apiClient(running().server.baseUrl, username, password),
  };
}
