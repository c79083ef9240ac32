import http from 'node:http';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import { bundlePath, ensureServerBundle, projectRoot as root } from '../scripts/server-bundle.mjs';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** Milliseconds from spawn to the first 200 of the health URL. */
  readyMs: number;
  rssBytes(): number;
  stop(): Promise<void>;
}

/**
 * Starts a server in its own process, so that the load generator (autocannon, in the bench's
 * process) does not share its event loop: `app` is StarFund's own server, `bare` the baseline
 * server (`bench/bare-server.ts`). Both run from the bundle (dist/server, ADR 0020) with plain
 * `node`, as `npm start` runs the app, so that the cold-start comparison is like for like; the
 * bundle is rebuilt first if a source changed.
 */
export async function startServer(
  kind: 'app' | 'bare',
  env: Record<string, string>,
  healthPath = kind === 'app' ? '/api/health' : '/health',
): Promise<ServerProcess> {
  const port = await freePort();
  await ensureServerBundle();
  const script = bundlePath(kind === 'app' ? 'main' : 'bare-server');
  const started = performance.now();
  // BENCH_CPU_PROF=<dir>: the app server writes a V8 CPU profile there when it stops (issue 20).
  const profile = kind === 'app' && process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  const child = spawn(process.execPath, [...profile, script], {
    cwd: root,
    // A read replica of the caller's database (DATABASE_READ_URL) is not the bench target's: only `env` sets one.
    env: { ...process.env, SEED_DEMO: '0', LOG_LEVEL: 'silent', HOST: '127.0.0.1', DATABASE_READ_URL: '', ...env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const url = `http://127.0.0.1:${port}`;
  const workersWanted = kind === 'app' ? Number(env.WORKERS ?? 1) : 1;
  const answered = new Set<number>();
  // A deadline, not a measurement: a busy machine seeding the demo can take minutes.
  const deadline = Date.now() + 300_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${kind} server exited with ${child.exitCode}: ${stderr}`);
    try {
      const res = await fetch(url + healthPath);
      if (res.status === 200 && workersWanted <= 1) break;
      // A cluster is ready when every worker has answered (each starts on its own; ADR 0025): asked on
      // new connections, which the primary hands round (fetch keeps its connection, so one worker).
      const slot = res.status === 200 ? await workerSlotOnNewConnection(url + healthPath) : undefined;
      if (slot) answered.add(slot);
      if (answered.size >= workersWanted) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${kind} server did not answer ${healthPath} within 300 s: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  const readyMs = performance.now() - started;
  return {
    url,
    child,
    readyMs,
    rssBytes: () => rssOfTree(child.pid!),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

/** The cluster worker that answers a health check on a connection of its own (its `worker.slot`), if any. */
function workerSlotOnNewConnection(healthUrl: string): Promise<number | undefined> {
  return new Promise((resolve) => {
    http
      .get(healthUrl, { agent: false }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () => {
          try {
            resolve((JSON.parse(text) as { worker?: { slot: number } }).worker?.slot);
          } catch {
            resolve(undefined);
          }
        });
      })
      .on('error', () => resolve(undefined));
  });
}

/** Resident memory of the server: the largest process of the tree (in case a wrapper runs node as a child), from /proc. */
export function rssOfTree(pid: number): number {
  const rss = (p: number) => {
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${p}/status`, 'utf8'));
      return m ? Number(m[1]) * 1024 : 0;
    } catch {
      return 0;
    }
  };
  const children = (p: number): number[] => {
    try {
      return fs.readFileSync(`/proc/${p}/task/${p}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
    } catch {
      return [];
    }
  };
  let largest = 0;
  const stack = [pid];
  while (stack.length) {
    const p = stack.pop()!;
    largest = Math.max(largest, rss(p));
    stack.push(...children(p));
  }
  return largest;
}
