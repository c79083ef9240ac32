import { describe, expect, it } from 'vitest';
import { isIsoDate } from './dates.js';

describe('isIsoDate: the one test of a real calendar date (the `date` format of every route)', () => {
  it('accepts real dates, leap days in leap years, and the whole range 0001–9999', () => {
    for (const d of ['2026-01-01', '2026-12-31', '2024-02-29', '2000-02-29', '0001-01-01', '0050-06-15', '9999-12-31', '2026-04-30'])
      expect(isIsoDate(d), d).toBe(true);
  });

  it('refuses impossible dates and other spellings', () => {
    for (const d of [
      '2026-02-30',
      '2026-13-01',
      '0000-00-00',
      '0000-01-01',
      '2026-2-3',
      '2026-00-10',
      '2026-01-00',
      '2026-04-31',
      '2025-02-29',
      '1900-02-29',
      '2100-02-29',
      '20260101',
      '2026-01-01T00:00:00Z',
      ' 2026-01-01',
      '',
      'today',
      '２０２６-01-01',
    ]) {
      expect(isIsoDate(d), d).toBe(false);
    }
  });
});
