import type { Division } from './divisions.js';
import { createRandom } from './random.js';

/**
 * The demo city: Shenyang's real districts and streets, with generated communities. Pure and
 * deterministic: the same divisions and seed always give the same communities, codes and ratings.
 */
export const DEMO_SEED = 20230611;
export const CITY_CODE = '2101';
export const CITY_NAME = '沈阳市';

const NAME_STEMS = [
  '长白',
  '新华',
  '文化',
  '望湖',
  '滨河',
  '锦绣',
  '丽景',
  '翠湖',
  '金地',
  '紫荆',
  '兴华',
  '北陵',
  '泰山',
  '黄河',
  '长江',
  '珠江',
  '松江',
  '万泉',
  '五里河',
  '青年',
  '光荣',
  '胜利',
  '团结',
  '建设',
  '民主',
  '幸福',
  '和睦',
  '友好',
  '春晖',
  '朝阳',
  '明廉',
  '富民',
  '南湖',
  '北塔',
  '东陵',
  '西江',
  '沈水',
  '浑河',
  '蒲河',
  '丁香',
  '玫瑰',
  '银杏',
  '枫林',
  '碧桂',
  '颐和',
  '龙湾',
  '凤凰',
  '麒麟',
  '华山',
  '嵩山',
  '衡山',
  '恒山',
  '昆山',
  '燕山',
  '天山',
  '岐山',
  '汇丰',
  '同泽',
  '保安',
  '永安',
  '长安',
  '太平',
  '安乐',
  '吉祥',
  '迎宾',
  '工农',
  '红星',
  '卫工',
  '启工',
  '兴工',
  '轻工',
  '重工',
  '保工',
  '勋望',
  '宏伟',
  '新光',
  '宁山',
  '嘉陵',
  '沙河',
  '白塔',
];
const NAME_TAILS = ['', '东', '西', '南', '北', '园', '苑', '里', '新村', '花园', '湾', '城'];

export type StarLevel = 3 | 4 | 5;

export interface DemoRegion {
  code: string;
  parentCode: string | null;
  level: 'city' | 'district' | 'street' | 'community';
  name: string;
  kind: string;
  path: string;
  sortOrder: number;
}

export interface DemoCommunity {
  code: string;
  name: string;
  streetCode: string;
  districtCode: string;
  residentHouseholds: number;
  representatives: number;
  councilMembers: number;
  address: string;
  contactPhone: string;
}

export interface DemoCity {
  regions: DemoRegion[];
  communities: DemoCommunity[];
  /** Ratings of the given year, spread over the districts. */
  ratings: { communityCode: string; year: number; stars: StarLevel }[];
}

function districtKind(name: string): string {
  if (name.endsWith('区')) return '区';
  if (name.endsWith('县')) return '县';
  return '市';
}

export function generateDemoCity(
  divisions: Division[],
  options: { ratingYear: number; quotas: { stars: StarLevel; quota: number }[]; seed?: number },
): DemoCity {
  const random = createRandom(options.seed ?? DEMO_SEED);
  const regions: DemoRegion[] = [
    { code: CITY_CODE, parentCode: null, level: 'city', name: CITY_NAME, kind: '市', path: CITY_CODE, sortOrder: 0 },
  ];
  const communities: DemoCommunity[] = [];
  const districtOrder: string[] = [];
  const byDistrict = new Map<string, DemoCommunity[]>();
  const usedNames = new Map<string, Set<string>>();

  for (const [index, d] of divisions.entries()) {
    if (!byDistrict.has(d.districtCode)) {
      districtOrder.push(d.districtCode);
      byDistrict.set(d.districtCode, []);
      usedNames.set(d.districtCode, new Set());
      regions.push({
        code: d.districtCode,
        parentCode: CITY_CODE,
        level: 'district',
        name: d.districtName,
        kind: districtKind(d.districtName),
        path: `${CITY_CODE}/${d.districtCode}`,
        sortOrder: districtOrder.length,
      });
    }
    const streetPath = `${CITY_CODE}/${d.districtCode}/${d.unitCode}`;
    regions.push({
      code: d.unitCode,
      parentCode: d.districtCode,
      level: 'street',
      name: d.unitName,
      kind: d.unitKind,
      path: streetPath,
      sortOrder: index,
    });

    const count = random.int(3, 6);
    const names = usedNames.get(d.districtCode)!;
    for (let n = 1; n <= count; n++) {
      let name: string;
      do {
        name = `${random.pick(NAME_STEMS)}${random.pick(NAME_TAILS)}社区`;
      } while (names.has(name));
      names.add(name);
      const code = `${d.unitCode}${String(n).padStart(3, '0')}`;
      const community: DemoCommunity = {
        code,
        name,
        streetCode: d.unitCode,
        districtCode: d.districtCode,
        residentHouseholds: random.int(1000, 3000),
        representatives: random.int(15, 40),
        councilMembers: random.int(7, 15),
        address: `${CITY_NAME}${d.districtName}${d.unitName}${name.replace('社区', '')}路${random.int(1, 199)}号`,
        contactPhone: `024-${random.int(2200, 8999)}${String(random.int(0, 9999)).padStart(4, '0')}`,
      };
      communities.push(community);
      byDistrict.get(d.districtCode)!.push(community);
      regions.push({ code, parentCode: d.unitCode, level: 'community', name, kind: '社区', path: `${streetPath}/${code}`, sortOrder: n });
    }
  }

  // Interleave the districts so that each star level is spread over the whole city.
  const queues = districtOrder.map((code) => random.shuffle(byDistrict.get(code)!));
  const interleaved: DemoCommunity[] = [];
  for (let i = 0; queues.some((q) => i < q.length); i++) {
    for (const q of queues) if (i < q.length) interleaved.push(q[i]!);
  }
  const ratings: DemoCity['ratings'] = [];
  let cursor = 0;
  for (const { stars, quota } of [...options.quotas].sort((a, b) => b.stars - a.stars)) {
    for (let k = 0; k < quota && cursor < interleaved.length; k++, cursor++) {
      ratings.push({ communityCode: interleaved[cursor]!.code, year: options.ratingYear, stars });
    }
  }
  return { regions, communities, ratings };
}
