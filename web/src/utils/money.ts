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

/** 123456 → 1234: whole yuan, the fen part dropped (for charts in whole yuan). */
export function wholeYuan(value: number): number {
  return Math.trunc(value / 100);
}

/**
 * 25000000 → "25万", 2500000 → "2.5万": an amount in 万元 (ten thousand yuan), for chart axes.
 * Computed in integers; an axis tick that is not a whole number of fen is shown as it is divided.
 */
export function formatWanYuan(value: number): string {
  if (!Number.isSafeInteger(value)) return `${value / 1_000_000}万`;
  const negative = value < 0;
  const abs = Math.abs(value);
  const rest = abs % 1_000_000;
  const decimals = rest === 0 ? '' : `.${rest.toString().padStart(6, '0').replace(/0+$/, '')}`;
  return `${negative ? '-' : ''}${Math.trunc(abs / 1_000_000)}${decimals}万`;
}

/** An amount typed in yuan (InputNumber in string mode) → fen; 0 when it is empty or not an amount. */
export const yuanInputToFen = (text: string | null | undefined): number => parseYuanToFen(text ?? '') ?? 0;
