import { describe, expect, it } from 'vitest';
import { missingIneligibilities, openingChecklist, openingFrom, yearsToOpen, type OpeningFacts } from './years.rules.js';

const facts = (over: Partial<OpeningFacts> = {}): OpeningFacts => ({
  year: 2027,
  previousPolicy: true,
  policy: false,
  ratingsTotal: 0,
  levels: [],
  allocations: 0,
  failedProviders: [],
  ineligibleProviders: [],
  calendarPublished: false,
  ...over,
});
const states = (f: OpeningFacts) => Object.fromEntries(openingChecklist(f).map((i) => [i.key, i.state]));

describe('opening a fund year (ADR 0015)', () => {
  it('before anything: copy the policy; ratings and money wait for it; the calendar is flagged', () => {
    expect(states(facts())).toEqual({
      policy: 'todo',
      ratings: 'blocked',
      appropriation: 'blocked',
      ineligibility: 'done',
      calendar: 'todo',
    });
    expect(openingChecklist(facts()).find((i) => i.key === 'calendar')!.reason).toContain('尚未发布');
    expect(states(facts({ previousPolicy: false })).policy).toBe('blocked');
  });

  it('[N 1] ratings over a quota stay to do and block the appropriation', () => {
    const over = facts({ policy: true, ratingsTotal: 3, levels: [{ stars: 5, quota: 1, count: 2 }] });
    expect(states(over)).toMatchObject({ policy: 'done', ratings: 'todo', appropriation: 'blocked' });
    expect(openingChecklist(over)[1]!.reason).toContain('5星 2 个超过名额 1 个');
    const within = facts({ policy: true, ratingsTotal: 1, levels: [{ stars: 5, quota: 1, count: 1 }] });
    expect(states(within)).toMatchObject({ ratings: 'done', appropriation: 'todo' });
    expect(states({ ...within, allocations: 5, calendarPublished: true })).toMatchObject({ appropriation: 'done', calendar: 'done' });
  });

  it('[N 3.2] counts the providers of 不合格 final evaluations not yet recorded', () => {
    expect(missingIneligibilities([3, 1, 3, 2], [2])).toEqual([1, 3]);
    const f = facts({ failedProviders: [1, 2], ineligibleProviders: [2] });
    const item = openingChecklist(f).find((i) => i.key === 'ineligibility')!;
    expect(item).toMatchObject({ state: 'todo', count: 1 });
    expect(states({ ...f, ineligibleProviders: [1, 2] }).ineligibility).toBe('done');
  });

  it('[N 3.2] joins the to-do from the first of the month the final evaluations are due', () => {
    expect(openingFrom(2027, '12-10')).toBe('2026-12-01');
    const due = () => '12-10';
    expect(yearsToOpen('2026-11-30', due)).toEqual([2026]);
    expect(yearsToOpen('2026-12-01', due)).toEqual([2026, 2027]);
    // Still asked for in January when unfinished; never for a year whose previous year has no policy.
    expect(yearsToOpen('2027-01-05', (y) => (y <= 2027 ? '12-10' : null))).toEqual([2027]);
    expect(yearsToOpen('2026-12-07', () => null)).toEqual([]);
  });
});
