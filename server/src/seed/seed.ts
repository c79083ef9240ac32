import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { appMeta } from '../db/schema/index.js';
import type { Services } from '../services.js';
import { AuthService } from '../modules/auth/auth.service.js';
import { SYSTEM_ACTOR } from '../modules/audit/audit.service.js';
import type { Role } from '../common/access.js';
import { CITY_CODE, generateDemoCity, type DemoCity, type StarLevel } from './demo-city.js';
import { loadDivisions, loadHolidayYears } from './divisions.js';
import { policy2023 } from './policy-2023.js';
import { seedDemoFunds } from './demo-funds.js';
import { seedDemoNeeds } from './demo-needs.js';
import { seedDemoDecisions } from './demo-decisions.js';
import { seedDemoPlans } from './demo-plans.js';
import { seedDemoProcurement } from './demo-procurement.js';
import { seedDemoArea } from './demo-area.js';
import { seedDemoEvaluation } from './demo-evaluation.js';
import { seedDemoDisclosure } from './demo-disclosure.js';
import { demoTimeline } from './demo-timeline.js';

/** The one password of every demo account (README). Change it before any real use. */
export const DEMO_PASSWORD = 'StarFund@2026';
const SEED_MARKER = 'demo_seed';
const SEED_VERSION = 1;
/** Fund years whose policy the demo starts with: 2023 as published, later years up to the demo's fund year copied from it. */
export function demoPolicyYears(fundYear: number): number[] {
  return Array.from({ length: Math.max(0, fundYear - policy2023.fundYear) + 1 }, (_, i) => policy2023.fundYear + i);
}

export interface DemoAccount {
  username: string;
  displayName: string;
  role: Role;
  scopeCode: string | null;
}

export function buildDemoCity(): DemoCity {
  return generateDemoCity(loadDivisions(), {
    ratingYear: policy2023.ratingYear,
    quotas: policy2023.tiers.map((t) => ({ stars: t.stars as StarLevel, quota: t.quota })),
  });
}

/**
 * city, finance, one account per district, per street and per community (issue 18): every office of
 * the demo city can sign in, and the README's walk (demo-walk.ts) names those with work waiting.
 */
export function demoAccounts(city: DemoCity): DemoAccount[] {
  const accounts: DemoAccount[] = [
    { username: 'city', displayName: '沈阳市民政局', role: 'city_bureau', scopeCode: CITY_CODE },
    { username: 'finance', displayName: '沈阳市财政局', role: 'city_finance', scopeCode: CITY_CODE },
  ];
  const nameOf = new Map(city.regions.map((r) => [r.code, r.name]));
  for (const r of city.regions) {
    if (r.level === 'district')
      accounts.push({ username: `district-${r.code}`, displayName: `${r.name}民政局`, role: 'district_bureau', scopeCode: r.code });
  }
  for (const r of city.regions) {
    if (r.level === 'street') {
      const office = r.kind === '街道' ? `${r.name}办事处` : `${r.name}人民政府`;
      accounts.push({ username: `street-${r.code}`, displayName: office, role: 'street_office', scopeCode: r.code });
    }
  }
  for (const c of city.communities) {
    accounts.push({
      username: `community-${c.code}`,
      displayName: `${nameOf.get(c.streetCode)}${c.name}居委会`,
      role: 'community',
      scopeCode: c.code,
    });
  }
  return accounts;
}

/**
 * The first community of each district: the communities that had the demo's only community accounts
 * before every community got one. The needs seed takes its campaigns from them, and the decisions
 * and plans seeds keep clear of them (the tests use them as free communities).
 */
export function firstCommunityOfEachDistrict(city: DemoCity): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const c of city.communities) {
    if (seen.has(c.districtCode)) continue;
    seen.add(c.districtCode);
    out.push(c.code);
  }
  return out.sort();
}

/**
 * Seeds the demo city once. The marker row is claimed first inside the same transaction, so a
 * restart, or two instances starting together, never seed twice. Returns counts, or null if
 * the city was already there.
 */
export async function seedDemoCity(db: Db, services: Services): Promise<Record<string, number> | null> {
  // Every start of a demo server asks: answer "already seeded" before generating the city and
  // hashing its password (the claim below still settles two servers starting together).
  const [seededBefore] = await db.select({ key: appMeta.key }).from(appMeta).where(eq(appMeta.key, SEED_MARKER));
  if (seededBefore) return null;
  const city = buildDemoCity();
  const accounts = demoAccounts(city);
  const passwordHash = await AuthService.hashPassword(DEMO_PASSWORD);
  const firstOfDistrict = firstCommunityOfEachDistrict(city);
  const timeline = demoTimeline(services.clock.today());
  const seeded = await db.transaction(async (tx) => {
    const claimed = await tx
      .insert(appMeta)
      .values({
        key: SEED_MARKER,
        value: { version: SEED_VERSION, seededAt: services.clock.now().toISOString(), today: timeline.today, fundYear: timeline.fundYear },
      })
      .onConflictDoNothing()
      .returning({ key: appMeta.key });
    if (claimed.length === 0) return null;

    await services.regions.insertSeeded(tx, {
      regions: city.regions,
      profiles: city.communities.map((c) => ({
        communityCode: c.code,
        residentHouseholds: c.residentHouseholds,
        representatives: c.representatives,
        councilMembers: c.councilMembers,
        address: c.address,
        contactPhone: c.contactPhone,
      })),
    });
    await services.ratings.insertSeeded(tx, city.ratings);
    await services.auth.insertUsers(
      accounts.map((a) => ({ username: a.username, displayName: a.displayName, role: a.role, scopeCode: a.scopeCode, passwordHash })),
      tx,
    );
    for (const year of demoPolicyYears(timeline.fundYear)) {
      const title = year === policy2023.fundYear ? policy2023.title : `${year} 年度星级社区"以奖代补"专项资金（沿用沈民发〔2023〕11号）`;
      await services.policy.create(SYSTEM_ACTOR, year, { ...structuredClone(policy2023), fundYear: year, ratingYear: year - 1, title }, tx);
    }
    for (const h of loadHolidayYears()) await services.calendar.publishYear(SYSTEM_ACTOR, h.year, h.source, h.days, tx);

    const funds = await seedDemoFunds(tx, services, city, timeline);
    const needs = await seedDemoNeeds(tx, services, city, firstOfDistrict, timeline);
    const decisions = await seedDemoDecisions(tx, services, city, firstOfDistrict, timeline);
    const plans = await seedDemoPlans(tx, services, city, firstOfDistrict, timeline);
    const procurement = await seedDemoProcurement(tx, services, passwordHash, timeline);
    const evaluation = await seedDemoEvaluation(tx, services, passwordHash, timeline);
    const disclosure = await seedDemoDisclosure(tx, services, timeline);
    const area = await seedDemoArea(tx, services, city, timeline);

    const counts = {
      districts: city.regions.filter((r) => r.level === 'district').length,
      streets: city.regions.filter((r) => r.level === 'street').length,
      communities: city.communities.length,
      ratings: city.ratings.length,
      accounts: accounts.length,
      ...funds,
      ...needs,
      ...decisions,
      ...plans,
      ...procurement,
      ...area,
      ...evaluation,
      ...disclosure,
    };
    await services.audit.record(tx, SYSTEM_ACTOR, {
      action: 'seed.demo_city',
      entityType: 'installation',
      entityId: SEED_MARKER,
      after: counts,
    });
    return counts;
  });
  // Its events wait in the audit inbox: chain them before anyone reads the city (ADR 0007).
  if (seeded) await services.audit.flush();
  return seeded;
}

export async function isSeeded(db: Db): Promise<boolean> {
  return (await db.select().from(appMeta).where(eq(appMeta.key, SEED_MARKER))).length > 0;
}
