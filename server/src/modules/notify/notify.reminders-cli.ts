import { loadConfig } from '../../config.js';
import { Clock } from '../../common/clock.js';
import { openDatabase } from '../../db/client.js';
import { runMigrations } from '../../db/migrate.js';
import { buildServices } from '../../services.js';
import { chinaHour } from './notify.rules.js';
import { startReminderScheduler } from './notify.scheduler.js';

/**
 * `npm run reminders -- --once`: enqueue today's reminders (the digest from REMINDERS_DIGEST_HOUR
 * on, or at any hour with `--digest`) and dispatch the outbox once, for cron. Without `--once` it
 * runs the reminder timer in the foreground until interrupted. Nothing is sent unless REMINDERS=on.
 */
const args = process.argv.slice(2);
const config = loadConfig();
if (!config.reminders.enabled) {
  console.log('reminders are off: nothing enqueued or sent (set REMINDERS=on to enable)');
  process.exit(0);
}
const database = await openDatabase(config);
await runMigrations(database);
const clock = new Clock(config.now);
const services = buildServices(database.db, clock, { ...config.reminders, publicBaseUrl: config.publicBaseUrl });
if (args.includes('--once')) {
  try {
    const digest = args.includes('--digest') || chinaHour(clock.now()) >= config.reminders.digestHour;
    const result = await services.notify.runOnce({ digest });
    console.log(`reminders: ${result.enqueued} enqueued, ${result.sent} sent, ${result.failed} failed attempts`);
  } finally {
    await database.close();
  }
} else {
  const log = { info: (o: object, m: string) => console.log(m, JSON.stringify(o)), error: (o: object, m: string) => console.error(m, o) };
  const scheduler = startReminderScheduler(services.notify, clock, config.reminders, log);
  console.log(`reminders every ${config.reminders.intervalMinutes} min, digest from ${config.reminders.digestHour}:00 (China time)`);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, async () => {
      await scheduler.stop();
      await database.close();
      process.exit(0);
    });
  }
}
