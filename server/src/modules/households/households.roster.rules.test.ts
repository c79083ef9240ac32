import { describe, expect, it } from 'vitest';
import {
  checkEnd,
  checkTermDates,
  defaultImportFrom,
  importEndOn,
  inOfficeDuring,
  inOfficeOn,
  parseRosterRows,
  replacementDates,
  type PersonTerm,
} from './households.roster.rules.js';

const term = (fromDate: string, toDate: string | null, personName = '张三', id = 1): PersonTerm => ({
  id,
  body: 'representative',
  personName,
  fromDate,
  toDate,
});

describe('in office [N 3.1.2(1)]', () => {
  it('counts the first and the last day, and an open term has no last day', () => {
    const t = term('2026-03-01', '2026-06-30');
    expect(inOfficeOn(t, '2026-02-28')).toBe(false);
    expect(inOfficeOn(t, '2026-03-01')).toBe(true);
    expect(inOfficeOn(t, '2026-06-30')).toBe(true);
    expect(inOfficeOn(t, '2026-07-01')).toBe(false);
    expect(inOfficeOn(term('2026-03-01', null), '2099-01-01')).toBe(true);
  });

  it('is in office during a window when it shares one day with it', () => {
    const t = term('2026-03-01', '2026-06-30');
    expect(inOfficeDuring(t, '2026-06-30', '2026-07-14')).toBe(true);
    expect(inOfficeDuring(t, '2026-07-01', '2026-07-14')).toBe(false);
    expect(inOfficeDuring(t, '2026-02-01', '2026-02-28')).toBe(false);
    expect(inOfficeDuring(t, '2026-02-01', '2026-03-01')).toBe(true);
  });
});

describe('valid term dates [N 3.1.2(1)]', () => {
  it('refuses a last day before the first, naming the field', () => {
    const v = checkTermDates(term('2026-03-01', '2026-02-28'), []);
    expect(v).toMatchObject({ ok: false, code: 'INVALID_INPUT', field: 'toDate' });
    expect(checkTermDates(term('2026-03-01', '2026-03-01'), []).ok).toBe(true);
  });

  it('refuses an overlap with a term of the same person and body, not of another person or body', () => {
    const held = [term('2025-01-01', '2026-02-28', '张三', 7)];
    expect(checkTermDates(term('2026-02-28', null, '张三', 8), held)).toMatchObject({ ok: false, code: 'ROSTER_TERM_OVERLAP' });
    expect(checkTermDates(term('2026-03-01', null, '张三', 8), held).ok).toBe(true);
    expect(checkTermDates(term('2026-01-01', null, '李四', 8), held).ok).toBe(true);
    expect(checkTermDates({ ...term('2026-01-01', null, '张三', 8), body: 'council_member' }, held).ok).toBe(true);
    // neighbours sharing a name are two people
    expect(
      checkTermDates({ ...term('2026-01-01', null, '张三', 8), householdId: 2 }, [
        { ...term('2025-01-01', null, '张三', 7), householdId: 1 },
      ]).ok,
    ).toBe(true);
    expect(
      checkTermDates({ ...term('2026-01-01', null, '张三', 8), householdId: 1 }, [
        { ...term('2025-01-01', null, '张三', 7), householdId: 1 },
      ]).ok,
    ).toBe(false);
    // an open term overlaps everything after its start
    expect(checkTermDates(term('2030-01-01', null, '张三', 9), [term('2026-03-01', null, '张三', 1)]).ok).toBe(false);
  });

  it('ends only an open term, never before its first day', () => {
    expect(checkEnd(term('2026-03-01', null), '2026-02-28')).toMatchObject({ ok: false, field: 'toDate' });
    expect(checkEnd(term('2026-03-01', null), '2026-03-01').ok).toBe(true);
    expect(checkEnd(term('2026-03-01', '2026-04-01'), '2026-05-01')).toMatchObject({ ok: false, code: 'ROSTER_TERM_ENDED' });
  });
});

describe('replacement and the registry import (ADR 0013)', () => {
  it('ends one term on D and starts the successor on D + 1, across a month and a year', () => {
    expect(replacementDates('2026-06-30')).toEqual({ endsOn: '2026-06-30', startsOn: '2026-07-01' });
    expect(replacementDates('2026-12-31')).toEqual({ endsOn: '2026-12-31', startsOn: '2027-01-01' });
  });

  it('dates new holders of a registry file one full term back and ends dropped ones the day before it takes effect', () => {
    expect(defaultImportFrom('2026-12-07')).toBe('2021-01-01');
    expect(importEndOn(term('2021-01-01', null), '2026-12-07')).toBe('2026-12-06');
    expect(importEndOn(term('2026-12-07', null), '2026-12-07')).toBe('2026-12-07');
  });
});

describe('roster file', () => {
  it('reads rows and reports every bad row with its column', () => {
    const { rows, errors } = parseRosterRows([
      ['类别', '姓名', '户号', '起始日期', '截止日期'],
      ['居民代表', '张三', '0101', '2024-01-01', ''],
      ['议事会成员', '李四', '', '2023-01-01', '2025-12-31'],
      ['主任', '王五', '', '2024-01-01', ''],
      ['居民代表', '赵六', '', '2024-02-30', ''],
      ['居民代表', '张三', '0101', '2025-01-01', ''],
      ['居民代表', '张三', '0102', '2025-01-01', ''],
    ]);
    expect(rows.map((r) => `${r.personName}${r.householdNo ?? ''}`)).toEqual(['张三0101', '李四', '张三0102']);
    expect(rows[1]).toMatchObject({ body: 'council_member', householdNo: null, toDate: '2025-12-31' });
    expect(errors.map((e) => [e.row, e.column])).toEqual([
      [4, '类别'],
      [5, '起始日期'],
      [6, '起始日期'],
    ]);
  });

  it('names a missing required column', () => {
    expect(parseRosterRows([['姓名'], ['张三']]).errors.map((e) => e.column)).toEqual(['类别', '起始日期']);
  });
});
