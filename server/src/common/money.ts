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

/** ¥200,000.00 — formatting without floating point. */
export function formatFen(value: Fen): string {
  const negative = value < 0;
  const abs = Math.abs(value);
  const yuanPart = Math.trunc(abs / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const fenPart = (abs % 100).toString().padStart(2, '0');
  return `${negative ? '-' : ''}¥${yuanPart}.${fenPart}`;
}
