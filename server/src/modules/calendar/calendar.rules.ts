import { DomainError } from '../../common/errors.js';
import { addDays, weekday, yearOf, type IsoDate } from '../../common/dates.js';

/**
 * The working-day calendar as data: a weekday is a working day unless the State Council's notice
 * for that year makes it a rest day; a weekend is a rest day unless it is a make-up workday (调休).
 * A year whose notice has not been entered is *unpublished*: asking about it is an error, never a
 * silent guess ([N 3.1.2(2)] counts review days in working days).
 */
export interface WorkCalendar {
  publishedYears: ReadonlySet<number>;
  /** Exceptions only: date → true for a rest day on a weekday, false for a make-up workday. */
  exceptions: ReadonlyMap<IsoDate, boolean>;
}

export function calendarYearUnpublished(year: number): DomainError {
  return new DomainError(
    'CALENDAR_YEAR_UNPUBLISHED',
    {
      zh: `${year} 年节假日安排尚未发布（国务院通知未录入工作日历），无法计算工作日`,
      en: `The ${year} holiday calendar has not been published (the State Council notice is not entered), so working days cannot be counted`,
    },
    { kind: 'rule', details: { year } },
  );
}

export function isWorkday(calendar: WorkCalendar, date: IsoDate): boolean {
  const year = yearOf(date);
  if (!calendar.publishedYears.has(year)) throw calendarYearUnpublished(year);
  const exception = calendar.exceptions.get(date);
  if (exception !== undefined) return !exception;
  const day = weekday(date);
  return day !== 0 && day !== 6;
}

/**
 * The n-th working day after `date` (the start day is not counted). Used for the street's
 * 7-working-day review deadline.
 */
export function addWorkdays(calendar: WorkCalendar, date: IsoDate, n: number): IsoDate {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`working days must be a non-negative integer, got ${n}`);
  let current = date;
  let remaining = n;
  while (remaining > 0) {
    current = addDays(current, 1);
    if (isWorkday(calendar, current)) remaining -= 1;
  }
  return current;
}

/**
 * End of a period of `days` days starting on `start`, by the Civil Code: the start day is not
 * counted (§201) and a period whose last day is a statutory rest day ends on the next working
 * day (§203). Used for the 10-day public notice [N 3.1.2(1)].
 */
export function windowEnd(calendar: WorkCalendar, start: IsoDate, days: number): IsoDate {
  if (!Number.isInteger(days) || days < 1) throw new RangeError(`a period must be at least one day, got ${days}`);
  let end = addDays(start, days);
  while (!isWorkday(calendar, end)) end = addDays(end, 1);
  return end;
}

/**
 * Working days left from `from` until `to`: the working days in (from, to]; negative (the working
 * days overdue) when `to` lies before `from`. Drives the to-do list's countdowns.
 */
export function workdaysBetween(calendar: WorkCalendar, from: IsoDate, to: IsoDate): number {
  if (from > to) return -workdaysBetween(calendar, to, from);
  let count = 0;
  for (let current = addDays(from, 1); current <= to; current = addDays(current, 1)) {
    if (isWorkday(calendar, current)) count += 1;
  }
  return count;
}

export function buildCalendar(years: Iterable<number>, days: Iterable<{ date: IsoDate; isOffDay: boolean }>): WorkCalendar {
  const exceptions = new Map<IsoDate, boolean>();
  for (const d of days) exceptions.set(d.date, d.isOffDay);
  return { publishedYears: new Set(years), exceptions };
}
