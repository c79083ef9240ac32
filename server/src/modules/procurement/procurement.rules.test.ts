import { describe, expect, it } from 'vitest';
import {
  checkCreditCode,
  checkInstalments,
  checkProcurementMethod,
  checkUpload,
  checkWithinContract,
  conditionHolds,
  creditCodeCheckChar,
  eligibilityFor,
  remainderVoidOf,
  safeFileName,
  sniffType,
  type ConditionFacts,
} from './procurement.rules.js';
import { contractWeights, instalmentParts, splitByWeights } from './procurement.shares.rules.js';

describe('unified social credit code (GB 32100-2015)', () => {
  it('accepts published valid codes', () => {
    expect(checkCreditCode('91350100M000100Y43')).toEqual({ ok: true, code: '91350100M000100Y43' });
    expect(checkCreditCode('91110000600037341L')).toMatchObject({ ok: true });
  });
  it('normalises lower case and surrounding spaces', () => {
    expect(checkCreditCode(' 91110000600037341l ')).toEqual({ ok: true, code: '91110000600037341L' });
    expect(checkCreditCode('91350100m000100y43')).toEqual({ ok: true, code: '91350100M000100Y43' });
  });
  it('refuses a wrong length', () => {
    expect(checkCreditCode('91350100M000100Y4')).toMatchObject({ ok: false, reason: 'length' });
    expect(checkCreditCode('91350100M000100Y433')).toMatchObject({ ok: false, reason: 'length' });
    expect(checkCreditCode('')).toMatchObject({ ok: false, reason: 'length' });
  });
  it('refuses characters outside the charset (I, O, Z, S, V, punctuation, full-width)', () => {
    for (const bad of ['I', 'O', 'Z', 'S', 'V', '-', '０']) {
      const code = `9135010${bad}M000100Y43`;
      expect(checkCreditCode(code), bad).toMatchObject({ ok: false, reason: 'character', position: 8 });
    }
  });
  it('refuses a wrong check digit, naming the expected one', () => {
    expect(checkCreditCode('91350100M000100Y44')).toMatchObject({ ok: false, reason: 'check_digit', expected: '3' });
    expect(checkCreditCode('91110000600037341K')).toMatchObject({ ok: false, reason: 'check_digit', expected: 'L' });
  });
  it('maps a remainder of 0 to check character 0', () => {
    // find a prefix whose weighted sum is a multiple of 31: the check character is '0', not 31
    let prefix = '';
    for (let n = 0; n < 10_000; n++) {
      const p = `5221010200${String(n).padStart(7, '0')}`;
      if (creditCodeCheckChar(p) === '0') {
        prefix = p;
        break;
      }
    }
    expect(prefix).not.toBe('');
    expect(checkCreditCode(`${prefix}0`)).toMatchObject({ ok: true });
  });
});

describe('eligibility [N 3.2]', () => {
  const records = [{ year: 2026, reason: '2025 年度终期评估不合格', source: 'final_evaluation' as const, sourceRef: 'evaluation:1' }];
  it('is ineligible only in the recorded year, with the reason', () => {
    expect(eligibilityFor(2026, records)).toEqual({ eligible: false, year: 2026, reasons: records });
    expect(eligibilityFor(2027, records)).toEqual({ eligible: true, year: 2027, reasons: [] });
    expect(eligibilityFor(2025, [])).toMatchObject({ eligible: true });
  });
});

describe('procurement method [N 3.1.3]', () => {
  it('allows a small direct purchase only below the threshold', () => {
    expect(checkProcurementMethod('small_direct', 99_999, 100_000)).toEqual({ ok: true });
    expect(checkProcurementMethod('small_direct', 100_000, 100_000)).toMatchObject({
      ok: false,
      code: 'SMALL_PURCHASE_OVER_THRESHOLD',
      field: 'method',
    });
    expect(checkProcurementMethod('public_tender', 10_000_000, 100_000)).toEqual({ ok: true });
  });
});

describe('instalments', () => {
  const period = { startsOn: '2026-03-01', endsOn: '2026-12-31' };
  it('must sum exactly to the contract', () => {
    expect(
      checkInstalments(
        1000,
        [
          { condition: 'on_signing', amountFen: 400 },
          { condition: 'after_final_passed', amountFen: 600 },
        ],
        period,
      ),
    ).toEqual({ ok: true });
    expect(
      checkInstalments(
        1000,
        [
          { condition: 'on_signing', amountFen: 400 },
          { condition: 'after_final_passed', amountFen: 599 },
        ],
        period,
      ),
    ).toMatchObject({ ok: false, code: 'INSTALMENTS_SUM' });
    expect(checkInstalments(1000, [], period)).toMatchObject({ ok: false, code: 'INSTALMENTS_REQUIRED' });
  });
  it('needs a date inside the period exactly for on_date', () => {
    expect(checkInstalments(10, [{ condition: 'on_date', amountFen: 10 }], period)).toMatchObject({
      ok: false,
      code: 'INSTALMENT_DATE_REQUIRED',
    });
    expect(checkInstalments(10, [{ condition: 'on_signing', amountFen: 10, dueOn: '2026-05-01' }], period)).toMatchObject({
      ok: false,
      code: 'INSTALMENT_DATE_UNEXPECTED',
    });
    expect(checkInstalments(10, [{ condition: 'on_date', amountFen: 10, dueOn: '2027-01-01' }], period)).toMatchObject({
      ok: false,
      code: 'INSTALMENT_DATE_OUTSIDE',
    });
    expect(checkInstalments(10, [{ condition: 'on_date', amountFen: 10, dueOn: '2026-09-01' }], period)).toEqual({ ok: true });
  });
});

describe('instalment conditions [N 3.3]', () => {
  const facts: ConditionFacts = { today: '2026-07-01', contractStatus: 'signed', signedOn: '2026-03-10', midterm: null, final: null };
  it('on_signing holds once the contract is signed', () => {
    expect(conditionHolds({ condition: 'on_signing', dueOn: null }, facts)).toEqual({ ok: true });
    expect(conditionHolds({ condition: 'on_signing', dueOn: null }, { ...facts, contractStatus: 'draft', signedOn: null })).toMatchObject({
      ok: false,
      code: 'CONTRACT_NOT_SIGNED',
    });
    expect(conditionHolds({ condition: 'on_signing', dueOn: null }, { ...facts, contractStatus: 'cancelled' })).toMatchObject({
      ok: false,
      code: 'CONTRACT_NOT_SIGNED',
    });
  });
  it('after_midterm_passed needs a passed mid-term evaluation', () => {
    const i = { condition: 'after_midterm_passed' as const, dueOn: null };
    expect(conditionHolds(i, facts)).toMatchObject({ ok: false, code: 'CONDITION_NOT_MET', clause: '[N 3.3]' });
    expect(conditionHolds(i, { ...facts, midterm: 'failed' })).toMatchObject({ ok: false, code: 'CONDITION_NOT_MET' });
    expect(conditionHolds(i, { ...facts, midterm: 'passed' })).toEqual({ ok: true });
  });
  it('after_final_passed needs a passed final evaluation (a passed mid-term is not enough)', () => {
    const i = { condition: 'after_final_passed' as const, dueOn: null };
    expect(conditionHolds(i, { ...facts, midterm: 'passed' })).toMatchObject({ ok: false, code: 'CONDITION_NOT_MET' });
    expect(conditionHolds(i, { ...facts, final: 'failed' })).toMatchObject({ ok: false });
    expect(conditionHolds(i, { ...facts, final: 'passed' })).toEqual({ ok: true });
  });
  it('on_date holds from the date on', () => {
    const i = { condition: 'on_date' as const, dueOn: '2026-07-02' };
    expect(conditionHolds(i, facts)).toMatchObject({ ok: false, code: 'CONDITION_NOT_MET' });
    expect(conditionHolds(i, { ...facts, today: '2026-07-02' })).toEqual({ ok: true });
  });
  it('never pays above the contract', () => {
    expect(checkWithinContract(1000, 600, 400)).toEqual({ ok: true });
    expect(checkWithinContract(1000, 600, 401)).toMatchObject({ ok: false, code: 'CONTRACT_AMOUNT_EXCEEDED' });
  });
});

describe('uploads', () => {
  const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
  const jpeg = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 16]);
  const pdf = new TextEncoder().encode('%PDF-1.4\n');
  const html = new TextEncoder().encode('<html><script>alert(1)</script></html>');
  const exe = Uint8Array.from([0x4d, 0x5a, 0x90, 0, 3, 0]);
  it('recognises JPEG, PNG and PDF by content', () => {
    expect(sniffType(png)).toBe('image/png');
    expect(sniffType(jpeg)).toBe('image/jpeg');
    expect(sniffType(pdf)).toBe('application/pdf');
    expect(sniffType(html)).toBeNull();
    expect(sniffType(exe)).toBeNull();
  });
  it('refuses a disguised file, a mismatching extension, an empty or oversized file', () => {
    expect(checkUpload('photo.jpg', html, 1000)).toMatchObject({ ok: false, code: 'UPLOAD_TYPE_REFUSED' });
    expect(checkUpload('photo.jpg', exe, 1000)).toMatchObject({ ok: false, code: 'UPLOAD_TYPE_REFUSED' });
    expect(checkUpload('photo.jpg', png, 1000)).toMatchObject({ ok: false, code: 'UPLOAD_TYPE_MISMATCH' });
    expect(checkUpload('a.png', new Uint8Array(), 1000)).toMatchObject({ ok: false, code: 'UPLOAD_EMPTY' });
    expect(checkUpload('a.png', png, 5)).toMatchObject({ ok: false, code: 'UPLOAD_TOO_LARGE' });
    expect(checkUpload('活动照片.PNG', png, 1000)).toEqual({ ok: true, type: 'image/png', fileName: '活动照片.png' });
  });
  it('makes file names safe', () => {
    expect(safeFileName('../../etc/passwd.png', 'image/png')).toBe('passwd.png');
    expect(safeFileName('a"b<c>.pdf', 'application/pdf')).toBe('a_b_c_.pdf');
    expect(safeFileName('.png', 'image/png')).toBe('file.png');
  });
});

describe('an evaluation failure voids the rest [N 3.2] (issue 16)', () => {
  const inst = (seq: number, status: 'open' | 'requested' | 'paid' | 'void', amountFen: number) => ({ seq, status, amountFen });

  it('a signed contract: open and requested instalments void, amount − paid released, completed', () => {
    expect(
      remainderVoidOf({ status: 'signed', amountFen: 1_000_000 }, [
        inst(1, 'paid', 400_000),
        inst(2, 'requested', 300_000),
        inst(3, 'open', 300_000),
      ]),
    ).toEqual({ applies: true, status: 'completed', voidSeqs: [2, 3], paidFen: 400_000, releasedFen: 600_000 });
  });

  it('a draft is cancelled and releases nothing (nothing was committed)', () => {
    expect(remainderVoidOf({ status: 'draft', amountFen: 500_000 }, [inst(1, 'open', 500_000)])).toEqual({
      applies: true,
      status: 'cancelled',
      voidSeqs: [1],
      paidFen: 0,
      releasedFen: 0,
    });
  });

  it('a completed or cancelled contract is left alone', () => {
    expect(remainderVoidOf({ status: 'completed', amountFen: 100 }, [inst(1, 'paid', 100)])).toEqual({ applies: false });
    expect(remainderVoidOf({ status: 'cancelled', amountFen: 100 }, [inst(1, 'void', 100)])).toEqual({ applies: false });
  });
});

describe('area contracts split in the members’ shares [N 2.3]', () => {
  const w = (a: number, b: number, c = 0) => [
    { communityCode: 'A', amountFen: a },
    { communityCode: 'B', amountFen: b },
    ...(c ? [{ communityCode: 'C', amountFen: c }] : []),
  ];
  const sum = (parts: { amountFen: number }[]) => parts.reduce((s, p) => s + p.amountFen, 0);

  it('splits by largest remainder, deterministically, summing to the amount', () => {
    expect(splitByWeights(1000, w(600, 400))).toEqual(w(600, 400));
    expect(splitByWeights(100, w(1, 1, 1))).toEqual(w(34, 33, 33));
    expect(splitByWeights(2, w(1, 1, 1))).toEqual([...w(1, 1), { communityCode: 'C', amountFen: 0 }]);
    const big = splitByWeights(9_000_000_000_001, w(3_000_000_000_000, 6_000_000_000_001));
    expect(sum(big)).toBe(9_000_000_000_001);
  });

  it('weights are the shares the projects declare, summed per member', () => {
    const projects = [
      { shares: [{ communityCode: 'B', shareFen: 300 }] },
      {
        shares: [
          { communityCode: 'A', shareFen: 500 },
          { communityCode: 'B', shareFen: 200 },
        ],
      },
    ];
    expect(contractWeights(projects)).toEqual(w(500, 500));
  });

  it('instalments follow the outstanding commitments: never above one, the last pays exactly what is left', () => {
    const committed = w(333, 667);
    const first = instalmentParts(300, committed);
    expect(sum(first)).toBe(300);
    const left = committed.map((c) => ({
      ...c,
      amountFen: c.amountFen - (first.find((f) => f.communityCode === c.communityCode)?.amountFen ?? 0),
    }));
    expect(instalmentParts(700, left)).toEqual(left);
    for (let amount = 1; amount <= 10; amount++) {
      const parts = instalmentParts(amount, w(1, 3, 6));
      expect(sum(parts)).toBe(amount);
      for (const p of parts)
        expect(p.amountFen).toBeLessThanOrEqual(w(1, 3, 6).find((x) => x.communityCode === p.communityCode)!.amountFen);
    }
  });
});
