import type { Executor } from '../db/client.js';
import type { Services } from '../services.js';
import { SYSTEM_ACTOR } from '../modules/audit/audit.service.js';
import { CITY_CODE, DEMO_SEED, type DemoCity, type StarLevel } from './demo-city.js';
import { createRandom } from './random.js';
import type { DemoTimeline } from './demo-timeline.js';
import { DEMO_PLAN_STAGES, pinRatings } from './demo-walk.js';

/**
 * Ratings of a later year for the same communities, same quotas, spread over the districts.
 * Pure and deterministic (seeded by the year).
 */
export function generateRatings(
  city: DemoCity,
  year: number,
  quotas: { stars: StarLevel; quota: number }[],
): { communityCode: string; year: number; stars: StarLevel }[] {
  const random = createRandom(DEMO_SEED + year);
  const byDistrict = new Map<string, string[]>();
  for (const c of city.communities) byDistrict.set(c.districtCode, [...(byDistrict.get(c.districtCode) ?? []), c.code]);
  const queues = [...byDistrict.keys()].sort().map((d) => random.shuffle(byDistrict.get(d)!));
  const interleaved: string[] = [];
  for (let i = 0; queues.some((q) => i < q.length); i++) for (const q of queues) if (i < q.length) interleaved.push(q[i]!);
  const out: { communityCode: string; year: number; stars: StarLevel }[] = [];
  let cursor = 0;
  for (const { stars, quota } of [...quotas].sort((a, b) => b.stars - a.stars)) {
    for (let k = 0; k < quota && cursor < interleaved.length; k++, cursor++) out.push({ communityCode: interleaved[cursor]!, year, stars });
  }
  return out;
}

/**
 * Demo money: the previous year's ratings and the confirmed appropriation of the demo's fund year,
 * so that the fund views show money (the walk's communities pinned at their stars). The 2023 appropriation is left for the city finance bureau
 * to confirm (e2e test).
 */
export async function seedDemoFunds(
  tx: Executor,
  services: Services,
  city: DemoCity,
  timeline: DemoTimeline,
): Promise<{ laterRatings: number; allocations: number }> {
  const fundYear = timeline.fundYear;
  const policy = await services.policy.forYear(fundYear, tx);
  // The README's walk holds on any date: its communities keep their stars whatever the year (demo-walk.ts).
  const ratings = pinRatings(
    generateRatings(
      city,
      policy.ratingYear,
      policy.tiers.map((t) => ({ stars: t.stars as StarLevel, quota: t.quota })),
    ),
    DEMO_PLAN_STAGES,
  );
  await services.ratings.insertSeeded(tx, ratings);
  const result = await services.allocations.appropriate(tx, SYSTEM_ACTOR, fundYear, CITY_CODE);
  return { laterRatings: ratings.length, allocations: result.created };
}
