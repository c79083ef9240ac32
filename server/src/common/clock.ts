import { isIsoDate, todayInChina, type IsoDate } from './dates.js';

/** A function returning the current instant: what every service reads "now" from. */
export type Now = () => Date;

/**
 * The application's one clock. Every business date ("today" in China, deadlines, the demo's
 * timeline) is read from it, never from `new Date()`, so that tests and demonstrations can put the
 * whole application on any date with one call (`clock.set('2027-01-05')`, or `STARFUND_NOW`), and
 * nothing in the product depends on the day the machine happens to be on.
 *
 * A clock that has been set keeps running from the instant it was set to, so that timestamps taken
 * a second apart still differ and order as they were taken.
 */
export class Clock {
  private offsetMs = 0;
  /** The instant a frozen clock stays on (`freeze`); null while it runs. */
  private frozenAt: number | null = null;

  constructor(
    start: Date | null = null,
    private readonly system: () => number = Date.now,
  ) {
    if (start) this.set(start);
  }

  now(): Date {
    return new Date(this.frozenAt ?? this.system() + this.offsetMs);
  }

  /** Today's date in China (UTC+8), the zone every deadline of the notice is counted in. */
  today(): IsoDate {
    return todayInChina(this.now());
  }

  /** Puts the clock on an instant, or on a China date (10:00 that morning), and lets it run on. */
  set(at: Date | IsoDate): void {
    const instant = typeof at === 'string' ? parseClockSetting(at) : at;
    this.offsetMs = instant.getTime() - this.system();
    this.frozenAt = null;
  }

  /**
   * Stops the clock on an instant (or a China date, 10:00) until it is set again: for a test that
   * asserts a timestamp to the millisecond. Never used by the product.
   */
  freeze(at: Date | IsoDate): void {
    const instant = typeof at === 'string' ? parseClockSetting(at) : at;
    this.set(instant);
    this.frozenAt = instant.getTime();
  }

  /** Back to the machine's time. */
  reset(): void {
    this.offsetMs = 0;
    this.frozenAt = null;
  }

  /** The clock as the plain function services take. */
  readonly asNow: Now = () => this.now();
}

/**
 * Reads a clock setting: a China date `YYYY-MM-DD` (taken as 10:00 China time, mid-morning of a
 * working day) or an ISO 8601 instant with its offset (`2026-12-31T20:00:00Z`).
 */
export function parseClockSetting(value: string): Date {
  const text = value.trim();
  if (isIsoDate(text)) return new Date(`${text}T10:00:00+08:00`);
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(text) && isIsoDate(text.slice(0, 10))) {
    const instant = new Date(text);
    if (!Number.isNaN(instant.getTime())) return instant;
  }
  throw new Error(`not a date (YYYY-MM-DD) or an ISO instant with offset: "${value}"`);
}
