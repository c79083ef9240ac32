import { createRequire } from 'node:module';
import type lunarJavascript from 'lunar-javascript';
import { addDays, type IsoDate } from '../../common/dates.js';

/**
 * The statutory public holidays (全体公民放假的节日) as data: which days the law itself makes rest
 * days, before the State Council's yearly notice adds bridging days and 调休 make-up workdays. Used
 * to compute a *provisional* working-day calendar for a year whose notice has not been entered
 * (ADR 0009). Lunar dates and solar terms come from lunar-javascript (MIT), not hand-written tables.
 */
export type HolidayRule =
  | { kind: 'solar'; month: number; day: number }
  | { kind: 'lunar'; month: number; day: number }
  /** 除夕: the last day of the twelfth lunar month (腊月廿九 or 三十), the eve of 正月初一. */
  | { kind: 'lunar_new_years_eve' }
  | { kind: 'solar_term'; term: '清明' };

export interface StatutoryHoliday {
  name: string;
  /** The first rest day. */
  starts: HolidayRule;
  /** Consecutive rest days from the first. */
  days: number;
}

export interface StatutoryHolidayLaw {
  /** The law, as cited when a notice contradicts it. */
  source: string;
  /** First year the version governs. */
  inForceFromYear: number;
  holidays: StatutoryHoliday[];
}

/** 《全国年节及纪念日放假办法》, newest version first. */
export const STATUTORY_HOLIDAY_LAWS: readonly StatutoryHolidayLaw[] = [
  {
    source: '《全国年节及纪念日放假办法》第二条（国务院令第795号，2024年11月10日修订，2025年1月1日起施行）',
    inForceFromYear: 2025,
    holidays: [
      { name: '元旦', starts: { kind: 'solar', month: 1, day: 1 }, days: 1 },
      { name: '春节', starts: { kind: 'lunar_new_years_eve' }, days: 4 },
      { name: '清明节', starts: { kind: 'solar_term', term: '清明' }, days: 1 },
      { name: '劳动节', starts: { kind: 'solar', month: 5, day: 1 }, days: 2 },
      { name: '端午节', starts: { kind: 'lunar', month: 5, day: 5 }, days: 1 },
      { name: '中秋节', starts: { kind: 'lunar', month: 8, day: 15 }, days: 1 },
      { name: '国庆节', starts: { kind: 'solar', month: 10, day: 1 }, days: 3 },
    ],
  },
  {
    source: '《全国年节及纪念日放假办法》第二条（国务院令第644号，2013年12月11日修订，2014年1月1日起施行）',
    inForceFromYear: 2014,
    holidays: [
      { name: '元旦', starts: { kind: 'solar', month: 1, day: 1 }, days: 1 },
      { name: '春节', starts: { kind: 'lunar', month: 1, day: 1 }, days: 3 },
      { name: '清明节', starts: { kind: 'solar_term', term: '清明' }, days: 1 },
      { name: '劳动节', starts: { kind: 'solar', month: 5, day: 1 }, days: 1 },
      { name: '端午节', starts: { kind: 'lunar', month: 5, day: 5 }, days: 1 },
      { name: '中秋节', starts: { kind: 'lunar', month: 8, day: 15 }, days: 1 },
      { name: '国庆节', starts: { kind: 'solar', month: 10, day: 1 }, days: 3 },
    ],
  },
];

/**
 * Loaded at the first provisional calendar (a CommonJS package, so synchronously): only a year
 * without its State Council notice needs it, and it weighs on every start (ADR 0020).
 */
let lunarLibrary: typeof lunarJavascript | undefined;
const lunar = () => (lunarLibrary ??= createRequire(import.meta.url)('lunar-javascript') as typeof lunarJavascript);

/** The version of the law governing a year (the oldest one kept for years before it). */
export function statutoryLawFor(year: number): StatutoryHolidayLaw {
  return STATUTORY_HOLIDAY_LAWS.find((law) => year >= law.inForceFromYear) ?? STATUTORY_HOLIDAY_LAWS[STATUTORY_HOLIDAY_LAWS.length - 1]!;
}

function firstDay(rule: HolidayRule, year: number): IsoDate {
  switch (rule.kind) {
    case 'solar':
      return `${year}-${String(rule.month).padStart(2, '0')}-${String(rule.day).padStart(2, '0')}`;
    case 'lunar':
      return lunar().Lunar.fromYmd(year, rule.month, rule.day).getSolar().toYmd();
    case 'lunar_new_years_eve':
      return addDays(lunar().Lunar.fromYmd(year, 1, 1).getSolar().toYmd(), -1);
    case 'solar_term': {
      // The lunar year that contains 1 April holds the term of this solar year.
      const date = lunar().Solar.fromYmd(year, 4, 1).getLunar().getJieQiTable()[rule.term];
      if (!date) throw new Error(`solar term ${rule.term} not found for ${year}`);
      return date.toYmd();
    }
  }
}

export interface StatutoryDay {
  date: IsoDate;
  name: string;
}

/**
 * The statutory rest days of a year by the law in force (weekends not included, no bridging, no
 * 调休), sorted. 春节 may start on 31 December of the year before only in theory; the days are
 * those falling in the year asked for, plus any that spill into it from the last year's 春节.
 */
export function statutoryRestDays(year: number): StatutoryDay[] {
  const out = new Map<IsoDate, string>();
  for (const y of [year - 1, year]) {
    for (const h of statutoryLawFor(y).holidays) {
      const start = firstDay(h.starts, y);
      for (let i = 0; i < h.days; i++) {
        const date = addDays(start, i);
        if (date.startsWith(`${year}-`)) out.set(date, h.name);
      }
    }
  }
  return [...out.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([date, name]) => ({ date, name }));
}
