import type { Static } from 'typebox';
import type { MemberBody } from './households.schemas.js';
import type { Actor } from '../../common/access.js';

/**
 * Pure rules of the household registry: masking of personal data (spec §5, 个人信息保护法),
 * validation of registry rows, and the tabular formats of imports.
 */

/** [N 4.2] Personal data is masked (个人信息保护法; ADR 0006): 张三 → 张*, 张三明 → 张*明, 欧阳小明 → 欧**明; a single character stays masked as *. */
export function maskName(name: string): string {
  const chars = Array.from(name.trim());
  if (chars.length === 0) return '';
  if (chars.length === 1) return '*';
  if (chars.length === 2) return `${chars[0]}*`;
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars[chars.length - 1]}`;
}

/** [N 4.2] Personal data is masked (个人信息保护法; ADR 0006): 13812345678 → 138****5678; a landline keeps its last four digits only. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  if (digits.length === 11 && digits.startsWith('1')) return `${digits.slice(0, 3)}****${digits.slice(7)}`;
  if (digits.length <= 4) return '*'.repeat(digits.length);
  return `${'*'.repeat(digits.length - 4)}${digits.slice(-4)}`;
}

/**
 * [N 4.2] spec §6 (scope; ADR 0006): only the community's own staff see names and phones in the clear; the street, district and city
 * see them masked (they supervise numbers, not people).
 */
export function seesPersonalData(actor: Pick<Actor, 'role' | 'scopePath'> | null, communityCode: string): boolean {
  if (!actor || actor.role !== 'community' || !actor.scopePath) return false;
  return actor.scopePath.split('/').pop() === communityCode;
}

const MOBILE = /^1[3-9]\d{9}$/;
const LANDLINE = /^0\d{2,3}-?\d{7,8}$/;

/** [N 3.1.1(1)] (real-name: every opinion is tied to a registered household): a phone as compared and stored, without spaces, brackets or the +86 prefix. */
export function normalizePhone(phone: string): string {
  return phone.replace(/[\s()（）]/g, '').replace(/^\+?86-?/, '');
}

/** [N 3.1.1(1)] (real-name: every opinion is tied to a registered household): a registered phone is an 11-digit mobile number or a landline with area code. */
export function isValidPhone(phone: string): boolean {
  const p = normalizePhone(phone);
  return MOBILE.test(p) || LANDLINE.test(p);
}

/** [N 3.1.1(1)] (real-name: every opinion is tied to a registered household): the last four digits of the registered phone, one of the three facts that identify a resident. */
export const lastFourDigits = (phone: string) => phone.replace(/\D/g, '').slice(-4);

/** [N 3.1.1(1)] (real-name: every opinion is tied to a registered household): names compare without spaces (full-width included) and the interpunct variants of minority names. */
export function normalizePersonName(name: string): string {
  return name.replace(/[\s\u3000]/g, '').replace(/[•・‧∙]/g, '·');
}

/** [L] GB 11643 (ID numbers, kept only as a salted hash per 个人信息保护法, ADR 0006): 18 characters with a valid check digit. */
export function isValidIdNumber(id: string): boolean {
  const v = id.trim().toUpperCase();
  if (!/^\d{17}[\dX]$/.test(v)) return false;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = weights.reduce((s, w, i) => s + w * Number(v[i]), 0);
  return '10X98765432'[sum % 11] === v[17];
}

export interface HouseholdInput {
  householdNo: string;
  building: string;
  unit: string;
  room: string;
  headName: string;
  phone: string;
  residents: number;
  members: MemberInput[];
}

/** A member as the API and the import take it (one shape: the `MemberBody` schema). */
export type MemberInput = Static<typeof MemberBody>;

export interface RowError {
  /** 1-based line of the file (the header is line 1); 0 for whole-file problems. */
  row: number;
  column: string;
  message: string;
  messageEn: string;
}

/** Columns of the registry import, Chinese header first, with accepted aliases. */
export const HOUSEHOLD_COLUMNS = {
  householdNo: ['户号', 'householdNo'],
  building: ['楼栋', '楼号', 'building'],
  unit: ['单元', 'unit'],
  room: ['房号', '室', 'room'],
  headName: ['户主姓名', '户主', 'headName'],
  phone: ['联系电话', '电话', '手机号', 'phone'],
  residents: ['常住人数', '人口数', 'residents'],
  representatives: ['居民代表', 'representatives'],
  councilMembers: ['议事会成员', 'councilMembers'],
} as const;
export type HouseholdColumn = keyof typeof HOUSEHOLD_COLUMNS;
const REQUIRED_HOUSEHOLD_COLUMNS: HouseholdColumn[] = ['householdNo', 'building', 'room', 'headName', 'phone', 'residents'];

/** [N 3.1.2(1)] (the roster of representatives and council members): names in a cell: 张三、李四 / 张三;李四 / 张三,李四. */
export const splitNames = (cell: string) =>
  cell
    .split(/[、;；,，/]/)
    .map((s) => s.trim())
    .filter(Boolean);

/** [N 3.1.1(1)] (real-name: every opinion is tied to a registered household) (the registry import): maps header cells to known columns; unknown headers are errors (a typo must not drop data silently). */
export function mapHeader<K extends string>(
  header: string[],
  columns: Record<K, readonly string[]>,
  required: K[],
): { index: Partial<Record<K, number>>; errors: RowError[] } {
  const index: Partial<Record<K, number>> = {};
  const errors: RowError[] = [];
  header.forEach((raw, i) => {
    const cell = raw.trim();
    if (!cell) return;
    const key = (Object.keys(columns) as K[]).find((k) => columns[k].some((alias) => alias.toLowerCase() === cell.toLowerCase()));
    if (!key) errors.push({ row: 1, column: cell, message: `无法识别的列"${cell}"`, messageEn: `Unknown column "${cell}"` });
    else if (index[key] !== undefined)
      errors.push({ row: 1, column: cell, message: `列"${cell}"重复`, messageEn: `Column "${cell}" appears twice` });
    else index[key] = i;
  });
  for (const key of required) {
    if (index[key] === undefined)
      errors.push({
        row: 1,
        column: columns[key][0]!,
        message: `缺少必需的列"${columns[key][0]}"`,
        messageEn: `Missing required column "${columns[key][1] ?? columns[key][0]}"`,
      });
  }
  return { index, errors };
}

/**
 * [N 3.1.1(1)] (real-name: every opinion is tied to a registered household): validates one household (from a form or an import row);
 * returns the problems, field by field (a row-level report, not one verdict).
 */
export function validateHousehold(h: HouseholdInput, row = 0): RowError[] {
  const errors: RowError[] = [];
  const err = (column: string, message: string, messageEn: string) => errors.push({ row, column, message, messageEn });
  if (!/^[0-9A-Za-z\-_]{1,30}$/.test(h.householdNo))
    err('householdNo', '户号应为 1–30 位字母、数字或连字符', 'household number must be 1–30 letters, digits or hyphens');
  if (!h.building.trim() || h.building.length > 30)
    err('building', '楼栋必填，不超过 30 字', 'building is required, at most 30 characters');
  if (h.unit.length > 30) err('unit', '单元不超过 30 字', 'unit is at most 30 characters');
  if (!h.room.trim() || h.room.length > 30) err('room', '房号必填，不超过 30 字', 'room is required, at most 30 characters');
  const head = normalizePersonName(h.headName);
  if (head.length < 2 || head.length > 30 || /\d/.test(head))
    err('headName', '户主姓名应为 2–30 个字且不含数字', 'head of household name must be 2–30 characters without digits');
  if (!isValidPhone(h.phone))
    err('phone', '联系电话应为 11 位手机号或带区号的固定电话', 'phone must be an 11-digit mobile number or a landline with area code');
  if (!Number.isInteger(h.residents) || h.residents < 1 || h.residents > 99)
    err('residents', '常住人数应为 1–99 的整数', 'residents must be an integer from 1 to 99');
  const seen = new Set<string>();
  for (const m of h.members) {
    const name = normalizePersonName(m.name);
    if (name.length < 2 || name.length > 30 || /\d/.test(name))
      err('members', `成员姓名"${m.name}"无效`, `member name "${m.name}" is invalid`);
    if (seen.has(name)) err('members', `成员"${m.name}"重复`, `member "${m.name}" appears twice`);
    seen.add(name);
    if (!m.isRepresentative && !m.isCouncilMember) err('members', `成员"${m.name}"未标明身份`, `member "${m.name}" holds no role`);
    if (m.idNumber && !isValidIdNumber(m.idNumber))
      err('members', `成员"${m.name}"的身份证号无效`, `member "${m.name}" has an invalid ID number`);
  }
  return errors;
}

/**
 * [N 3.1.1(1)] (real-name: every opinion is tied to a registered household): the registry rows of an import, or their errors (row numbers are
 * file lines, header = 1); all or nothing.
 */
export function parseHouseholdRows(table: string[][]): { households: HouseholdInput[]; errors: RowError[]; hasRoleColumns: boolean } {
  const errors: RowError[] = [];
  if (table.length < 2)
    return {
      households: [],
      hasRoleColumns: false,
      errors: [{ row: 0, column: '', message: '文件没有数据行', messageEn: 'The file has no data rows' }],
    };
  const { index, errors: headerErrors } = mapHeader(table[0]!, HOUSEHOLD_COLUMNS, REQUIRED_HOUSEHOLD_COLUMNS);
  if (headerErrors.length) return { households: [], errors: headerErrors, hasRoleColumns: false };
  /** Without role columns, an import leaves the roster as it is. */
  const hasRoleColumns = index.representatives !== undefined || index.councilMembers !== undefined;
  const cell = (r: string[], k: HouseholdColumn) => (index[k] === undefined ? '' : (r[index[k]!] ?? '').trim());
  const households: HouseholdInput[] = [];
  const seenNo = new Map<string, number>();
  table.slice(1).forEach((r, i) => {
    const row = i + 2;
    if (r.every((c) => !c.trim())) return;
    const residentsText = cell(r, 'residents');
    const residents = /^\d+$/.test(residentsText) ? Number(residentsText) : NaN;
    const members = new Map<string, MemberInput>();
    for (const name of splitNames(cell(r, 'representatives'))) members.set(name, { name, isRepresentative: true, isCouncilMember: false });
    for (const name of splitNames(cell(r, 'councilMembers'))) {
      const m = members.get(name) ?? { name, isRepresentative: false, isCouncilMember: false };
      m.isCouncilMember = true;
      members.set(name, m);
    }
    const h: HouseholdInput = {
      householdNo: cell(r, 'householdNo'),
      building: cell(r, 'building'),
      unit: cell(r, 'unit'),
      room: cell(r, 'room'),
      headName: normalizePersonName(cell(r, 'headName')),
      phone: normalizePhone(cell(r, 'phone')),
      residents,
      members: [...members.values()],
    };
    const rowErrors = validateHousehold(h, row).map((e) => ({
      ...e,
      column: HOUSEHOLD_COLUMNS[e.column as HouseholdColumn]?.[0] ?? e.column,
    }));
    const earlier = seenNo.get(h.householdNo);
    if (h.householdNo && earlier !== undefined) {
      rowErrors.push({
        row,
        column: '户号',
        message: `户号 ${h.householdNo} 与第 ${earlier} 行重复`,
        messageEn: `household number ${h.householdNo} repeats line ${earlier}`,
      });
    } else if (h.householdNo) seenNo.set(h.householdNo, row);
    errors.push(...rowErrors);
    if (rowErrors.length === 0) households.push(h);
  });
  if (households.length === 0 && errors.length === 0)
    errors.push({ row: 0, column: '', message: '文件没有数据行', messageEn: 'The file has no data rows' });
  return { households, errors, hasRoleColumns };
}
