/**
 * [N 1] Allocation for fund year Y follows the rating of year Y-1: each rated community receives
 * its level's amount from the Y policy. Pure; the service supplies ratings and tiers.
 */

export interface RatedCommunity {
  communityCode: string;
  communityName: string;
  path: string;
  streetCode: string;
  streetName: string;
  districtCode: string;
  districtName: string;
  stars: number;
}

export interface AllocationRow extends RatedCommunity {
  amountFen: number;
}

export interface Tier {
  stars: number;
  quota: number;
  amountFen: number;
}

export const allocationTransferId = (fundYear: number, communityCode: string) => `alloc:${fundYear}:${communityCode}`;

/** Σ quota × amount: the year's budget (¥30,000,000 for the 2023 numbers). */
export const budgetOf = (tiers: Tier[]) => tiers.reduce((s, t) => s + t.quota * t.amountFen, 0);

/** [N 1] Each rated community's allocation from last year's stars, within each level's quota (the rest unfunded). */
export function computeAllocations(rated: RatedCommunity[], tiers: Tier[]): { rows: AllocationRow[]; unfunded: RatedCommunity[] } {
  const amountOf = new Map(tiers.map((t) => [t.stars, t.amountFen]));
  const rows: AllocationRow[] = [];
  const unfunded: RatedCommunity[] = [];
  for (const r of rated) {
    const amount = amountOf.get(r.stars);
    if (amount && amount > 0) rows.push({ ...r, amountFen: amount });
    else unfunded.push(r);
  }
  return { rows, unfunded };
}

export interface LevelTotal {
  stars: number;
  quota: number;
  count: number;
  amountFen: number;
  totalFen: number;
}

export interface DistrictTotal {
  districtCode: string;
  districtName: string;
  count: number;
  totalFen: number;
  byStars: { stars: number; count: number; totalFen: number }[];
}

/** [N 1] The appropriation's totals by star level, against each level's quota and amount. */
export function summarise(rows: AllocationRow[], tiers: Tier[]) {
  const levels: LevelTotal[] = [...tiers]
    .sort((a, b) => b.stars - a.stars)
    .map((t) => {
      const at = rows.filter((r) => r.stars === t.stars);
      return {
        stars: t.stars,
        quota: t.quota,
        count: at.length,
        amountFen: t.amountFen,
        totalFen: at.reduce((s, r) => s + r.amountFen, 0),
      };
    });
  const districts = new Map<string, DistrictTotal>();
  for (const r of rows) {
    let d = districts.get(r.districtCode);
    if (!d) {
      d = {
        districtCode: r.districtCode,
        districtName: r.districtName,
        count: 0,
        totalFen: 0,
        byStars: levels.map((l) => ({ stars: l.stars, count: 0, totalFen: 0 })),
      };
      districts.set(r.districtCode, d);
    }
    d.count++;
    d.totalFen += r.amountFen;
    const cell = d.byStars.find((b) => b.stars === r.stars);
    if (cell) {
      cell.count++;
      cell.totalFen += r.amountFen;
    }
  }
  return { levels, districts: [...districts.values()], count: rows.length, totalFen: rows.reduce((s, r) => s + r.amountFen, 0) };
}
