/**
 * Account administration (pure): who may administer which account, in which region, with which
 * role — [spec §6 accounts] and ADR 0012. No clause of the notice governs accounts; the ADR does.
 */
import { pathInScope, ROLE_LABELS, ROLE_PERMISSIONS, type Permission, type Role } from '../../common/access.js';
import { ACCEPTED, refuse, type Verdict } from '../../common/verdict.js';
import { passwordProblem } from './auth.rules.js';

/** The region roles an administrator may assign; providers and evaluators are created by procurement / evaluation. */
export const ADMINISTERED_ROLES = ['city_bureau', 'city_finance', 'district_bureau', 'street_office', 'community'] as const;
export type AdministeredRole = (typeof ADMINISTERED_ROLES)[number];
export type RegionLevel = 'city' | 'district' | 'street' | 'community';

/** The level of division each region role acts for (ADR 0012). */
export const ROLE_REGION_LEVEL: Record<AdministeredRole, RegionLevel> = {
  city_bureau: 'city',
  city_finance: 'city',
  district_bureau: 'district',
  street_office: 'street',
  community: 'community',
};

/**
 * The privilege ceiling (ADR 0012): the roles each administrator may create or manage. The city
 * bureau: its city colleagues and the district bureaus; a district: its colleagues, streets and
 * communities; a street: its colleagues and its communities. Never a role above one's own.
 */
const ADMINISTRABLE: Partial<Record<Role, readonly AdministeredRole[]>> = {
  city_bureau: ['city_bureau', 'city_finance', 'district_bureau'],
  district_bureau: ['district_bureau', 'street_office', 'community'],
  street_office: ['street_office', 'community'],
};

export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]*$/;
export const PHONE_PATTERN = /^(?:1\d{10}|0\d{2,3}-?\d{7,8})$/;

export interface FieldProblem {
  field: string;
  zh: string;
  en: string;
}

export interface Administrator {
  userId: number;
  role: Role;
  scopePath: string | null;
}

export interface AccountPlace {
  role: string;
  /** The path and level of the account's region (null for organisation accounts). */
  path: string | null;
  level: string | null;
}

/** [spec §6 accounts] ADR 0012: the roles `role` may assign, in the order the console offers them. */
export function administrableRoles(role: Role): readonly AdministeredRole[] {
  return ADMINISTRABLE[role] ?? [];
}

/** [spec §6 accounts] ADR 0012: true for the roles that administer accounts (they hold `users:write`). */
export function isAdministratorRole(role: string): boolean {
  return (ROLE_PERMISSIONS[role as Role] as readonly Permission[] | undefined)?.includes('users:write') ?? false;
}

/**
 * [spec §6 accounts] ADR 0012: whether `admin` may hold an account of `target.role` in the region
 * `target` (its path and level): the role within the privilege ceiling (403 ROLE_NOT_ASSIGNABLE
 * naming `role`), the region at or under the administrator's own (400 INVALID_REGION_CODE naming
 * `regionCode`, as if absent) and of the level the role acts for (400 INVALID_REGION_CODE).
 */
export function administrationVerdict(admin: Administrator, target: AccountPlace): Verdict {
  if (!(administrableRoles(admin.role) as readonly string[]).includes(target.role)) {
    const label = ROLE_LABELS[target.role as Role] ?? target.role;
    return refuse({
      code: 'ROLE_NOT_ASSIGNABLE',
      zh: `字段 角色（role）无效：${ROLE_LABELS[admin.role]}不能管理"${label}"账号`,
      en: `Field role is invalid: a ${admin.role} account may not administer ${target.role} accounts`,
      kind: 'forbidden',
      field: 'role',
    });
  }
  if (target.path === null || !pathInScope(admin.scopePath, target.path)) {
    return refuse({
      code: 'INVALID_REGION_CODE',
      zh: '字段 区划代码（regionCode）无效：不存在或不在本辖区内',
      en: 'Field regionCode is invalid: no such region within your area',
      kind: 'invalid',
      field: 'regionCode',
    });
  }
  const level = ROLE_REGION_LEVEL[target.role as AdministeredRole];
  if (target.level !== level) {
    return refuse({
      code: 'INVALID_REGION_CODE',
      zh: `字段 区划代码（regionCode）无效："${ROLE_LABELS[target.role as Role]}"账号须设在${LEVEL_LABELS[level]}一级`,
      en: `Field regionCode is invalid: a ${target.role} account belongs to a ${level}, not a ${target.level ?? 'missing region'}`,
      kind: 'invalid',
      field: 'regionCode',
    });
  }
  return ACCEPTED;
}

const LEVEL_LABELS: Record<RegionLevel, string> = { city: '市', district: '区（县、市）', street: '街道（乡镇）', community: '社区' };

/** [spec §6 accounts] ADR 0012: true when `admin` may edit, reset or disable the account at `target`. */
export function mayManage(admin: Administrator, target: AccountPlace): boolean {
  return administrationVerdict(admin, target).ok;
}

/**
 * [spec §6 accounts] ADR 0012: the account fields an administrator types, checked the same way for
 * a form and an import row: the username's pattern and length, the display name, the phone.
 */
export function accountFieldProblems(input: { username?: string; displayName?: string; phone?: string | null }): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const { username, displayName, phone } = input;
  if (username !== undefined && (username.length < 3 || username.length > 64 || !USERNAME_PATTERN.test(username))) {
    problems.push({
      field: 'username',
      zh: '字段 用户名（username）无效：须为 3–64 位小写字母、数字或 . _ -，以字母或数字开头',
      en: 'Field username is invalid: 3–64 lower-case letters, digits, . _ or -, starting with a letter or digit',
    });
  }
  if (displayName !== undefined && (displayName.trim() === '' || [...displayName].length > 64)) {
    problems.push({
      field: 'displayName',
      zh: '字段 姓名/名称（displayName）无效：须为 1–64 个字符',
      en: 'Field displayName is invalid: 1–64 characters',
    });
  }
  if (phone !== undefined && phone !== null && phone !== '' && !PHONE_PATTERN.test(phone)) {
    problems.push({
      field: 'phone',
      zh: '字段 手机（phone）无效：须为 11 位手机号或带区号的座机号（如 024-12345678）',
      en: 'Field phone is invalid: an 11-digit mobile number or a landline with its area code (e.g. 024-12345678)',
    });
  }
  return problems;
}

/**
 * [spec §6 accounts] ADR 0012: the last enabled administrator of a region stays: a change that
 * disables it, or moves it to another role or region, is refused (422 LAST_ADMINISTRATOR) when no
 * other enabled administrator holds that region. `othersEnabled` counts them under a row lock.
 */
export function lastAdministratorVerdict(
  current: { role: string; scopeCode: string | null; disabled: boolean },
  next: { role: string; scopeCode: string | null; disabled: boolean },
  othersEnabled: number,
): Verdict {
  const wasAdmin = !current.disabled && isAdministratorRole(current.role);
  const staysAdmin = !next.disabled && next.role === current.role && next.scopeCode === current.scopeCode;
  if (!wasAdmin || staysAdmin || othersEnabled > 0) return ACCEPTED;
  return refuse({
    code: 'LAST_ADMINISTRATOR',
    zh: '该账号是本区划最后一个启用的管理账号，不能停用、改角色或调往其他区划；请先为本区划创建另一个管理账号',
    en: 'This is the last enabled administrator of its region: create another one before disabling, re-roling or moving it',
    kind: 'rule',
  });
}

/**
 * [spec §6 accounts] ADR 0012: one does not disable oneself nor change one's own role or region
 * (422 SELF_ADMINISTRATION): another administrator of the region does it.
 */
export function selfAdministrationVerdict(
  adminUserId: number,
  targetId: number,
  change: { role?: string; regionCode?: string; disabled?: boolean },
): Verdict {
  if (adminUserId !== targetId) return ACCEPTED;
  if (change.disabled === true || change.role !== undefined || change.regionCode !== undefined) {
    return refuse({
      code: 'SELF_ADMINISTRATION',
      zh: '不能停用本人账号，也不能修改本人的角色或区划；请由本区划其他管理账号或上级办理',
      en: 'You may not disable your own account nor change your own role or region',
      kind: 'rule',
    });
  }
  return ACCEPTED;
}

/**
 * [spec §6 accounts] ADR 0012: a role cell of an import, as the Chinese label or the code; null when unknown.
 */
export function parseRoleCell(cell: string): AdministeredRole | null {
  const text = cell.trim();
  const byCode = ADMINISTERED_ROLES.find((r) => r === text);
  if (byCode) return byCode;
  const norm = (s: string) => s.replace(/[\s"“”'（）()、，,]/g, '');
  return ADMINISTERED_ROLES.find((r) => norm(ROLE_LABELS[r]) === norm(text)) ?? null;
}

const OTP_ALPHABET = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
/** Bytes at or above this are skipped so that every letter of the alphabet is equally likely. */
const OTP_BYTE_LIMIT = 256 - (256 % OTP_ALPHABET.length);

/**
 * [spec §6 accounts] ADR 0012: a one-time password from random bytes (`random(n)` gives n bytes),
 * 12 characters without look-alikes, that passes the password policy for `username`.
 */
export function oneTimePassword(username: string, random: (n: number) => Uint8Array): string {
  for (;;) {
    const bytes = random(24);
    let out = '';
    for (const b of bytes) if (b < OTP_BYTE_LIMIT && out.length < 12) out += OTP_ALPHABET[b % OTP_ALPHABET.length];
    if (out.length === 12 && /\d/.test(out) && passwordProblem(out, username) === null) return out;
  }
}
