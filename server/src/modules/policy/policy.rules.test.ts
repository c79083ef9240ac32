import { describe, expect, it } from 'vitest';
import { appropriatedPolicyEdit, checkPolicyConsistency, reachesShare, totalBudgetFen } from './policy.rules.js';
import { policy2023 } from '../../seed/policy-2023.js';
import { DomainError } from '../../common/errors.js';

describe('policy rules', () => {
  it('the seeded 2023 policy is consistent and totals ¥30,000,000', () => {
    expect(() => checkPolicyConsistency(policy2023, 2023)).not.toThrow();
    expect(totalBudgetFen(policy2023)).toBe(30_000_000 * 100);
  });

  it('names the field of an inconsistency', () => {
    const bad = structuredClone(policy2023);
    bad.evaluationRubric[0]!.weight += 1;
    try {
      checkPolicyConsistency(bad, 2023);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(DomainError);
      expect((e as DomainError).field).toBe('document.evaluationRubric');
    }
    const dup = structuredClone(policy2023);
    dup.tiers[1]!.stars = 5;
    expect(() => checkPolicyConsistency(dup, 2023)).toThrow(/stars appears twice/);
    expect(() => checkPolicyConsistency(policy2023, 2024)).toThrow(/fundYear|must be 2024/);
  });

  it('compares shares in integers, with "at least" and "more than"', () => {
    // one fifth or more of 20 representatives: 4 objectors reach it, 3 do not
    expect(reachesShare(4, 20, { numerator: 1, denominator: 5 })).toBe(true);
    expect(reachesShare(3, 20, { numerator: 1, denominator: 5 })).toBe(false);
    // 30% of 1,000 households: exactly 300 reaches it
    expect(reachesShare(300, 1000, { numerator: 30, denominator: 100 })).toBe(true);
    expect(reachesShare(299, 1000, { numerator: 30, denominator: 100 })).toBe(false);
    // more than half of 9 present: 5 passes, 4.5 is impossible, 4 fails; of 10, 5 fails
    expect(reachesShare(5, 9, { numerator: 1, denominator: 2, strict: true })).toBe(true);
    expect(reachesShare(5, 10, { numerator: 1, denominator: 2, strict: true })).toBe(false);
  });
});

describe('a policy after its appropriation (ADR 0015)', () => {
  it('[N 1] keeps the rating year and the tiers, lets the rest change', () => {
    const before = structuredClone(policy2023);
    const tiers = structuredClone(policy2023);
    tiers.tiers[0]!.amountFen += 100;
    expect(appropriatedPolicyEdit(before, tiers, false).ok).toBe(true);
    expect(appropriatedPolicyEdit(before, tiers, true)).toMatchObject({ ok: false, code: 'POLICY_FROZEN', field: 'document.tiers' });
    const rating = { ...structuredClone(policy2023), ratingYear: policy2023.ratingYear - 1 };
    expect(appropriatedPolicyEdit(before, rating, true)).toMatchObject({ ok: false, field: 'document.ratingYear' });
    const threshold = { ...structuredClone(policy2023), smallPurchaseThresholdFen: 1 };
    expect(appropriatedPolicyEdit(before, threshold, true).ok).toBe(true);
  });
});
