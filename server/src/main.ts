import { loadConfig } from './config.js';
import { openDatabase } from './db/client.js';
import { runMigrations } from './db/migrate.js';
import { buildApp } from './app.js';
import { startReminderScheduler } from './modules/notify/notify.scheduler.js';

const startedAt = performance.now();
const config = loadConfig();
const database = await openDatabase(config);
await runMigrations(database);
const app = await buildApp(config, database);
if (config.seedDemo) {
  // Loaded only for a demo server: the generator and its data are no part of a real one's start.
  const { seedDemoCity } = await import('./seed/seed.js');
  const seeded = await seedDemoCity(database.db, app.services);
  if (seeded) app.log.info({ seeded }, 'demo city seeded');
}
await app.listen({ port: config.port, host: config.host });
app.log.info(
  `StarFund console on http://${config.host}:${config.port} (${database.kind}${database.kind === 'pglite' ? `, data in ${config.dataDir}` : ''}) ready in ${Math.round(performance.now() - startedAt)} ms`,
);

// Reminders by e-mail and group robots (ADR 0018): only with REMINDERS=on.
const reminders = startReminderScheduler(app.services.notify, app.clock, config.reminders, app.log);
if (config.reminders.enabled)
  app.log.info(`reminders on: every ${config.reminders.intervalMinutes} min, digest from ${config.reminders.digestHour}:00`);

let closing = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, async () => {
    if (closing) return;
    closing = true;
    await reminders.stop();
    await app.close();
    await database.close();
    process.exit(0);
  });
}
