import { addDays, weekday, yearOf, type IsoDate } from '../../common/dates.js';
import type { CalendarDayView } from './calendar.schemas.js';
import { statutoryLawFor, statutoryRestDays } from './statutory-holidays.js';

/**
 * The working-day calendar as data: a weekday is a working day unless the State Council's notice
 * for that year makes it a rest day; a weekend is a rest day unless it is a make-up workday (调休)
 * ([N 3.1.2(2)] counts review days in working days).
 *
 * A year whose notice has not been entered is *provisional*: its rest days are the statutory
 * holidays fixed by law (《全国年节及纪念日放假办法》) plus Saturdays and Sundays, with no bridging
 * days and no make-up workdays — the State Council's 调休 are never guessed. Every answer that
 * passed through a provisional year says so (`provisional`), so that it is shown as 暂定 and
 * recomputed when the notice is entered (ADR 0009).
 */
export interface WorkCalendar {
  publishedYears: ReadonlySet<number>;
  /** Exceptions of published years only: date → true for a rest day on a weekday, false for a make-up workday. */
  exceptions: ReadonlyMap<IsoDate, boolean>;
}

/** An answer of the calendar, with the provisional years it went through (none: final). */
export interface CalendarAnswer<T> {
  value: T;
  provisional: boolean;
  provisionalYears: number[];
}

/** A date computed by the calendar (a due date, a window's end). */
export interface ComputedDate {
  date: IsoDate;
  provisional: boolean;
  provisionalYears: number[];
}

/** Calendar arithmetic, ADR 0009 (provisional calendar): why a provisional answer is provisional, for the API and the screen. */
export function provisionalReason(years: readonly number[]): { zh: string; en: string } | null {
  if (years.length === 0) return null;
  const list = years.join('、');
  const law = statutoryLawFor(years[0]!).source;
  return {
    zh: `暂定：${list} 年节假日安排（国务院通知）尚未录入工作日历，按${law}规定的法定节假日和周末推算，未计调休；通知录入后自动重算`,
    en: `Provisional: the ${years.join(', ')} holiday notice of the State Council is not entered yet; counted from the statutory holidays and weekends only, without make-up days, and recomputed when the notice is entered`,
  };
}

const statutoryCache = new Map<number, ReadonlySet<IsoDate>>();

function statutorySet(year: number): ReadonlySet<IsoDate> {
  let set = statutoryCache.get(year);
  if (!set) {
    set = new Set(statutoryRestDays(year).map((d) => d.date));
    statutoryCache.set(year, set);
  }
  return set;
}

/** Collects the provisional years a computation touches. */
class Trace {
  readonly years = new Set<number>();
  answer<T>(value: T): CalendarAnswer<T> {
    const provisionalYears = [...this.years].sort((a, b) => a - b);
    return { value, provisional: provisionalYears.length > 0, provisionalYears };
  }
}

function workdayTraced(calendar: WorkCalendar, date: IsoDate, trace: Trace | null): boolean {
  const year = yearOf(date);
  const day = weekday(date);
  if (!calendar.publishedYears.has(year)) {
    trace?.years.add(year);
    return day !== 0 && day !== 6 && !statutorySet(year).has(date);
  }
  const exception = calendar.exceptions.get(date);
  if (exception !== undefined) return !exception;
  return day !== 0 && day !== 6;
}

/** [N 3.1.2(2)] (working days; calendar arithmetic, ADR 0009): whether `date` is a working day, with the provisional years it relied on. */
export function isWorkdayDetailed(calendar: WorkCalendar, date: IsoDate): CalendarAnswer<boolean> {
  const trace = new Trace();
  return trace.answer(workdayTraced(calendar, date, trace));
}

/** [N 3.1.2(2)] (working days; calendar arithmetic, ADR 0009): whether `date` is a working day. */
export function isWorkday(calendar: WorkCalendar, date: IsoDate): boolean {
  return workdayTraced(calendar, date, null);
}

/**
 * [N 3.1.2(2)] The n-th working day after `date` (the start day is not counted). Used for the
 * street's 7-working-day review deadline; provisional through an unentered year (ADR 0009).
 */
export function addWorkdaysDetailed(calendar: WorkCalendar, date: IsoDate, n: number): ComputedDate {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`working days must be a non-negative integer, got ${n}`);
  const trace = new Trace();
  let current = date;
  let remaining = n;
  while (remaining > 0) {
    current = addDays(current, 1);
    if (workdayTraced(calendar, current, trace)) remaining -= 1;
  }
  const { value, ...rest } = trace.answer(current);
  return { date: value, ...rest };
}

/** [N 3.1.2(2)] `addWorkdaysDetailed`, the date alone (calendar arithmetic, ADR 0009). */
export function addWorkdays(calendar: WorkCalendar, date: IsoDate, n: number): IsoDate {
  return addWorkdaysDetailed(calendar, date, n).date;
}

/**
 * [N 3.1.2(1)] [L] 民法典 §201/§203 (ADR 0009 for provisional years). End of a period of `days` days starting on `start`, by the Civil Code: the start day is not
 * counted (§201) and a period whose last day is a statutory rest day ends on the next working
 * day (§203). Used for the 10-day public notice [N 3.1.2(1)].
 */
export function windowEndDetailed(calendar: WorkCalendar, start: IsoDate, days: number): ComputedDate {
  if (!Number.isInteger(days) || days < 1) throw new RangeError(`a period must be at least one day, got ${days}`);
  const trace = new Trace();
  let end = addDays(start, days);
  while (!workdayTraced(calendar, end, trace)) end = addDays(end, 1);
  const { value, ...rest } = trace.answer(end);
  return { date: value, ...rest };
}

/** [N 3.1.2(1)] `windowEndDetailed`, the date alone (民法典 §201/§203; calendar arithmetic, ADR 0009). */
export function windowEnd(calendar: WorkCalendar, start: IsoDate, days: number): IsoDate {
  return windowEndDetailed(calendar, start, days).date;
}

/**
 * [N 3.1.2(2)] (calendar arithmetic, ADR 0009) Working days left from `from` until `to`: the working days in (from, to]; negative (the working
 * days overdue) when `to` lies before `from`. Drives the to-do list's countdowns.
 */
export function workdaysBetweenDetailed(calendar: WorkCalendar, from: IsoDate, to: IsoDate): CalendarAnswer<number> {
  const trace = new Trace();
  const [a, b, sign] = from > to ? [to, from, -1] : [from, to, 1];
  let count = 0;
  for (let current = addDays(a, 1); current <= b; current = addDays(current, 1)) {
    if (workdayTraced(calendar, current, trace)) count += 1;
  }
  return trace.answer(sign * count);
}

/** [N 3.1.2(2)] `workdaysBetweenDetailed`, the count alone (calendar arithmetic, ADR 0009). */
export function workdaysBetween(calendar: WorkCalendar, from: IsoDate, to: IsoDate): number {
  return workdaysBetweenDetailed(calendar, from, to).value;
}

/** Calendar arithmetic, ADR 0009: the working-day calendar of the entered years and their exception days. */
export function buildCalendar(years: Iterable<number>, days: Iterable<{ date: IsoDate; isOffDay: boolean }>): WorkCalendar {
  const exceptions = new Map<IsoDate, boolean>();
  for (const d of days) exceptions.set(d.date, d.isOffDay);
  return { publishedYears: new Set(years), exceptions };
}

/** Calendar arithmetic, ADR 0009: the same calendar with one more year's notice entered (a preview of publishing it). */
export function withPublishedYear(
  calendar: WorkCalendar,
  year: number,
  days: Iterable<{ date: IsoDate; isOffDay: boolean }>,
): WorkCalendar {
  const exceptions = new Map(calendar.exceptions);
  for (const d of days) exceptions.set(d.date, d.isOffDay);
  return { publishedYears: new Set([...calendar.publishedYears, year]), exceptions };
}

export type { CalendarDayView };

/**
 * ADR 0009, [L] 《全国年节及纪念日放假办法》: the provisional rest days of an unpublished year
 * (statutory holidays on weekdays and weekends alike).
 */
export function provisionalDays(year: number): CalendarDayView[] {
  return statutoryRestDays(year).map((d) => ({ date: d.date, isOffDay: true, name: `${d.name}（法定）` }));
}

export interface StatutoryConflict {
  date: IsoDate;
  name: string;
}

/**
 * [L] 《全国年节及纪念日放假办法》第二条 (ADR 0009). A holiday notice may add rest days and make-up workdays, but
 * never make a statutory holiday a working day. Returns the statutory days the notice marks as
 * working days.
 */
export function statutoryConflicts(year: number, days: readonly { date: IsoDate; isOffDay: boolean }[]): StatutoryConflict[] {
  const statutory = new Map(statutoryRestDays(year).map((d) => [d.date, d.name]));
  return days.filter((d) => !d.isOffDay && statutory.has(d.date)).map((d) => ({ date: d.date, name: statutory.get(d.date)! }));
}

/**
 * [L] 《全国年节及纪念日放假办法》第二条 (ADR 0009): the statutory weekday holidays a notice leaves
 * out, entered with it, since the law makes them rest days anyway.
 */
export function statutoryDaysMissing(year: number, days: readonly { date: IsoDate }[]): CalendarDayView[] {
  const listed = new Set(days.map((d) => d.date));
  return statutoryRestDays(year)
    .filter((d) => !listed.has(d.date) && weekday(d.date) !== 0 && weekday(d.date) !== 6)
    .map((d) => ({ date: d.date, isOffDay: true, name: d.name }));
}
