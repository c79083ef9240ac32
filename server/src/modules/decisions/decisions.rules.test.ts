import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  allocationCheck,
  assertStepInOrder,
  checkPaperObjection,
  checkSimplifiedAllowed,
  checkVotes,
  enteredLate,
  MAJOR_PROCEDURE_STEPS,
  nextStep,
  objectionThresholdReached,
  objectorsNeeded,
  projectPasses,
  quorumMet,
  suspendReasonOf,
} from './decisions.rules.js';
import { DomainError } from '../../common/errors.js';
import { policy2023 } from '../../seed/policy-2023.js';

describe('objection threshold [N 3.1.2(1)]', () => {
  it.each([
    [20, 4, true],
    [20, 3, false],
    [21, 5, true],
    [21, 4, false],
    [15, 3, true],
    [15, 2, false],
    [40, 8, true],
    [40, 7, false],
    [37, 8, true],
    [37, 7, false],
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

describe('paper objections by received date [N 3.1.2(1)] (issue 16)', () => {
  const notice = { status: 'open' as const, postedOn: '2026-08-03', windowEnd: '2026-08-13' };
  const until = '2026-08-18';
  const error = (f: () => void) => {
    try {
      f();
    } catch (e) {
      return e as DomainError;
    }
    throw new Error('no error');
  };

  it('takes a date received in the window, entered during the window or within the grace', () => {
    expect(() => checkPaperObjection(notice, '2026-08-03', '2026-08-03', until)).not.toThrow();
    expect(() => checkPaperObjection(notice, '2026-08-13', '2026-08-13', until)).not.toThrow();
    expect(() => checkPaperObjection(notice, '2026-08-13', '2026-08-18', until)).not.toThrow();
    // A notice closed unobjected still takes a late entry; its status is read, not trusted.
    expect(() => checkPaperObjection({ ...notice, status: 'closed' }, '2026-08-10', '2026-08-17', until)).not.toThrow();
  });

  it.each([
    ['2026-08-08', '2026-08-07', 'RECEIVED_IN_FUTURE', 'invalid'],
    ['2026-08-02', '2026-08-07', 'RECEIVED_BEFORE_NOTICE', 'invalid'],
    ['2026-08-14', '2026-08-14', 'RECEIVED_OUTSIDE_WINDOW', 'invalid'],
    ['2026-08-13', '2026-08-19', 'OBJECTION_ENTRY_LATE', 'rule'],
    ['2026-02-30', '2026-08-07', 'INVALID_INPUT', 'invalid'],
  ])('received %s, entered %s → %s', (receivedOn, today, code, kind) => {
    const e = error(() => checkPaperObjection(notice, receivedOn, today, until));
    expect(e).toBeInstanceOf(DomainError);
    expect(e).toMatchObject({ code, kind, field: 'receivedOn', clause: '[N 3.1.2(1)]' });
    expect(e.messageZh).toMatch(/receivedOn/);
    expect(e.messageEn).toMatch(/receivedOn/);
  });

  it('refuses any entry on a suspended or voided notice', () => {
    expect(error(() => checkPaperObjection({ ...notice, status: 'suspended' }, '2026-08-05', '2026-08-06', until)).code).toBe(
      'NOTICE_NOT_OPEN',
    );
    expect(error(() => checkPaperObjection({ ...notice, status: 'voided' }, '2026-08-05', '2026-08-06', until)).code).toBe(
      'NOTICE_NOT_OPEN',
    );
  });

  it('with no grace, entry ends with the window', () => {
    expect(() => checkPaperObjection(notice, '2026-08-13', '2026-08-13', notice.windowEnd)).not.toThrow();
    expect(error(() => checkPaperObjection(notice, '2026-08-13', '2026-08-14', notice.windowEnd)).code).toBe('OBJECTION_ENTRY_LATE');
  });

  it('names a late entry and its reason', () => {
    expect(enteredLate(notice, '2026-08-13')).toBe(false);
    expect(enteredLate(notice, '2026-08-14')).toBe(true);
    const late = suspendReasonOf({
      objectors: 2,
      representatives: 10,
      share: { numerator: 1, denominator: 5 },
      channel: 'paper',
      receivedOn: '2026-08-13',
      enteredOn: '2026-08-17',
      windowEnd: '2026-08-13',
    });
    expect(late).toContain('2026-08-13 收到');
    expect(late).toContain('2026-08-17 补录');
    expect(late).toContain('自补录时起中止');
    const normal = suspendReasonOf({
      objectors: 2,
      representatives: 10,
      share: { numerator: 1, denominator: 5 },
      channel: 'online',
      receivedOn: '2026-08-05',
      enteredOn: '2026-08-05',
      windowEnd: '2026-08-13',
    });
    expect(normal).toContain('异议人数 2 人达到居民代表 10 人的 1/5');
    expect(normal).not.toContain('补录');
  });
});

describe('allocationCheck [N 1]', () => {
  it('states the excess of a decided list over the allocation, and nothing within it', () => {
    const three = { allocationFen: 5_000_000, stars: 3, allocated: true };
    expect(allocationCheck(13_500_000, three, true)).toMatchObject({
      excessFen: 8_500_000,
      clause: '[N 1]',
      message: '决策项目合计 ¥135,000，超出本社区年度奖补额度 ¥50,000，超出 ¥85,000；超出部分须由其他资金解决或在使用方案中调减',
    });
    expect(allocationCheck(5_000_000, three, true)).toMatchObject({ excessFen: 0, message: '' });
    expect(allocationCheck(100, { allocationFen: 0, stars: null, allocated: false }, false).message).toContain('未获星级评定');
  });
});
