import { addDays, isIsoDate, yearOf } from '../../common/dates.js';
import { ACCEPTED, refuse, type Verdict } from '../../common/verdict.js';
import { mapHeader, normalizePersonName, type RowError } from './households.rules.js';

/**
 * Pure rules of the roster with terms of office [N 3.1.2(1)]: who is in office on a day, which
 * terms are valid, what a replacement does, and the roster import file. ADR 0013.
 */

export const ROSTER_CLAUSE = '[N 3.1.2(1)]';

export const ROSTER_BODIES = ['representative', 'council_member'] as const;
export type RosterBody = (typeof ROSTER_BODIES)[number];

export interface TermDates {
  fromDate: string;
  /** Inclusive last day in office; null while in office. */
  toDate: string | null;
}

export interface PersonTerm extends TermDates {
  id?: number;
  body: RosterBody;
  personName: string;
  /** A person is a name within a household (two neighbours may share a name), or a name alone. */
  householdId?: number | null;
}

/** [N 3.1.2(1)] ADR 0013: the same person on a roster: the same name and the same household (or both without one). */
export function samePerson(a: Pick<PersonTerm, 'personName' | 'householdId'>, b: Pick<PersonTerm, 'personName' | 'householdId'>): boolean {
  return normalizePersonName(a.personName) === normalizePersonName(b.personName) && (a.householdId ?? null) === (b.householdId ?? null);
}

/** [N 3.1.2(1)] A term is in office on a day from its first day to its last day, both inclusive; an open term has no last day. */
export function inOfficeOn(term: TermDates, on: string): boolean {
  return term.fromDate <= on && (term.toDate === null || on <= term.toDate);
}

/** [N 3.1.2(1)] A term is in office at some time between two days (inclusive), e.g. during a notice's objection window. */
export function inOfficeDuring(term: TermDates, from: string, to: string): boolean {
  return term.fromDate <= to && (term.toDate === null || from <= term.toDate);
}

/** [N 3.1.2(1)] Two terms share at least one day. */
export function termsOverlap(a: TermDates, b: TermDates): boolean {
  return inOfficeDuring(a, b.fromDate, b.toDate ?? '9999-12-31');
}

/**
 * [N 3.1.2(1)] A term's dates are valid: real dates, the last day not before the first, and no
 * day shared with another term of the same person on the same body.
 */
export function checkTermDates(term: PersonTerm, others: PersonTerm[]): Verdict {
  if (!isIsoDate(term.fromDate)) return invalidDate('fromDate', '起始日期', 'from date', term.fromDate);
  if (term.toDate !== null && !isIsoDate(term.toDate)) return invalidDate('toDate', '截止日期', 'to date', term.toDate);
  if (term.toDate !== null && term.toDate < term.fromDate) {
    return refuse({
      code: 'INVALID_INPUT',
      kind: 'invalid',
      field: 'toDate',
      zh: `字段 截止日期（toDate）无效：${term.toDate} 早于起始日期 ${term.fromDate}`,
      en: `Field toDate is invalid: ${term.toDate} is before the from date ${term.fromDate}`,
    });
  }
  const name = normalizePersonName(term.personName);
  const clash = others.find((o) => o.id !== term.id && o.body === term.body && samePerson(o, term) && termsOverlap(o, term));
  if (clash) {
    return refuse({
      code: 'ROSTER_TERM_OVERLAP',
      kind: 'conflict',
      clause: ROSTER_CLAUSE,
      field: 'fromDate',
      zh: `${name} 已有任期 ${clash.fromDate} 至 ${clash.toDate ?? '今'}，与新任期重叠`,
      en: `${name} already holds a term from ${clash.fromDate} to ${clash.toDate ?? 'now'} that overlaps`,
      details: { termId: clash.id ?? null },
    });
  }
  return ACCEPTED;
}

function invalidDate(field: string, label: string, labelEn: string, value: string): Verdict {
  return refuse({
    code: 'INVALID_INPUT',
    kind: 'invalid',
    field,
    zh: `字段 ${label}（${field}）无效：${value} 不是有效日期（YYYY-MM-DD）`,
    en: `Field ${field} (${labelEn}) is invalid: ${value} is not a date (YYYY-MM-DD)`,
  });
}

/**
 * [N 3.1.2(1)] Ending a term on a day: the day must be the term's first day or later (a term of
 * one day ends on its first day), and only an open term ends.
 */
export function checkEnd(term: TermDates, toDate: string): Verdict {
  if (term.toDate !== null) {
    return refuse({
      code: 'ROSTER_TERM_ENDED',
      kind: 'conflict',
      clause: ROSTER_CLAUSE,
      zh: `该任期已于 ${term.toDate} 结束`,
      en: `The term already ended on ${term.toDate}`,
    });
  }
  return checkTermDates({ fromDate: term.fromDate, toDate, body: 'representative', personName: '' }, []);
}

/**
 * [N 3.1.2(1)] A replacement ends the outgoing term on D (its last day in office) and starts the
 * successor on D + 1, so the seat is never held twice nor left empty.
 */
export function replacementDates(endsOn: string): { endsOn: string; startsOn: string } {
  return { endsOn, startsOn: addDays(endsOn, 1) };
}

/**
 * [N 3.1.2(1)] ADR 0013: a registry file that states roles without a date states the roster as it
 * stands, not since when. Its new holders are taken as in office since 1 January of the year five
 * years before the import — one full term of the community's bodies (居民委员会组织法 §8: five
 * years) — so decisions already recorded for the current and previous fund years count them.
 */
export function defaultImportFrom(today: string): string {
  return `${yearOf(today) - COMMUNITY_BODY_TERM_YEARS}-01-01`;
}

/** 居民委员会组织法 §8: the term of the residents' committee and the bodies elected with it. */
export const COMMUNITY_BODY_TERM_YEARS = 5;

/**
 * [N 3.1.2(1)] ADR 0013: a holder no longer listed by an import leaves office the day before the
 * import takes effect (the given date, else the import's day); never before the term's first day.
 */
export function importEndOn(term: TermDates, effectiveOn: string): string {
  const end = addDays(effectiveOn, -1);
  return end < term.fromDate ? term.fromDate : end;
}

export const ROSTER_BODY_LABELS: Record<RosterBody, string> = { representative: '居民代表', council_member: '议事会成员' };

export const ROSTER_COLUMNS = {
  body: ['类别', 'body'],
  personName: ['姓名', 'name'],
  householdNo: ['户号', 'householdNo'],
  fromDate: ['起始日期', 'fromDate'],
  toDate: ['截止日期', 'toDate'],
} as const;
type RosterColumn = keyof typeof ROSTER_COLUMNS;

export interface RosterImportRow {
  row: number;
  body: RosterBody;
  personName: string;
  householdNo: string | null;
  fromDate: string;
  toDate: string | null;
}

function bodyOf(text: string): RosterBody | undefined {
  const t = text.trim();
  if (t === '居民代表' || t === 'representative') return 'representative';
  if (t === '议事会成员' || t === '居民议事会成员' || t === 'council_member') return 'council_member';
  return undefined;
}

/**
 * [N 3.1.2(1)] Reads a roster file (类别, 姓名, 户号, 起始日期, 截止日期): every row is checked and
 * every error reported with its row and column; rows of one person and body must not overlap.
 */
export function parseRosterRows(table: string[][]): { rows: RosterImportRow[]; errors: RowError[] } {
  if (table.length < 2)
    return { rows: [], errors: [{ row: 0, column: '', message: '文件没有数据行', messageEn: 'The file has no data rows' }] };
  const { index, errors } = mapHeader<RosterColumn>(table[0]!, ROSTER_COLUMNS, ['body', 'personName', 'fromDate']);
  if (errors.length) return { rows: [], errors };
  const cell = (r: string[], k: RosterColumn) => (index[k] === undefined ? '' : (r[index[k]!] ?? '').trim());
  const rows: RosterImportRow[] = [];
  table.slice(1).forEach((r, i) => {
    const row = i + 2;
    if (r.every((c) => !c.trim())) return;
    const rowErrors: RowError[] = [];
    const err = (column: RosterColumn, message: string, messageEn: string) =>
      rowErrors.push({ row, column: ROSTER_COLUMNS[column][0], message, messageEn });
    const body = bodyOf(cell(r, 'body'));
    if (!body) err('body', '类别应为"居民代表"或"议事会成员"', 'body must be 居民代表 or 议事会成员');
    const personName = normalizePersonName(cell(r, 'personName'));
    if (!personName || personName.length > 30) err('personName', '姓名不能为空且不超过 30 字', 'name is required (≤ 30 characters)');
    const fromDate = cell(r, 'fromDate');
    const toDate = cell(r, 'toDate') || null;
    if (!isIsoDate(fromDate)) err('fromDate', '起始日期应为 YYYY-MM-DD', 'from date must be YYYY-MM-DD');
    if (toDate !== null && !isIsoDate(toDate)) err('toDate', '截止日期应为 YYYY-MM-DD', 'to date must be YYYY-MM-DD');
    else if (toDate !== null && isIsoDate(fromDate) && toDate < fromDate)
      err('toDate', '截止日期早于起始日期', 'to date is before from date');
    const candidate = { row, body: body!, personName, householdNo: cell(r, 'householdNo') || null, fromDate, toDate };
    if (rowErrors.length === 0) {
      const earlier = rows.find(
        (o) =>
          o.body === candidate.body && o.personName === personName && o.householdNo === candidate.householdNo && termsOverlap(o, candidate),
      );
      if (earlier) err('fromDate', `与第 ${earlier.row} 行的任期重叠`, `the term overlaps line ${earlier.row}`);
    }
    errors.push(...rowErrors);
    if (rowErrors.length === 0) rows.push(candidate);
  });
  if (rows.length === 0 && errors.length === 0)
    errors.push({ row: 0, column: '', message: '文件没有数据行', messageEn: 'The file has no data rows' });
  return { rows, errors };
}
