import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../common/tabular.js';
import { isValidIdNumber, isValidPhone, maskName, maskPhone, parseHouseholdRows, seesPersonalData } from './households.rules.js';

describe('masking', () => {
  it('masks names as 张* / 张*明 / 欧**明', () => {
    expect(maskName('张三')).toBe('张*');
    expect(maskName('张晓明')).toBe('张*明');
    expect(maskName('欧阳小明')).toBe('欧**明');
    expect(maskName('张')).toBe('*');
    expect(maskName('')).toBe('');
  });
  it('masks phones as 138****5678 and landlines to their last four digits', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone('024-23456789')).toBe('*******6789');
    expect(maskPhone('123')).toBe('***');
  });
  it("shows personal data only to the community's own staff", () => {
    expect(seesPersonalData({ role: 'community', scopePath: '2101/210102/210102001/210102001001' }, '210102001001')).toBe(true);
    expect(seesPersonalData({ role: 'community', scopePath: '2101/210102/210102001/210102001002' }, '210102001001')).toBe(false);
    expect(seesPersonalData({ role: 'street_office', scopePath: '2101/210102/210102001' }, '210102001001')).toBe(false);
    expect(seesPersonalData({ role: 'city_bureau', scopePath: '2101' }, '210102001001')).toBe(false);
    expect(seesPersonalData(null, '210102001001')).toBe(false);
  });
});

describe('validation', () => {
  it('accepts mobile and landline numbers', () => {
    expect(isValidPhone('13812345678')).toBe(true);
    expect(isValidPhone('+86 138 1234 5678')).toBe(true);
    expect(isValidPhone('024-23456789')).toBe(true);
    expect(isValidPhone('12812345678')).toBe(false);
    expect(isValidPhone('5678')).toBe(false);
  });
  it('checks the ID number check digit (GB 11643)', () => {
    expect(isValidIdNumber('11010519491231002X')).toBe(true);
    expect(isValidIdNumber('11010519491231002x')).toBe(true);
    expect(isValidIdNumber('110105194912310021')).toBe(false);
    expect(isValidIdNumber('1101051949123100')).toBe(false);
  });
});

describe('registry rows', () => {
  const header = ['户号', '楼栋', '单元', '房号', '户主姓名', '联系电话', '常住人数', '居民代表', '议事会成员'];
  it('reads rows with roles, merging a person who holds both', () => {
    const { households, errors, hasRoleColumns } = parseHouseholdRows([
      header,
      ['A-1', '3', '2', '501', ' 张 三 ', '13812345678', '3', '张三', '张三、李四'],
    ]);
    expect(errors).toEqual([]);
    expect(hasRoleColumns).toBe(true);
    expect(households[0]).toMatchObject({ householdNo: 'A-1', headName: '张三', residents: 3 });
    expect(households[0]!.members).toEqual([
      { name: '张三', isRepresentative: true, isCouncilMember: true },
      { name: '李四', isRepresentative: false, isCouncilMember: true },
    ]);
  });
  it('reports every bad row with its file line and column, and duplicate numbers', () => {
    const { households, errors } = parseHouseholdRows([
      header,
      ['A-1', '3', '', '501', '张三', '138', '3'],
      ['A-1', '3', '', '502', '李四', '13812345678', 'x'],
      ['', '', '', '', '', '', ''],
      ['A-2', '3', '', '503', '王五', '13812345679', '2'],
    ]);
    expect(errors.map((e) => [e.row, e.column])).toEqual([
      [2, '联系电话'],
      [3, '常住人数'],
      [3, '户号'],
    ]);
    expect(households.map((h) => h.householdNo)).toEqual(['A-2']);
  });
  it('refuses an empty file and unknown headers', () => {
    expect(parseHouseholdRows([header]).errors[0]!.message).toContain('没有数据行');
    expect(
      parseHouseholdRows([
        ['户号', '地址'],
        ['1', 'x'],
      ]).errors.map((e) => e.message),
    ).toContain('无法识别的列"地址"');
  });
});

describe('CSV', () => {
  it('parses quotes, doubled quotes, CRLF and a BOM', () => {
    expect(parseCsv('\ufeffa,b\r\n"x, y","say ""hi"""\n1,\n')).toEqual([
      ['a', 'b'],
      ['x, y', 'say "hi"'],
      ['1', ''],
    ]);
    expect(parseCsv('a,b')).toEqual([['a', 'b']]);
  });
  it('throws on an unterminated quote', () => {
    expect(() => parseCsv('a,"b\n')).toThrow();
  });
});
