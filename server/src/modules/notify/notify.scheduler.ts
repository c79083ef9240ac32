import type { Clock } from '../../common/clock.js';
import type { RemindersConfig } from '../../config.js';
import { chinaHour } from './notify.rules.js';
import type { NotifyService } from './notify.service.js';

export interface ReminderLog {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/**
 * The reminder timer of a running server (ADR 0018), started by main.ts only when `REMINDERS=on`:
 * every `intervalMinutes` it enqueues the immediate notices — and, from `digestHour` (China time) on,
 * the day's digest — then dispatches the outbox. Ticks never overlap; `stop()` waits for the one
 * running. Several instances may run it: the outbox sends each message once.
 */
export function startReminderScheduler(notify: NotifyService, clock: Clock, config: RemindersConfig, log: ReminderLog) {
  if (!config.enabled) return { stop: async () => undefined };
  let running: Promise<void> | null = null;
  let stopped = false;
  const tick = () => {
    if (running || stopped) return;
    running = notify
      .runOnce({ digest: chinaHour(clock.now()) >= config.digestHour })
      .then((result) => {
        if (result.enqueued || result.sent || result.failed) log.info({ reminders: result }, 'reminders dispatched');
      })
      .catch((err: unknown) => log.error({ err }, 'reminders run failed'))
      .finally(() => {
        running = null;
      });
  };
  const timer = setInterval(tick, config.intervalMinutes * 60_000);
  timer.unref();
  setTimeout(tick, 1_000).unref();
  return {
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
