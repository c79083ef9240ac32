import cluster, { type Worker } from 'node:cluster';
import { loadConfig, WORKER_SLOT_VARIABLE, type AppConfig } from './config.js';
import { openDatabase } from './db/client.js';
import { runMigrations } from './db/migrate.js';
import { buildApp } from './app.js';
import { buildServices } from './services.js';
import { Clock } from './common/clock.js';
import { startReminderScheduler } from './modules/notify/notify.scheduler.js';

/** A worker that served (listened) this long before dying is restarted at once; quicker deaths, and deaths before serving, back off. */
const HEALTHY_AFTER_MS = 30_000;
const MAX_RESTART_DELAY_MS = 30_000;
/** How long the primary waits for its workers to close before it kills them. */
const SHUTDOWN_GRACE_MS = 15_000;

const startedAt = performance.now();
let config: AppConfig;
try {
  config = loadConfig();
} catch (err) {
  // A configuration mistake (e.g. WORKERS>1 on PGlite) is a sentence for the operator, not a stack trace.
  console.error(`StarFund cannot start: ${(err as Error).message}`);
  process.exit(1);
}

if (cluster.isPrimary && config.workers > 1) await runClusterPrimary(config);
else await runServer(config, cluster.isPrimary);

/**
 * One server process: the only one (WORKERS=1), or a cluster worker. Only a process that is alone
 * migrates and seeds; a cluster's primary has done both before forking.
 */
async function runServer(config: AppConfig, alone: boolean): Promise<void> {
  const database = await openDatabase(config);
  if (alone) await runMigrations(database);
  const app = await buildApp(config, database);
  if (alone && config.seedDemo) {
    // Loaded only for a demo server: the generator and its data are no part of a real one's start.
    const { seedDemoCity } = await import('./seed/seed.js');
    const seeded = await seedDemoCity(database.db, app.services);
    if (seeded) app.log.info({ seeded }, 'demo city seeded');
  }
  await app.listen({ port: config.port, host: config.host });
  const where = `${database.kind}${database.kind === 'pglite' ? `, data in ${config.dataDir}` : ''}${database.replica ? ', reads from the replica' : ''}`;
  const who = alone ? '' : ` worker ${config.workerSlot ?? cluster.worker?.id} (pid ${process.pid})`;
  app.log.info(
    `StarFund console${who} on http://${config.host}:${config.port} (${where}) ready in ${Math.round(performance.now() - startedAt)} ms`,
  );

  // Reminders by e-mail and group robots (ADR 0018): only with REMINDERS=on. The outbox sends each message
  // once whoever dispatches it, but one scheduler is enough: in a cluster it runs in worker 1 only.
  const runsReminders = alone || config.workerSlot === 1;
  const reminders = runsReminders
    ? startReminderScheduler(app.services.notify, app.clock, config.reminders, app.log)
    : { stop: async () => undefined };
  if (config.reminders.enabled && runsReminders)
    app.log.info(`reminders on: every ${config.reminders.intervalMinutes} min, digest from ${config.reminders.digestHour}:00`);

  let closing = false;
  const close = async () => {
    if (closing) return;
    closing = true;
    await reminders.stop();
    await app.close();
    await database.close();
    process.exit(0);
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, close);
  // A worker is told to stop by its primary (cluster `disconnect`), or loses it: it closes the same way.
  if (!alone) cluster.worker?.on('disconnect', () => void close());
}

/**
 * The cluster's primary (WORKERS=n, PostgreSQL): migrates and seeds once, then forks n workers that share
 * the port (the primary accepts connections and hands them round). A worker that dies is replaced, after a
 * delay that doubles with each quick death (up to 30 s) so a broken start is not a crash loop. SIGTERM or
 * SIGINT stops the workers (each closes its server and pool) and then the primary.
 */
async function runClusterPrimary(config: AppConfig): Promise<void> {
  const log = (message: string) => console.log(`[starfund primary ${process.pid}] ${message}`);
  const database = await openDatabase(config);
  try {
    await runMigrations(database);
    if (config.seedDemo) {
      const services = buildServices(database.db, new Clock(config.now), { ...config.reminders, publicBaseUrl: config.publicBaseUrl });
      const { seedDemoCity } = await import('./seed/seed.js');
      const seeded = await seedDemoCity(database.db, services);
      if (seeded) log(`demo city seeded: ${JSON.stringify(seeded)}`);
    }
  } finally {
    await database.close();
  }

  let stopping = false;
  const slots = new Map<Worker, { slot: number; listeningSince: number | null }>();
  const quickDeaths = new Map<number, number>();
  const fork = (slot: number) => {
    const worker = cluster.fork({ [WORKER_SLOT_VARIABLE]: String(slot) });
    slots.set(worker, { slot, listeningSince: null });
  };
  cluster.on('listening', (worker) => {
    const entry = slots.get(worker);
    if (entry) entry.listeningSince = Date.now();
  });

  cluster.on('exit', (worker, code, signal) => {
    const entry = slots.get(worker);
    slots.delete(worker);
    if (!entry) return;
    if (stopping) {
      if (slots.size === 0) {
        log('all workers stopped');
        process.exit(0);
      }
      return;
    }
    const served = entry.listeningSince === null ? 0 : Date.now() - entry.listeningSince;
    const deaths = served >= HEALTHY_AFTER_MS ? 0 : (quickDeaths.get(entry.slot) ?? 0) + 1;
    quickDeaths.set(entry.slot, deaths);
    const delay = deaths === 0 ? 0 : Math.min(MAX_RESTART_DELAY_MS, 500 * 2 ** (deaths - 1));
    log(`worker ${entry.slot} (pid ${worker.process.pid}) died (${signal ?? `exit code ${code}`}); restarting it in ${delay} ms`);
    setTimeout(() => {
      if (!stopping) fork(entry.slot);
    }, delay);
  });

  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping ${slots.size} workers`);
    if (slots.size === 0) process.exit(0);
    for (const worker of slots.keys()) worker.process.kill('SIGTERM');
    setTimeout(() => {
      log(`workers still running after ${SHUTDOWN_GRACE_MS} ms: killing them`);
      for (const worker of slots.keys()) worker.process.kill('SIGKILL');
      process.exit(1);
    }, SHUTDOWN_GRACE_MS).unref();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));

  for (let slot = 1; slot <= config.workers; slot++) fork(slot);
  log(
    `${config.workers} workers on http://${config.host}:${config.port} (postgres${config.databaseReadUrl ? ', reads from the replica' : ''}), migrated in ${Math.round(performance.now() - startedAt)} ms`,
  );
}
