import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { addWorkdays, buildCalendar, isWorkday, windowEnd, workdaysBetween } from './calendar.rules.js';
import { DomainError } from '../../common/errors.js';

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

describe('unpublished years', () => {
  it('refuses to guess about 2027 instead of treating it as plain weekdays', () => {
    expect(() => isWorkday(calendar, '2027-03-03')).toThrow(DomainError);
    try {
      addWorkdays(calendar, '2026-12-28', 7);
      expect.unreachable('2027 is not published');
    } catch (e) {
      expect((e as DomainError).code).toBe('CALENDAR_YEAR_UNPUBLISHED');
      expect((e as DomainError).messageZh).toContain('2027');
    }
  });

  it('counts working days left and overdue', () => {
    expect(workdaysBetween(calendar, '2025-09-30', '2025-10-16')).toBe(7);
    expect(workdaysBetween(calendar, '2025-10-16', '2025-09-30')).toBe(-7);
    expect(workdaysBetween(calendar, '2025-10-16', '2025-10-16')).toBe(0);
  });
});
