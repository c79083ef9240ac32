/**
 * Money is integer fen (分) everywhere, branded so that a plain number cannot be passed where an
 * amount is meant without going through `fen()`, which refuses fractions and unsafe integers.
 */
declare const fenBrand: unique symbol;
export type Fen = number & { readonly [fenBrand]: 'fen' };

export function fen(value: number): Fen {
  if (!Number.isSafeInteger(value)) {
    throw new RangeError(`amount must be a safe integer number of fen, got ${value}`);
  }
  return value as Fen;
}

export const yuan = (wholeYuan: number): Fen => fen(wholeYuan * 100);

export function addFen(...values: Fen[]): Fen {
  return fen(values.reduce((sum, v) => sum + v, 0));
}

/** Sign, whole yuan and the two fen digits of an amount, by integer arithmetic (no float division). */
function parts(value: number): { sign: string; whole: number; cents: number } {
  const abs = Math.abs(value);
  return { sign: value < 0 ? '-' : '', whole: Math.trunc(abs / 100), cents: abs % 100 };
}

const grouped = (whole: number): string => whole.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/** The fen digits without trailing zeros: 50 → ".5", 0 → "", 5 → ".05". */
const trimmedCents = (cents: number): string => (cents === 0 ? '' : `.${String(cents).padStart(2, '0').replace(/0$/, '')}`);

/** ¥200,000.00 — the server's one money formatter for messages; formatting without floating point. */
export function formatFen(value: Fen | number): string {
  const { sign, whole, cents } = parts(value);
  return `${sign}¥${grouped(whole)}.${String(cents).padStart(2, '0')}`;
}

/** ¥50,000 / ¥50,000.5 — as formatFen, without the fen digits that are zero (a threshold shown in a message). */
export function formatFenShort(value: Fen | number): string {
  const { sign, whole, cents } = parts(value);
  return `¥${sign}${grouped(whole)}${trimmedCents(cents)}`;
}

/** 12345.6 — yuan without symbol nor grouping, fen digits that are zero left out (a message that says "… 元"). */
export function formatYuanPlain(value: Fen | number): string {
  const { sign, whole, cents } = parts(value);
  return `${sign}${whole}${trimmedCents(cents)}`;
}

/**
 * An amount as a decimal number of yuan, for the external formats that require one (OCDS `amount`,
 * a spreadsheet cell shown as yuan). This is the ONE place the server produces a decimal from fen:
 * everywhere else money stays integer fen, and text goes through formatFen.
 */
export function fenToDecimalYuan(value: Fen | number): number {
  return Math.round(value) / 100;
}
