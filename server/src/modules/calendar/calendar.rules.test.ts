import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import lunar from 'lunar-javascript';
import {
  addWorkdays,
  addWorkdaysDetailed,
  buildCalendar,
  isWorkday,
  isWorkdayDetailed,
  provisionalReason,
  statutoryConflicts,
  statutoryDaysMissing,
  windowEnd,
  windowEndDetailed,
  withPublishedYear,
  workdaysBetween,
  workdaysBetweenDetailed,
} from './calendar.rules.js';
import { statutoryLawFor, statutoryRestDays } from './statutory-holidays.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const holidays = [2023, 2024, 2025, 2026].flatMap((year) => {
  const file = JSON.parse(fs.readFileSync(path.join(here, '../../seed/data/holidays', `${year}.json`), 'utf8')) as {
    days: { date: string; isOffDay: boolean }[];
  };
  return file.days;
});
const calendar = buildCalendar([2023, 2024, 2025, 2026], holidays);

describe('working days', () => {
  it('treats ordinary weekdays as working days and weekends as rest days', () => {
    expect(isWorkday(calendar, '2025-03-05')).toBe(true); // Wednesday
    expect(isWorkday(calendar, '2025-03-08')).toBe(false); // Saturday
  });

  it('knows the 2025 National Day holiday (Oct 1–8) and its make-up Saturdays (Sep 28, Oct 11)', () => {
    for (let d = 1; d <= 8; d++) expect(isWorkday(calendar, `2025-10-0${d}`)).toBe(false);
    expect(isWorkday(calendar, '2025-09-28')).toBe(true); // Sunday, make-up workday
    expect(isWorkday(calendar, '2025-10-11')).toBe(true); // Saturday, make-up workday
  });

  it('knows the 2026 Spring Festival (Feb 15–23) and its make-up days (Feb 14, Feb 28)', () => {
    expect(isWorkday(calendar, '2026-02-16')).toBe(false);
    expect(isWorkday(calendar, '2026-02-23')).toBe(false);
    expect(isWorkday(calendar, '2026-02-14')).toBe(true); // Saturday, make-up workday
    expect(isWorkday(calendar, '2026-02-24')).toBe(true);
  });

  it('knows the 2026 National Day holiday', () => {
    expect(isWorkday(calendar, '2026-10-01')).toBe(false);
    expect(isWorkday(calendar, '2026-10-07')).toBe(false);
    expect(isWorkday(calendar, '2026-10-09')).toBe(true);
  });

  it('adds working days skipping the 2025 National Day holiday', () => {
    // Submitted Tue 30 Sep 2025: the 7 working days run Oct 9, 10, 11 (make-up Sat), 13, 14, 15, 16.
    expect(addWorkdays(calendar, '2025-09-30', 7)).toBe('2025-10-16');
  });

  it('adds working days across the 2025 Spring Festival, counting the make-up Sunday Jan 26', () => {
    // Fri 24 Jan 2025 → Sun 26 (make-up) is day 1, Mon 27 day 2, then the holiday to Feb 4, Feb 5 is day 3.
    expect(addWorkdays(calendar, '2025-01-24', 1)).toBe('2025-01-26');
    expect(addWorkdays(calendar, '2025-01-24', 3)).toBe('2025-02-05');
  });

  it('adds working days across the 2026 Spring Festival and year boundaries', () => {
    expect(addWorkdays(calendar, '2026-02-13', 1)).toBe('2026-02-14');
    expect(addWorkdays(calendar, '2026-02-13', 2)).toBe('2026-02-24');
    expect(addWorkdays(calendar, '2025-12-30', 2)).toBe('2026-01-04'); // Jan 1–3 2026 off, Sun 4 is a make-up workday
  });

  it('adding zero working days returns the start date', () => {
    expect(addWorkdays(calendar, '2025-10-01', 0)).toBe('2025-10-01');
  });
});

describe('civil-code window end (notice period)', () => {
  it('does not count the posting day', () => {
    // Posted Mon 2025-03-03 → 10 days end Thu 2025-03-13.
    expect(windowEnd(calendar, '2025-03-03', 10)).toBe('2025-03-13');
  });

  it('runs a window ending on a weekend to the next working day', () => {
    // Posted Wed 2025-03-05 → 10th day Sat 03-15 → Monday 03-17.
    expect(windowEnd(calendar, '2025-03-05', 10)).toBe('2025-03-17');
  });

  it('runs a window ending in the 2025 Labour Day holiday to the first working day after it', () => {
    // Posted 2025-04-22 → 10th day 2025-05-02 (holiday May 1–5) → 2025-05-06.
    expect(windowEnd(calendar, '2025-04-22', 10)).toBe('2025-05-06');
  });

  it('runs a window ending in the 2026 Spring Festival to the first working day after it', () => {
    // Posted 2026-02-06 → 10th day 2026-02-16 (holiday Feb 15–23) → 2026-02-24.
    expect(windowEnd(calendar, '2026-02-06', 10)).toBe('2026-02-24');
  });

  it('ends on a make-up Saturday, which is a working day', () => {
    // Posted 2026-02-04 → 10th day Sat 2026-02-14, a make-up workday.
    expect(windowEnd(calendar, '2026-02-04', 10)).toBe('2026-02-14');
  });
});

describe('provisional years (notice not entered)', () => {
  it('counts an unpublished year from the statutory holidays and weekends, and says so', () => {
    expect(isWorkday(calendar, '2027-03-03')).toBe(true); // an ordinary Wednesday
    expect(isWorkday(calendar, '2027-01-01')).toBe(false); // 元旦
    const answer = isWorkdayDetailed(calendar, '2027-03-03');
    expect(answer).toEqual({ value: true, provisional: true, provisionalYears: [2027] });
    expect(isWorkdayDetailed(calendar, '2026-03-04').provisional).toBe(false);
  });

  it('makes a review received on 2026-12-25 due, provisionally, on 2027-01-06 (7 working days over 元旦)', () => {
    expect(addWorkdaysDetailed(calendar, '2026-12-25', 7)).toEqual({ date: '2027-01-06', provisional: true, provisionalYears: [2027] });
  });

  it('ends a notice window crossing New Year provisionally, and a window inside a published year finally', () => {
    // Posted 2026-12-22 → 10th day 2027-01-01 (元旦, statutory) → Monday 2027-01-04 (Sat 2, Sun 3).
    expect(windowEndDetailed(calendar, '2026-12-22', 10)).toEqual({ date: '2027-01-04', provisional: true, provisionalYears: [2027] });
    expect(windowEndDetailed(calendar, '2026-12-01', 10)).toEqual({ date: '2026-12-11', provisional: false, provisionalYears: [] });
  });

  it('never makes up a 调休 workday in a provisional year: the Spring Festival weekend stays a rest day', () => {
    // 2027: 除夕 Fri 02-05 to 初三 Mon 02-08 are statutory; Sat 02-06 and Sun 02-07 are weekend rest days anyway.
    expect(addWorkdays(calendar, '2027-02-04', 1)).toBe('2027-02-09');
    expect(isWorkday(calendar, '2027-02-20')).toBe(false); // a Saturday: no make-up day is guessed
  });

  it('counts working days left into a provisional year, marked provisional', () => {
    expect(workdaysBetweenDetailed(calendar, '2026-12-30', '2027-01-05')).toEqual({
      value: 3,
      provisional: true,
      provisionalYears: [2027],
    });
  });

  it('counts working days left and overdue', () => {
    expect(workdaysBetween(calendar, '2025-09-30', '2025-10-16')).toBe(7);
    expect(workdaysBetween(calendar, '2025-10-16', '2025-09-30')).toBe(-7);
    expect(workdaysBetween(calendar, '2025-10-16', '2025-10-16')).toBe(0);
  });

  it('once the notice is entered the same date is final', () => {
    const entered = withPublishedYear(calendar, 2027, [{ date: '2027-01-01', isOffDay: true }]);
    expect(addWorkdaysDetailed(entered, '2026-12-25', 7)).toEqual({ date: '2027-01-06', provisional: false, provisionalYears: [] });
  });
});

describe('statutory holidays (《全国年节及纪念日放假办法》, 2024 revision)', () => {
  const off = (year: number) => new Set(holidays.filter((d) => d.isOffDay && d.date.startsWith(`${year}-`)).map((d) => d.date));

  it.each([2025, 2026])('agrees with the published %i arrangement on every statutory holiday', (year) => {
    const published = off(year);
    const statutory = statutoryRestDays(year);
    expect(statutory.length).toBe(13);
    for (const d of statutory) expect(published.has(d.date), `${d.date} ${d.name}`).toBe(true);
  });

  it("agrees with lunar-javascript's own record of the published 2025 and 2026 arrangements", () => {
    for (const year of [2025, 2026]) {
      const rest = new Set(
        lunar.HolidayUtil.getHolidays(year)
          .filter((h) => !h.isWork())
          .map((h) => h.getDay()),
      );
      for (const d of statutoryRestDays(year)) expect(rest.has(d.date), `${d.date} ${d.name}`).toBe(true);
    }
  });

  it('pins the 2027 statutory days (除夕 is 腊月廿九 that year)', () => {
    expect(statutoryRestDays(2027).map((d) => d.date)).toEqual([
      '2027-01-01',
      '2027-02-05',
      '2027-02-06',
      '2027-02-07',
      '2027-02-08',
      '2027-04-05',
      '2027-05-01',
      '2027-05-02',
      '2027-06-09',
      '2027-09-15',
      '2027-10-01',
      '2027-10-02',
      '2027-10-03',
    ]);
    expect(statutoryRestDays(2027).find((d) => d.date === '2027-02-05')!.name).toBe('春节');
  });

  it('uses the 2014 version (3-day Spring Festival from 初一, 1-day Labour Day) for years before 2025', () => {
    const days = statutoryRestDays(2024).map((d) => d.date);
    expect(days).toContain('2024-02-10'); // 正月初一
    expect(days).not.toContain('2024-02-09'); // 除夕 was not statutory then
    expect(days).not.toContain('2024-05-02');
    expect(statutoryLawFor(2024).source).toContain('2013');
    expect(statutoryLawFor(2031).source).toContain('2024');
  });

  it('finds a notice that makes a statutory holiday a working day, and the statutory days it leaves out', () => {
    expect(
      statutoryConflicts(2027, [
        { date: '2027-02-08', isOffDay: false },
        { date: '2027-02-20', isOffDay: false },
      ]),
    ).toEqual([{ date: '2027-02-08', name: '春节' }]);
    const missing = statutoryDaysMissing(2027, [{ date: '2027-01-01' }]).map((d) => d.date);
    expect(missing).toContain('2027-02-05');
    expect(missing).not.toContain('2027-01-01');
    expect(missing).not.toContain('2027-02-06'); // a Saturday: a rest day without listing
  });

  it('gives the reason a provisional answer is provisional, naming the year and the law', () => {
    expect(provisionalReason([2027])!.zh).toContain('2027');
    expect(provisionalReason([2027])!.zh).toContain('全国年节及纪念日放假办法');
    expect(provisionalReason([])).toBeNull();
  });
});
