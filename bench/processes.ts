import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const tsx = path.join(root, 'node_modules', '.bin', 'tsx');

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
 * process) does not share its event loop: `app` is StarFund's own `server/src/main.ts`, `bare`
 * the baseline server (`bench/bare-server.ts`).
 */
export async function startServer(
  kind: 'app' | 'bare',
  env: Record<string, string>,
  healthPath = kind === 'app' ? '/api/health' : '/health',
): Promise<ServerProcess> {
  const port = await freePort();
  const script = kind === 'app' ? path.join(root, 'server/src/main.ts') : path.join(root, 'bench/bare-server.ts');
  const started = performance.now();
  // BENCH_CPU_PROF=<dir>: the app server writes a V8 CPU profile there when it stops (issue 20).
  const profile = kind === 'app' && process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  const child = spawn(tsx, [...profile, script], {
    cwd: root,
    env: { ...process.env, SEED_DEMO: '0', LOG_LEVEL: 'silent', HOST: '127.0.0.1', ...env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const url = `http://127.0.0.1:${port}`;
  // A deadline, not a measurement: a busy machine seeding the demo can take minutes.
  const deadline = Date.now() + 300_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${kind} server exited with ${child.exitCode}: ${stderr}`);
    try {
      const res = await fetch(url + healthPath);
      if (res.status === 200) break;
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

/** Resident memory of the server: the largest process of the tree (tsx runs node as a child), from /proc. */
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
