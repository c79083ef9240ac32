import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  acceptsOnline,
  checkAnswer,
  checkCampaign,
  checkDraftList,
  codeFromBytes,
  coverage,
  normalizeCode,
  parseOpinionRows,
  CODE_ALPHABET,
} from './needs.rules.js';

const THIRTY = { numerator: 30, denominator: 100 };

describe('coverage [N 3.1.1(1)]', () => {
  it('meets the share exactly at it and not just below', () => {
    expect(coverage(300, 1000, THIRTY)).toMatchObject({ basisPoints: 3000, required: 300, meets: true });
    expect(coverage(299, 1000, THIRTY)).toMatchObject({ basisPoints: 2990, required: 300, meets: false });
    expect(coverage(3, 10, THIRTY).meets).toBe(true);
    expect(coverage(3, 11, THIRTY)).toMatchObject({ required: 4, meets: false });
    expect(coverage(0, 0, THIRTY).meets).toBe(false);
  });
  it('honours a strict rule', () => {
    expect(coverage(5, 10, { numerator: 1, denominator: 2, strict: true })).toMatchObject({ meets: false, required: 6 });
  });
  it('required is the least count that meets the share', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 0, max: 100 }), (whole, pct) => {
        const c = coverage(0, whole, { numerator: pct, denominator: 100 });
        expect(coverage(c.required, whole, { numerator: pct, denominator: 100 }).meets).toBe(true);
        if (c.required > 0) expect(coverage(c.required - 1, whole, { numerator: pct, denominator: 100 }).meets).toBe(false);
      }),
    );
  });
});

describe('campaign and answers', () => {
  const ok = {
    title: '征集',
    opensOn: '2026-03-01',
    closesOn: '2026-03-31',
    channels: ['online_vote'],
    questionnaire: { itemCodes: ['E1'], freeText: true },
  };
  it('checks dates, channels and catalogue items', () => {
    expect(() => checkCampaign(ok, 2026, ['E1'])).not.toThrow();
    expect(() => checkCampaign({ ...ok, closesOn: '2026-02-30' }, 2026, ['E1'])).toThrow(/closesOn/);
    expect(() => checkCampaign({ ...ok, channels: ['online_vote', 'online_vote'] }, 2026, ['E1'])).toThrow(/channels/);
    expect(() => checkCampaign({ ...ok, questionnaire: { itemCodes: ['B1'], freeText: false } }, 2026, ['E1'])).toThrow(/B1/);
    expect(() => checkCampaign({ ...ok, opensOn: '2027-01-01', closesOn: '2027-02-01' }, 2026, ['E1'])).toThrow(/opensOn/);
  });
  it('takes online answers only while open, within the dates, with the online channel', () => {
    const c = { status: 'open', opensOn: '2026-03-01', closesOn: '2026-03-31', channels: ['online_vote'] };
    expect(acceptsOnline(c, '2026-03-01')).toBe(true);
    expect(acceptsOnline(c, '2026-03-31')).toBe(true);
    expect(acceptsOnline(c, '2026-04-01')).toBe(false);
    expect(acceptsOnline({ ...c, status: 'concluded' }, '2026-03-10')).toBe(false);
    expect(acceptsOnline({ ...c, channels: ['questionnaire'] }, '2026-03-10')).toBe(false);
  });
  it("accepts only the questionnaire's items and something said", () => {
    const q = { itemCodes: ['E1', 'E5'], freeText: false };
    expect(checkAnswer({ choices: ['E5'] }, q)).toEqual({ choices: ['E5'], freeText: null });
    expect(() => checkAnswer({ choices: ['E2'] }, q)).toThrow();
    expect(() => checkAnswer({ choices: ['E1', 'E1'] }, q)).toThrow();
    expect(() => checkAnswer({ choices: [], freeText: '  ' }, q)).toThrow();
    expect(() => checkAnswer({ choices: ['E1'], freeText: 'x' }, q)).toThrow(/free text/);
  });
});

describe('codes', () => {
  it('uses an unambiguous alphabet and normalises typing', () => {
    const code = codeFromBytes(new Uint8Array(16).map((_, i) => i * 37));
    expect(code).toHaveLength(8);
    expect([...code].every((c) => CODE_ALPHABET.includes(c))).toBe(true);
    expect(CODE_ALPHABET).not.toMatch(/[01ILO]/);
    expect(normalizeCode(' abcd-2345 ')).toBe('ABCD2345');
  });
});

describe('paper-form rows', () => {
  const campaign = { channels: ['questionnaire', 'courtyard_meeting'], questionnaire: { itemCodes: ['E1', 'E5'], freeText: true } };
  const items = [
    { code: 'E1', name: '社区共治' },
    { code: 'E5', name: '为老服务' },
  ];
  it('reads names or codes and reports each bad row', () => {
    const { rows, errors } = parseOpinionRows(
      [
        ['户号', '渠道', '选择', '意见'],
        ['A-1', '问卷', '为老服务、E1', ''],
        ['A-2', '院落会议', '', '加装电梯'],
        ['A-1', '问卷', 'E1', ''],
        ['A-3', '网络投票', 'E1', ''],
        ['A-4', '问卷', '儿童服务', ''],
      ],
      campaign,
      items,
    );
    expect(rows.map((r) => [r.householdNo, r.channel, r.choices])).toEqual([
      ['A-1', 'questionnaire', ['E5', 'E1']],
      ['A-2', 'courtyard_meeting', []],
    ]);
    expect(errors.map((e) => [e.row, e.column])).toEqual([
      [4, '户号'],
      [5, '渠道'],
      [6, '选择'],
    ]);
  });
});

describe('draft list [N 3.1.1(3)]', () => {
  it('needs a catalogue item and a positive whole-fen budget per project, each once', () => {
    expect(() => checkDraftList([{ proposalId: 1, catalogueCode: 'E1', estimatedBudgetFen: 100 }], ['E1'])).not.toThrow();
    expect(() => checkDraftList([{ proposalId: 1, catalogueCode: null, estimatedBudgetFen: 100 }], ['E1'])).toThrow();
    expect(() => checkDraftList([{ proposalId: 1, catalogueCode: 'E1', estimatedBudgetFen: 0 }], ['E1'])).toThrow();
    expect(() => checkDraftList([{ proposalId: 1, catalogueCode: 'E1', estimatedBudgetFen: 1.5 }], ['E1'])).toThrow();
    expect(() =>
      checkDraftList(
        [
          { proposalId: 1, catalogueCode: 'E1', estimatedBudgetFen: 1 },
          { proposalId: 1, catalogueCode: 'E1', estimatedBudgetFen: 1 },
        ],
        ['E1'],
      ),
    ).toThrow();
  });
});
