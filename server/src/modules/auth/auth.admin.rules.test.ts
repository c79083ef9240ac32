import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  accountFieldProblems,
  administrableRoles,
  administrationVerdict,
  lastAdministratorVerdict,
  mayManage,
  oneTimePassword,
  parseRoleCell,
  selfAdministrationVerdict,
} from './auth.admin.rules.js';
import { passwordProblem } from './auth.rules.js';

const city = { userId: 1, role: 'city_bureau' as const, scopePath: '2101' };
const district = { userId: 2, role: 'district_bureau' as const, scopePath: '2101/210102' };
const street = { userId: 3, role: 'street_office' as const, scopePath: '2101/210102/210102001' };
const community = { userId: 4, role: 'community' as const, scopePath: '2101/210102/210102001/210102001001' };

const at = (role: string, path: string, level: string) => ({ role, path, level });

describe('who administers whom [spec §6 accounts] ADR 0012', () => {
  it('the city: its colleagues and district bureaus, never streets or communities', () => {
    expect(administrableRoles('city_bureau')).toEqual(['city_bureau', 'city_finance', 'district_bureau']);
    expect(mayManage(city, at('city_finance', '2101', 'city'))).toBe(true);
    expect(mayManage(city, at('district_bureau', '2101/210103', 'district'))).toBe(true);
    expect(administrationVerdict(city, at('street_office', '2101/210102/210102001', 'street'))).toMatchObject({
      ok: false,
      code: 'ROLE_NOT_ASSIGNABLE',
      field: 'role',
    });
  });

  it('a district: its colleagues, streets and communities inside its district only', () => {
    expect(mayManage(district, at('street_office', '2101/210102/210102002', 'street'))).toBe(true);
    expect(mayManage(district, at('community', '2101/210102/210102002/210102002003', 'community'))).toBe(true);
    expect(administrationVerdict(district, at('street_office', '2101/210103/210103005', 'street'))).toMatchObject({
      ok: false,
      code: 'INVALID_REGION_CODE',
      field: 'regionCode',
    });
    expect(administrationVerdict(district, at('city_bureau', '2101', 'city'))).toMatchObject({ code: 'ROLE_NOT_ASSIGNABLE' });
  });

  it('a street: communities of its street and street colleagues; never a district account', () => {
    expect(mayManage(street, at('community', '2101/210102/210102001/210102001002', 'community'))).toBe(true);
    expect(mayManage(street, at('street_office', '2101/210102/210102001', 'street'))).toBe(true);
    expect(mayManage(street, at('street_office', '2101/210102/210102002', 'street'))).toBe(false);
    expect(mayManage(street, at('community', '2101/210102/210102002/210102002001', 'community'))).toBe(false);
    expect(administrationVerdict(street, at('district_bureau', '2101/210102', 'district'))).toMatchObject({ code: 'ROLE_NOT_ASSIGNABLE' });
  });

  it('a community administers nothing', () => {
    expect(administrableRoles('community')).toEqual([]);
    expect(mayManage(community, at('community', community.scopePath, 'community'))).toBe(false);
  });

  it('the region must be of the level the role acts for', () => {
    expect(administrationVerdict(street, at('community', '2101/210102/210102001', 'street'))).toMatchObject({
      ok: false,
      code: 'INVALID_REGION_CODE',
      field: 'regionCode',
    });
  });
});

describe('account fields', () => {
  it('names the field of a bad username, display name or phone', () => {
    expect(accountFieldProblems({ username: 'Ab', displayName: ' ', phone: '12345' }).map((p) => p.field)).toEqual([
      'username',
      'displayName',
      'phone',
    ]);
    expect(accountFieldProblems({ username: 'street-1.a_b', displayName: '某社区', phone: '024-23456789' })).toEqual([]);
    expect(accountFieldProblems({ phone: '13800000000' })).toEqual([]);
  });

  it('reads a role cell as its Chinese label or its code', () => {
    expect(parseRoleCell('社区"两委"')).toBe('community');
    expect(parseRoleCell('社区两委')).toBe('community');
    expect(parseRoleCell('street_office')).toBe('street_office');
    expect(parseRoleCell('承接主体')).toBeNull();
    expect(parseRoleCell('provider')).toBeNull();
  });
});

describe('the last administrator and oneself', () => {
  const admin = { role: 'street_office', scopeCode: '210102001', disabled: false };
  it('refuses disabling, re-roling or moving the last enabled administrator', () => {
    expect(lastAdministratorVerdict(admin, { ...admin, disabled: true }, 0)).toMatchObject({ ok: false, code: 'LAST_ADMINISTRATOR' });
    expect(lastAdministratorVerdict(admin, { ...admin, role: 'community' }, 0)).toMatchObject({ ok: false });
    expect(lastAdministratorVerdict(admin, { ...admin, scopeCode: '210102002' }, 0)).toMatchObject({ ok: false });
    expect(lastAdministratorVerdict(admin, { ...admin, disabled: true }, 1).ok).toBe(true);
    expect(lastAdministratorVerdict(admin, { ...admin }, 0).ok).toBe(true);
    const member = { role: 'community', scopeCode: '210102001001', disabled: false };
    expect(lastAdministratorVerdict(member, { ...member, disabled: true }, 0).ok).toBe(true);
  });

  it('refuses disabling oneself or changing one’s own role or region', () => {
    expect(selfAdministrationVerdict(3, 3, { disabled: true })).toMatchObject({ ok: false, code: 'SELF_ADMINISTRATION' });
    expect(selfAdministrationVerdict(3, 3, { role: 'community' }).ok).toBe(false);
    expect(selfAdministrationVerdict(3, 3, {}).ok).toBe(true);
    expect(selfAdministrationVerdict(3, 4, { disabled: true }).ok).toBe(true);
  });
});

describe('one-time passwords', () => {
  it('are random, 12 characters, and pass the password policy', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const p = oneTimePassword('community-210102001001', (n) => randomBytes(n));
      expect(p).toHaveLength(12);
      expect(passwordProblem(p, 'community-210102001001')).toBeNull();
      seen.add(p);
    }
    expect(seen.size).toBe(200);
  });
});
