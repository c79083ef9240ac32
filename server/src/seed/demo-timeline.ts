import { addDays, yearOf, type IsoDate } from '../common/dates.js';

/**
 * When the demo city stands. The demo is seeded on the day it first starts and must look like a
 * city caught in the middle of a fund year whatever that day is (ADR 0009): its fund year follows
 * the application clock, and every date it writes is either a fixed day of that fund year that has
 * already passed, or counted back from today so that countdowns stay live.
 */
export interface DemoTimeline {
  /** The application clock's date in China on the day of seeding. */
  today: IsoDate;
  /** The fund year the demo shows mid-procedure. */
  fundYear: number;
}

/**
 * From 1 August the demo shows the current year's fund: by then its needs collection (February to
 * March), council decisions and notices (April to May) and mid-term evaluation (30 June) [N 3.2]
 * have all passed, and its final evaluation (10 December) lies ahead. Before 1 August it shows
 * the previous year's fund being completed (final evaluations overdue, payments running), since
 * the current year's procedure has not reached most of its steps yet.
 */
export function demoFundYear(today: IsoDate): number {
  const year = yearOf(today);
  return today >= `${year}-08-01` ? year : year - 1;
}

export function demoTimeline(today: IsoDate): DemoTimeline {
  return { today, fundYear: demoFundYear(today) };
}

/** The earlier of a fixed day of the fund year and a day counted back from today. */
export function notAfter(date: IsoDate, limit: IsoDate): IsoDate {
  return date < limit ? date : limit;
}

/** The later of two dates. */
export function notBefore(date: IsoDate, floor: IsoDate): IsoDate {
  return date > floor ? date : floor;
}

export { addDays };
