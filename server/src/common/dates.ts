/** Calendar dates are ISO strings 'YYYY-MM-DD' in China Standard Time; arithmetic in UTC avoids DST. */
export type IsoDate = string;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isIsoDate(value: string): boolean {
  const m = ISO_DATE.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === value;
}

export function parseIsoDate(value: IsoDate): Date {
  if (!isIsoDate(value)) throw new RangeError(`not a valid date: ${value}`);
  return new Date(`${value}T00:00:00Z`);
}

export function formatIsoDate(d: Date): IsoDate {
  return d.toISOString().slice(0, 10);
}

export function addDays(date: IsoDate, days: number): IsoDate {
  const d = parseIsoDate(date);
  d.setUTCDate(d.getUTCDate() + days);
  return formatIsoDate(d);
}

/** 0 = Sunday … 6 = Saturday */
export function weekday(date: IsoDate): number {
  return parseIsoDate(date).getUTCDay();
}

export function yearOf(date: IsoDate): number {
  return Number(date.slice(0, 4));
}

/** Today's date in China (UTC+8), the zone every deadline of the notice is counted in. */
export function todayInChina(now: Date = new Date()): IsoDate {
  return formatIsoDate(new Date(now.getTime() + 8 * 3600_000));
}

/** Whole days from a to b (b - a). */
export function daysBetween(a: IsoDate, b: IsoDate): number {
  return Math.round((parseIsoDate(b).getTime() - parseIsoDate(a).getTime()) / 86_400_000);
}
