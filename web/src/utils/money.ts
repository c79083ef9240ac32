/**
 * Money is integer fen (分) end to end. Formatting and parsing here never go through floating
 * point: yuan = Math.trunc(fen / 100), fen part = fen % 100.
 */

const groupThousands = (digits: string): string => digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/** 20000000 → "¥200,000.00" */
export function formatFen(value: number): string {
  if (!Number.isSafeInteger(value)) return '—';
  const negative = value < 0;
  const abs = Math.abs(value);
  const yuan = groupThousands(Math.trunc(abs / 100).toString());
  const cents = (abs % 100).toString().padStart(2, '0');
  return `${negative ? '-' : ''}¥${yuan}.${cents}`;
}

/** 20000000 → "200000.00" (for editing). */
export function fenToYuanString(value: number): string {
  const negative = value < 0;
  const abs = Math.abs(value);
  return `${negative ? '-' : ''}${Math.trunc(abs / 100)}.${(abs % 100).toString().padStart(2, '0')}`;
}

const YUAN_PATTERN = /^\s*(\d{1,13})(?:\.(\d{0,2}))?\s*$/;

/** "200,000.5" → 20000050; null when the text is not a non-negative amount with at most 2 decimals. */
export function parseYuanToFen(text: string): number | null {
  const match = YUAN_PATTERN.exec(text.replace(/[,，¥￥\s]/g, ''));
  if (!match) return null;
  const whole = match[1] ?? '0';
  const cents = (match[2] ?? '').padEnd(2, '0');
  const fen = Number(whole) * 100 + Number(cents);
  return Number.isSafeInteger(fen) ? fen : null;
}
