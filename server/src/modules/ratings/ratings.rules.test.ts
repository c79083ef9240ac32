import { describe, expect, it } from 'vitest';
import { buildPreview, parseLevel, tableToRows, type DirectoryEntry } from './ratings.rules.js';

const directory: DirectoryEntry[] = [
  {
    code: '210102001001',
    name: '长白社区',
    path: '2101/210102/210102001/210102001001',
    streetName: '浑河湾街道',
    districtCode: '210102',
    districtName: '和平区',
  },
  {
    code: '210102001002',
    name: '新华社区',
    path: '2101/210102/210102001/210102001002',
    streetName: '浑河湾街道',
    districtCode: '210102',
    districtName: '和平区',
  },
  {
    code: '210103001001',
    name: '新华社区',
    path: '2101/210103/210103001/210103001001',
    streetName: '某街道',
    districtCode: '210103',
    districtName: '沈河区',
  },
];
const tiers = [
  { stars: 5, quota: 1 },
  { stars: 4, quota: 2 },
  { stars: 3, quota: 2 },
];

describe('star levels', () => {
  it('reads digits, 星, Chinese numerals and ★', () => {
    expect(['5', '5星', '五星', '四星级', '★★★', ' 3 '].map(parseLevel)).toEqual([5, 5, 5, 4, 3, 3]);
    expect(['6', '0', 'A', '', '五星半'].map(parseLevel)).toEqual([null, null, null, null, null]);
  });
});

describe('import preview', () => {
  it('matches by code or by name within the district', () => {
    const p = buildPreview(
      2023,
      tableToRows([
        ['社区代码', '社区名称', '所属区县', '星级'],
        ['210102001001', '', '', '5'],
        ['', '新华社区', '沈河区', '4'],
      ]),
      directory,
      tiers,
    );
    expect(p.ok).toBe(true);
    expect(p.rows.map((r) => r.communityCode)).toEqual(['210102001001', '210103001001']);
  });

  it('names quota excess with level, quota and count on every row of that level', () => {
    const p = buildPreview(
      2023,
      tableToRows([
        ['code', 'stars'],
        ['210102001001', '5'],
        ['210102001002', '5'],
      ]),
      directory,
      tiers,
    );
    expect(p.ok).toBe(false);
    expect(p.fileProblems).toEqual([expect.objectContaining({ code: 'QUOTA_EXCEEDED', details: { stars: 5, quota: 1, count: 2 } })]);
    expect(p.rows.every((r) => r.problems.some((x) => x.code === 'QUOTA_EXCEEDED'))).toBe(true);
  });

  it('flags a missing level column and a duplicate community', () => {
    expect(tableToRows([['社区代码'], ['210102001001']]).fileProblems[0]!.code).toBe('MISSING_FIELD');
    const p = buildPreview(
      2023,
      tableToRows([
        ['社区代码', '星级'],
        ['210102001001', '3'],
        ['210102001001', '3'],
      ]),
      directory,
      tiers,
    );
    expect(p.rows[1]!.problems.map((x) => x.code)).toEqual(['DUPLICATE_ROW']);
    expect(p.levels.find((l) => l.stars === 3)!.count).toBe(1);
  });

  it('gives the same token for the same accepted result only', () => {
    const a = buildPreview(
      2023,
      tableToRows([
        ['code', 'stars'],
        ['210102001001', '3'],
      ]),
      directory,
      tiers,
    );
    const b = buildPreview(
      2023,
      tableToRows([
        ['code', 'stars'],
        ['210102001001', '三星'],
      ]),
      directory,
      tiers,
    );
    const c = buildPreview(
      2023,
      tableToRows([
        ['code', 'stars'],
        ['210102001001', '4'],
      ]),
      directory,
      tiers,
    );
    expect(a.token).toBe(b.token);
    expect(a.token).not.toBe(c.token);
  });
});
