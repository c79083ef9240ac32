import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { bundlePath } from '../../scripts/server-bundle.mjs';
import http from 'node:http';
import net from 'node:net';
import pg from 'pg';
import { createTestDatabase, DEMO_PASSWORD } from '../helpers/app.js';

/**
 * WORKERS=n (ADR 0025): the real server as a node:cluster primary with two workers on one port, on
 * PostgreSQL. Two processes answer; a write answered by one is read by the other; a worker that dies
 * is replaced; SIGTERM to the primary stops everything. With PGlite, WORKERS>1 is refused at start.
 */
const onPostgres = Boolean(process.env.DATABASE_URL);
const YEAR = 2026;

interface Health {
  worker?: { slot: number; pid: number };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

const REQUEST_TIMEOUT_MS = 3_000;

/** One HTTP request on the given agent (a kept-alive connection stays with the worker that accepted it). */
function request(
  agent: http.Agent,
  port: number,
  method: string,
  url: string,
  body?: object,
  cookie?: string,
): Promise<{ status: number; json: unknown; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const payload = body ? JSON.stringify(body) : undefined;
    const req = http.request(
      {
        agent,
        host: '127.0.0.1',
        port,
        method,
        path: url,
        headers: {
          ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}),
          ...(cookie ? { cookie } : {}),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode!, json: text ? JSON.parse(text) : null, headers: res.headers }));
      },
    );
    req.on('error', reject);
    // A connection the primary handed to a worker as it died is lost, not refused: give up on it and ask again.
    req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new Error(`no answer in ${REQUEST_TIMEOUT_MS} ms`)));
    req.end(payload);
  });
}

function start(env: NodeJS.ProcessEnv): { child: ChildProcess; output: () => string } {
  // The bundle, as `npm start` runs it (ADR 0020): each worker's start is a cold start, seconds, not a TypeScript
  // compilation. Its own process group: the primary and its workers are stopped together if the test fails.
  const child = spawn(process.execPath, [bundlePath('main')], { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  return { child, output: () => output };
}

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('WORKERS with PGlite', () => {
  it('is refused at start with a clear message', async () => {
    const { child, output } = start({ ...process.env, DATABASE_URL: '', DATABASE_READ_URL: '', WORKERS: '2', DATA_DIR: 'memory://' });
    expect(await exited(child)).toBe(1);
    expect(output()).toMatch(/WORKERS=2 needs PostgreSQL \(DATABASE_URL\)/);
  }, 30_000);
});

describe.runIf(onPostgres)('WORKERS=2 on PostgreSQL', () => {
  let server: ReturnType<typeof start>;
  let port: number;
  let drop: (() => Promise<void>) | null = null;
  let databaseUrl: string;

  beforeAll(async () => {
    const made = await createTestDatabase({ fromSeededSnapshot: true });
    await made.database.close();
    drop = async () => {
      const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
      await admin.connect();
      await admin.query(`drop database if exists "${new URL(made.databaseUrl!).pathname.slice(1)}" with (force)`);
      await admin.end();
    };
    databaseUrl = made.databaseUrl!;
    port = await freePort();
    server = start({
      ...process.env,
      DATABASE_URL: databaseUrl,
      DATABASE_READ_URL: '',
      WORKERS: '2',
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      SEED_DEMO: '0',
    });
    // Ready when both workers have answered (each starts on its own).
    const answered = new Set<number>();
    const deadline = Date.now() + 110_000;
    for (;;) {
      if (server.child.exitCode !== null) throw new Error(`server exited early (${server.child.exitCode}):\n${server.output()}`);
      try {
        const res = await request(new http.Agent(), port, 'GET', '/api/health');
        const slot = (res.json as Health).worker?.slot;
        if (res.status === 200 && slot) answered.add(slot);
        if (answered.size === 2) break;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`server did not start in time:\n${server.output()}`);
      await sleep(200);
    }
  }, 120_000);

  afterAll(async () => {
    if (server && server.child.exitCode === null && server.child.signalCode === null) {
      try {
        process.kill(-server.child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await drop?.();
  });

  /** Kept-alive connections, one per worker: opened until both workers have one. */
  async function connectionsToEachWorker(): Promise<Map<number, { agent: http.Agent; pid: number }>> {
    const byWorker = new Map<number, { agent: http.Agent; pid: number }>();
    for (let i = 0; i < 40 && byWorker.size < 2; i++) {
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      const health = (await request(agent, port, 'GET', '/api/health')).json as Health;
      expect(health.worker).toBeDefined();
      if (byWorker.has(health.worker!.slot)) agent.destroy();
      else byWorker.set(health.worker!.slot, { agent, pid: health.worker!.pid });
    }
    return byWorker;
  }

  it('answers from two processes; a write answered by one is read by the other', async () => {
    const workers = await connectionsToEachWorker();
    expect([...workers.keys()].sort()).toEqual([1, 2]);
    const [one, two] = [workers.get(1)!, workers.get(2)!];
    expect(one.pid).not.toBe(two.pid);
    expect(one.pid).not.toBe(server.child.pid);

    // A kept-alive connection stays with its worker.
    expect(((await request(one.agent, port, 'GET', '/api/health')).json as Health).worker!.pid).toBe(one.pid);

    const admin = new pg.Client({ connectionString: databaseUrl });
    await admin.connect();
    const found = await admin.query<{ code: string; street: string }>(
      `select r.code, r.parent_code as street from region r
        where r.code = (select min(community_code) from contract where signed_on is not null and fund_year = $1)`,
      [YEAR],
    );
    await admin.end();
    const { code, street } = found.rows[0]!;
    const page = `/api/public/portal/communities/${code}?year=${YEAR}`;
    const contractsPublishedOn = (json: unknown) =>
      (json as { disclosures: { kind: string; publishedOn: string | null }[] }).disclosures.find((d) => d.kind === 'contracts')!
        .publishedOn;

    // Worker 2 has the page in its cache before the write.
    expect(contractsPublishedOn((await request(two.agent, port, 'GET', page)).json)).toBeNull();

    // Signed in and written through worker 1.
    const signedIn = await request(one.agent, port, 'POST', '/api/auth/login', { username: `street-${street}`, password: DEMO_PASSWORD });
    expect(signedIn.status).toBe(200);
    const cookie = String(signedIn.headers['set-cookie']![0]).split(';')[0]!;
    const today = ((await request(one.agent, port, 'GET', '/api/clock')).json as { today: string }).today;
    const written = await request(
      one.agent,
      port,
      'POST',
      '/api/disclosure/records',
      { communityCode: code, fundYear: YEAR, kind: 'contracts', publishedOn: today, title: '服务合同公开' },
      cookie,
    );
    expect(written.status).toBe(200);

    // Worker 2 sees it at once: its cached page is keyed by the database's audit version, not by its own writes.
    expect(contractsPublishedOn((await request(two.agent, port, 'GET', page)).json)).toBe(today);
    // The session made by worker 1 is valid on worker 2 (sessions live in the database).
    expect((await request(two.agent, port, 'GET', '/api/auth/me', undefined, cookie)).status).toBe(200);
    one.agent.destroy();
    two.agent.destroy();
  }, 60_000);

  // A worker's start is the server's cold start: seconds with the bundle, longer under tsx on a busy machine.
  it('replaces a worker that dies', async () => {
    const before = await connectionsToEachWorker();
    const victim = before.get(2)!;
    before.forEach((w) => w.agent.destroy());
    process.kill(victim.pid, 'SIGKILL');

    // The primary forks a new worker 2 (a new process).
    let replaced: number | null = null;
    const deadline = Date.now() + 55_000;
    while (replaced === null && Date.now() < deadline) {
      const health = (await request(new http.Agent(), port, 'GET', '/api/health').catch(() => null))?.json as Health | undefined;
      if (health?.worker?.slot === 2 && health.worker.pid !== victim.pid) replaced = health.worker.pid;
      else await sleep(200);
    }
    expect(replaced).not.toBeNull();
    expect(alive(victim.pid)).toBe(false);
    expect(server.output()).toMatch(/worker 2 \(pid \d+\) died \(SIGKILL\); restarting it/);
  }, 60_000);

  it('stops the workers and then itself on SIGTERM', async () => {
    const workers = await connectionsToEachWorker();
    const pids = [...workers.values()].map((w) => w.pid);
    expect(pids).toHaveLength(2);
    workers.forEach((w) => w.agent.destroy());
    // SIGTERM to the primary: the workers close, then the primary exits cleanly.
    server.child.kill('SIGTERM');
    expect(await exited(server.child)).toBe(0);
    for (const pid of pids) {
      for (let i = 0; i < 50 && alive(pid); i++) await sleep(100);
      expect(alive(pid)).toBe(false);
    }
    expect(server.output()).toMatch(/all workers stopped/);
  }, 30_000);
});
