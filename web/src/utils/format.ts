import { LEVEL_LABELS as GENERATED_LEVEL_LABELS } from '../api/labels';
import dayjs from 'dayjs';
import type { Fraction, StrictFraction } from '../api/endpoints';

export const STAR_MAX = 5;

/** 3 → "★★★"; null → "未评星". */
export function starsText(stars: number | null | undefined): string {
  if (stars === null || stars === undefined || stars <= 0) return '未评星';
  return '★'.repeat(Math.min(stars, STAR_MAX));
}

export const fractionText = (f: Fraction): string => `${f.numerator}/${f.denominator}`;

/** Percentage with two decimals computed in integers: 2/3 → "66.67%". */
export function percentText(f: Fraction): string {
  if (f.denominator === 0) return '—';
  const hundredths = Math.round((f.numerator * 10000) / f.denominator);
  const whole = Math.trunc(hundredths / 100);
  const rest = hundredths % 100;
  return rest === 0 ? `${whole}%` : `${whole}.${rest.toString().padStart(2, '0')}%`;
}

/** strict: "超过 2/3"; otherwise "不少于 2/3". */
export const thresholdText = (f: StrictFraction): string => `${f.strict ? '超过' : '不少于'} ${fractionText(f)}（${percentText(f)}）`;

/** '06-30' → '6月30日' */
export function monthDayText(mmdd: string): string {
  const match = /^(\d{2})-(\d{2})$/.exec(mmdd);
  if (!match) return mmdd;
  return `${Number(match[1])}月${Number(match[2])}日`;
}

export const WEEKDAYS = ['日', '一', '二', '三', '四', '五', '六'] as const;

export const weekdayText = (date: string): string => `星期${WEEKDAYS[dayjs(date).day()] ?? ''}`;

export function dateTimeText(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = dayjs(iso);
  return d.isValid() ? d.format('YYYY-MM-DD HH:mm:ss') : iso;
}

export const LEVEL_LABELS: Readonly<Record<string, string>> = GENERATED_LEVEL_LABELS;
