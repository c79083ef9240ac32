import { describe, expect, it } from 'vitest';
import { closureOf, countdown, dueDateOf, formatScore, gradeOf, outcomeOf, weightedScore } from './evaluation.rules.js';

const rubric = [
  { code: 'rooms', label: '社工室建设', weight: 20 },
  { code: 'role', label: '社工室作用', weight: 15 },
  { code: 'projects', label: '开展项目', weight: 20 },
  { code: 'brand', label: '品牌效应', weight: 15 },
  { code: 'incubation', label: '孵化成效', weight: 15 },
  { code: 'coverage', label: '覆盖人数', weight: 15 },
];
const thresholds = { excellent: 90, good: 80, pass: 60 };
const all = (score: number) => rubric.map((r) => ({ code: r.code, score }));

describe('weighted rubric', () => {
  it('sums weight × score in hundredths of a point, in integers', () => {
    const r = weightedScore(rubric, [
      { code: 'rooms', score: 90 },
      { code: 'role', score: 85 },
      { code: 'projects', score: 88 },
      { code: 'brand', score: 70 },
      { code: 'incubation', score: 93 },
      { code: 'coverage', score: 81 },
    ]);
    expect(r).toEqual({ ok: true, value: 20 * 90 + 15 * 85 + 20 * 88 + 15 * 70 + 15 * 93 + 15 * 81 });
    expect(r.ok && formatScore(r.value)).toBe('84.95');
    expect(weightedScore(rubric, all(100))).toEqual({ ok: true, value: 10000 });
    expect(weightedScore(rubric, all(0))).toEqual({ ok: true, value: 0 });
  });

  it('refuses missing, unknown, duplicate and out-of-range items, and weights not summing to 100', () => {
    expect(weightedScore(rubric, all(80).slice(1))).toMatchObject({
      ok: false,
      code: 'RUBRIC_INCOMPLETE',
      details: { missing: ['rooms'] },
    });
    expect(weightedScore(rubric, [...all(80), { code: 'x', score: 1 }])).toMatchObject({ ok: false, code: 'RUBRIC_UNKNOWN_ITEM' });
    expect(weightedScore(rubric, [...all(80), { code: 'rooms', score: 1 }])).toMatchObject({ ok: false, code: 'RUBRIC_DUPLICATE_ITEM' });
    expect(weightedScore(rubric, [{ code: 'rooms', score: 101 }, ...all(80).slice(1)])).toMatchObject({
      ok: false,
      code: 'RUBRIC_SCORE_RANGE',
    });
    expect(weightedScore(rubric, [{ code: 'rooms', score: 79.5 }, ...all(80).slice(1)])).toMatchObject({
      ok: false,
      code: 'RUBRIC_SCORE_RANGE',
    });
    expect(weightedScore([{ code: 'a', label: 'a', weight: 99 }], [{ code: 'a', score: 1 }])).toMatchObject({
      ok: false,
      code: 'RUBRIC_WEIGHTS',
    });
  });
});

describe('grades', () => {
  it('puts each boundary in the higher grade (thresholds are inclusive minimums)', () => {
    expect(gradeOf(9000, thresholds)).toBe('excellent');
    expect(gradeOf(8999, thresholds)).toBe('good');
    expect(gradeOf(8000, thresholds)).toBe('good');
    expect(gradeOf(7999, thresholds)).toBe('pass');
    expect(gradeOf(6000, thresholds)).toBe('pass');
    expect(gradeOf(5999, thresholds)).toBe('fail');
    expect(gradeOf(0, thresholds)).toBe('fail');
    expect(gradeOf(10000, thresholds)).toBe('excellent');
  });

  it('decides contract outcomes and closure', () => {
    const grades = new Map([
      [1, 'good' as const],
      [2, 'pass' as const],
      [3, 'fail' as const],
      [4, null],
    ]);
    expect(outcomeOf([1, 2], grades)).toBe('passed');
    expect(outcomeOf([1, 3], grades)).toBe('failed');
    expect(outcomeOf([1, 4], grades)).toBeNull();
    expect(outcomeOf([], grades)).toBeNull();
    expect(closureOf('excellent')).toBe('closed');
    expect(closureOf('fail')).toBe('not_closed');
    expect(closureOf(null)).toBe('open');
  });
});

describe('due dates', () => {
  it('come from policy for the fund year and count down', () => {
    const policy = { midEvaluationDue: '06-30', finalEvaluationDue: '12-10' };
    expect(dueDateOf(2026, 'midterm', policy)).toBe('2026-06-30');
    expect(dueDateOf(2027, 'final', policy)).toBe('2027-12-10');
    expect(countdown('2026-11-27', '2026-12-10', true)).toEqual({ daysLeft: 13, overdue: false });
    expect(countdown('2026-12-11', '2026-12-10', true)).toEqual({ daysLeft: -1, overdue: true });
    expect(countdown('2026-12-11', '2026-12-10', false)).toEqual({ daysLeft: -1, overdue: false });
  });
});
