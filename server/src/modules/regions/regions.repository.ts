import { and, asc, eq, ilike, inArray, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Executor } from '../../db/client.js';
import { containsPattern, underPath } from '../../common/region-scope.js';
import { communityProfile, region } from '../../db/schema/regions.js';
import type { RatingsService } from '../ratings/ratings.service.js';

/** A year's ratings as a relation to join (from the ratings module). */
export type RatedYear = ReturnType<RatingsService['yearRelation']>;

export type RegionRow = typeof region.$inferSelect;
export interface RegionSummary extends RegionRow {
  communityCount: number;
}

// Correlated on the outer, unaliased "region" row; drizzle would render a column unqualified here.
const OUTER_PATH = sql.raw('"region"."path"');
const OUTER_LEVEL = sql.raw('"region"."level"');
// The row itself if it is a community, plus the communities below it: paths from 'P/' up to 'P0'
// byte-wise ('0' follows '/'), a range the partial index answers alone (a LIKE on a column cannot).
const communityCount =
  sql<number>`((${OUTER_LEVEL} = 'community')::int + (select count(*) from "region" as c where c.level = 'community' and c.path ~>=~ (${OUTER_PATH} || '/') and c.path ~<~ (${OUTER_PATH} || '0')))`.mapWith(
    Number,
  );

const street = alias(region, 'street');
const district = alias(region, 'district');

export class RegionsRepository {
  async get(db: Executor, code: string): Promise<RegionSummary | undefined> {
    const rows = await db
      .select({ ...regionColumns, communityCount })
      .from(region)
      .where(eq(region.code, code));
    return rows[0];
  }

  async getMany(db: Executor, codes: string[]): Promise<RegionSummary[]> {
    if (codes.length === 0) return [];
    return db
      .select({ ...regionColumns, communityCount })
      .from(region)
      .where(inArray(region.code, codes));
  }

  /** One region without its community count (a primary-key read, whatever the region's size). */
  async getPlain(db: Executor, code: string): Promise<RegionRow | undefined> {
    return (await db.select().from(region).where(eq(region.code, code)))[0];
  }

  /** Names and list order only: no community counts (for labelling aggregates of many regions). */
  async names(db: Executor, codes: string[]): Promise<{ code: string; name: string; sortOrder: number }[]> {
    if (codes.length === 0) return [];
    return db
      .select({ code: region.code, name: region.name, sortOrder: region.sortOrder })
      .from(region)
      .where(sql`${region.code} = any(${sql.param(codes)}::text[])`);
  }

  async children(db: Executor, parentCode: string): Promise<RegionSummary[]> {
    return db
      .select({ ...regionColumns, communityCount })
      .from(region)
      .where(eq(region.parentCode, parentCode))
      .orderBy(asc(region.sortOrder), asc(region.code));
  }

  async profile(db: Executor, code: string) {
    const rows = await db.select().from(communityProfile).where(eq(communityProfile.communityCode, code));
    return rows[0];
  }

  async updateProfile(db: Executor, code: string, patch: Partial<typeof communityProfile.$inferInsert>) {
    await db
      .update(communityProfile)
      .set({ ...patch, updatedAt: new Date() })
      .where(eq(communityProfile.communityCode, code));
  }

  async communities(
    db: Executor,
    rated: RatedYear,
    filter: { pathPrefix: string; q?: string; stars?: number; limit: number; offset: number },
  ) {
    const conditions: SQL[] = [eq(region.level, 'community'), underPath(region.path, filter.pathPrefix)];
    if (filter.q) conditions.push(ilike(region.name, containsPattern(filter.q)));
    if (filter.stars !== undefined) conditions.push(eq(rated.stars, filter.stars));
    const where = and(...conditions);
    const base = db
      .select({
        code: region.code,
        name: region.name,
        path: region.path,
        streetCode: street.code,
        streetName: street.name,
        districtCode: district.code,
        districtName: district.name,
        stars: rated.stars,
        residentHouseholds: communityProfile.residentHouseholds,
        representatives: communityProfile.representatives,
        councilMembers: communityProfile.councilMembers,
      })
      .from(region)
      .innerJoin(street, eq(street.code, region.parentCode))
      .innerJoin(district, eq(district.code, street.parentCode))
      .innerJoin(communityProfile, eq(communityProfile.communityCode, region.code))
      .leftJoin(rated, eq(rated.communityCode, region.code))
      .where(where);
    const [items, totals] = await Promise.all([
      base.orderBy(asc(region.code)).limit(filter.limit).offset(filter.offset),
      db
        .select({ total: sql<number>`count(*)`.mapWith(Number) })
        .from(region)
        .leftJoin(rated, eq(rated.communityCode, region.code))
        .where(where),
    ]);
    return { total: totals[0]?.total ?? 0, items };
  }

  async insertRegions(db: Executor, rows: (typeof region.$inferInsert)[]) {
    for (let i = 0; i < rows.length; i += 500)
      await db
        .insert(region)
        .values(rows.slice(i, i + 500))
        .onConflictDoNothing();
  }

  async insertProfiles(db: Executor, rows: (typeof communityProfile.$inferInsert)[]) {
    for (let i = 0; i < rows.length; i += 500)
      await db
        .insert(communityProfile)
        .values(rows.slice(i, i + 500))
        .onConflictDoNothing();
  }
}

const regionColumns = {
  code: region.code,
  parentCode: region.parentCode,
  level: region.level,
  name: region.name,
  kind: region.kind,
  path: region.path,
  sortOrder: region.sortOrder,
};
