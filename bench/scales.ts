/**
 * The sizes `npm run bench:data -- --scale …` generates (issue #9). Counts are targets: the
 * generator varies each community around the mean, deterministically, and reports what it wrote.
 */
export interface Scale {
  name: ScaleName;
  label: string;
  /** The root region (the scope of the city/national accounts); four digits like a city's division code. */
  root: { code: string; name: string; kind: string };
  districts: number;
  streets: number;
  communities: number;
  /** Registered households over the communities that have a registry (see householdCommunities). */
  households: number;
  /** Opinions already collected for the fund year (about 30% coverage where registries exist). */
  opinions: number;
  /** Communities with a household registry: all of them, or a sample at national scale. */
  householdCommunities: number;
  /** Plan projects per community with a filed plan, on average. */
  projectsPerCommunity: number;
}

export type ScaleName = 'tiny' | 'city' | 'province' | 'national';
export const SCALE_NAMES: ScaleName[] = ['tiny', 'city', 'province', 'national'];

export const SCALES: Record<ScaleName, Scale> = {
  // CI-sized: every table gets rows, every funnel step is reached, it loads in a second.
  tiny: {
    name: 'tiny',
    label: 'tiny (CI)',
    root: { code: '9901', name: '基准测试市', kind: '市' },
    districts: 2,
    streets: 4,
    communities: 16,
    households: 1_600,
    opinions: 480,
    householdCommunities: 16,
    projectsPerCommunity: 4,
  },
  // A Shenyang-sized city.
  city: {
    name: 'city',
    label: 'city (Shenyang-sized)',
    root: { code: '2101', name: '沈阳市（基准数据）', kind: '市' },
    districts: 13,
    streets: 190,
    communities: 1_500,
    households: 2_500_000,
    opinions: 750_000,
    householdCommunities: 1_500,
    projectsPerCommunity: 10,
  },
  // Liaoning-sized.
  province: {
    name: 'province',
    label: 'province (Liaoning-sized)',
    root: { code: '2100', name: '辽宁省（基准数据）', kind: '省' },
    districts: 100,
    streets: 1_400,
    communities: 4_300,
    households: 8_000_000,
    opinions: 2_400_000,
    householdCommunities: 4_300,
    projectsPerCommunity: 10,
  },
  // The whole country: registries and opinions only for a sample of communities.
  national: {
    name: 'national',
    label: 'national',
    root: { code: '8600', name: '全国（基准数据）', kind: '国' },
    districts: 2_800,
    streets: 40_000,
    communities: 120_000,
    households: 1_700_000,
    opinions: 510_000,
    householdCommunities: 1_000,
    projectsPerCommunity: 11.4,
  },
};

export function scaleByName(name: string): Scale {
  const scale = SCALES[name as ScaleName];
  if (!scale) throw new Error(`unknown scale "${name}" (expected one of ${SCALE_NAMES.join(', ')})`);
  return scale;
}
