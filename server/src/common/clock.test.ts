import { describe, expect, it } from 'vitest';
import { Clock, parseClockSetting } from './clock.js';

describe('the one clock', () => {
  it('runs on from the instant it is set to, and stops where it is frozen until set again', () => {
    let machine = 1_000_000;
    const clock = new Clock(null, () => machine);
    clock.set(new Date('2026-08-17T04:00:00Z'));
    machine += 1500;
    expect(clock.now().toISOString()).toBe('2026-08-17T04:00:01.500Z');
    clock.freeze(new Date('2026-08-17T04:00:00Z'));
    machine += 60_000;
    expect(clock.now().toISOString()).toBe('2026-08-17T04:00:00.000Z');
    expect(clock.asNow().toISOString()).toBe('2026-08-17T04:00:00.000Z');
    clock.set('2027-01-05');
    machine += 10;
    expect(clock.now().toISOString()).toBe('2027-01-05T02:00:00.010Z');
    expect(clock.today()).toBe('2027-01-05');
    clock.freeze('2027-01-06');
    clock.reset();
    expect(clock.now().getTime()).toBe(machine);
  });

  it('reads a China date as 10:00 that morning and an ISO instant as it is', () => {
    expect(parseClockSetting('2027-01-05').toISOString()).toBe('2027-01-05T02:00:00.000Z');
    expect(parseClockSetting('2026-12-31T20:00:00Z').toISOString()).toBe('2026-12-31T20:00:00.000Z');
    expect(() => parseClockSetting('tomorrow')).toThrow();
  });
});
