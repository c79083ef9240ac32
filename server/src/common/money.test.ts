import { describe, expect, it } from 'vitest';
import { fen, fenToDecimalYuan, formatFen, formatFenShort, formatYuanPlain } from './money.js';

/** The legacy float formatting each helper replaced: the helpers must produce the same text. */
const legacy = {
  full: (v: number) => `¥${(v / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`,
  short: (v: number) => `¥${(v / 100).toLocaleString('en-US')}`,
  plain: (v: number) => `${v / 100}`,
};

const SAMPLES = [0, 1, 5, 10, 50, 99, 100, 105, 150, 12345, 100000, 123456789, 5_000_000, 20_000_000, 100_000_050, 987654321012];

describe('money formatting without floating point', () => {
  it('formatFen: ¥ with grouping and two fen digits', () => {
    expect(formatFen(fen(20_000_000))).toBe('¥200,000.00');
    expect(formatFen(fen(5))).toBe('¥0.05');
    expect(formatFen(fen(-123456))).toBe('-¥1,234.56');
    for (const v of SAMPLES) expect(formatFen(v)).toBe(legacy.full(v));
  });

  it('formatFenShort: fen digits that are zero left out', () => {
    expect(formatFenShort(5_000_000)).toBe('¥50,000');
    expect(formatFenShort(5_000_050)).toBe('¥50,000.5');
    expect(formatFenShort(-5_000_000)).toBe('¥-50,000');
    for (const v of [...SAMPLES, ...SAMPLES.filter((s) => s > 0).map((s) => -s)]) expect(formatFenShort(v)).toBe(legacy.short(v));
  });

  it('formatYuanPlain: no symbol, no grouping', () => {
    expect(formatYuanPlain(1_234_500)).toBe('12345');
    expect(formatYuanPlain(1_234_560)).toBe('12345.6');
    expect(formatYuanPlain(-5)).toBe('-0.05');
    for (const v of [...SAMPLES, ...SAMPLES.filter((s) => s > 0).map((s) => -s)]) expect(formatYuanPlain(v)).toBe(legacy.plain(v));
  });

  it('fenToDecimalYuan: the one decimal, for OCDS and spreadsheet cells', () => {
    expect(fenToDecimalYuan(fen(12345))).toBe(123.45);
    expect(fenToDecimalYuan(0)).toBe(0);
    for (const v of SAMPLES) expect(fenToDecimalYuan(v)).toBe(v / 100);
  });
});
