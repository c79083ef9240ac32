import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  assertStepInOrder, checkSimplifiedAllowed, checkVotes, MAJOR_PROCEDURE_STEPS, nextStep, objectionThresholdReached,
  objectorsNeeded, projectPasses, quorumMet,
} from './decisions.rules.js';
import { policy2023 } from '../../seed/policy-2023.js';

describe('objection threshold [N 3.1.2(1)]', () => {
  it.each([
    [20, 4, true], [20, 3, false],
    [21, 5, true], [21, 4, false],
    [15, 3, true], [15, 2, false],
    [40, 8, true], [40, 7, false],
    [37, 8, true], [37, 7, false],
  ])('%i representatives, %i objectors → reached: %s', (reps, objectors, reached) => {
    expect(objectionThresholdReached(policy2023, objectors, reps)).toBe(reached);
  });

  it('is exactly 5 × objectors ≥ representatives, and objectorsNeeded is the least such count', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 500 }), fc.integer({ min: 0, max: 500 }), (reps, objectors) => {
        expect(objectionThresholdReached(policy2023, objectors, reps)).toBe(5 * objectors >= reps);
        const needed = objectorsNeeded(policy2023, reps);
        expect(objectionThresholdReached(policy2023, needed, reps)).toBe(true);
        expect(objectionThresholdReached(policy2023, needed - 1, reps)).toBe(false);
      }),
    );
  });

  it('follows the policy when the share changes', () => {
    const quarter = { objectionShare: { numerator: 1, denominator: 4 } };
    expect(objectionThresholdReached(quarter, 5, 20)).toBe(true);
    expect(objectionThresholdReached(quarter, 4, 20)).toBe(false);
  });
});

describe('council quorum and pass rule', () => {
  it('needs more than half of the members present', () => {
    expect(quorumMet(policy2023, { members: 9, present: 5 })).toBe(true);
    expect(quorumMet(policy2023, { members: 9, present: 4 })).toBe(false);
    expect(quorumMet(policy2023, { members: 10, present: 5 })).toBe(false);
    expect(quorumMet(policy2023, { members: 10, present: 6 })).toBe(true);
  });

  it('passes a project with more than half of those present', () => {
    expect(projectPasses(policy2023, { for: 4, against: 2, abstain: 1 }, 7)).toBe(true);
    expect(projectPasses(policy2023, { for: 4, against: 4, abstain: 0 }, 8)).toBe(false);
    expect(projectPasses(policy2023, { for: 3, against: 0, abstain: 4 }, 7)).toBe(false);
  });

  it('refuses more votes than members present', () => {
    expect(() => checkVotes({ for: 5, against: 3, abstain: 1 }, 8)).toThrow(/exceed/);
    expect(() => checkVotes({ for: 5, against: 2, abstain: 1 }, 8)).not.toThrow();
  });
});

describe('procedure order [N 3]', () => {
  it('walks the five steps of the major-matters procedure in order', () => {
    const done: (typeof MAJOR_PROCEDURE_STEPS)[number][] = [];
    for (const step of MAJOR_PROCEDURE_STEPS) {
      expect(nextStep('major', done)).toBe(step);
      done.push(step);
    }
    expect(nextStep('major', done)).toBeNull();
  });

  it('refuses a step out of order, naming the one due', () => {
    expect(() => assertStepInOrder('major', ['party_proposal'], 'street_party_audit')).toThrow(/committees_discussion/);
    expect(() => assertStepInOrder('major', [...MAJOR_PROCEDURE_STEPS], 'resident_decision')).toThrow(/complete/);
  });

  it('allows the simplified procedure only for internal, non-enhancement projects', () => {
    expect(() => checkSimplifiedAllowed([{ name: '社工室制度上墙', category: 'basic', internalMatter: true }])).not.toThrow();
    expect(() => checkSimplifiedAllowed([{ name: '为老助餐', category: 'enhancement', internalMatter: true }])).toThrow(/Enhancement/);
    expect(() => checkSimplifiedAllowed([{ name: '骨干培训', category: 'basic', internalMatter: false }])).toThrow(/internal/);
  });
});
