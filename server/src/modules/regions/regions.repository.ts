import { and, asc, desc, eq, ilike, inArray, like, or, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Executor } from '../../db/client.js';
import { communityProfile, rating, region } from '../../db/schema/index.js';

export type RegionRow = typeof region.$inferSelect;
export interface RegionSummary extends RegionRow {
  communityCount: number;
}

// Correlated on the outer, unaliased "region" row; drizzle would render a column unqualified here.
const OUTER_PATH = sql.raw('"region"."path"');
const OUTER_LEVEL = sql.raw('"region"."level"');
// The row itself if it is a community, plus the communities below it: paths from 'P/' up to 'P0'
// byte-wise ('0' follows '/'), a range the partial index answers alone (a LIKE on a column cannot).
const communityCount = sql<number>`((${OUTER_LEVEL} = 'community')::int + (select count(*) from "region" as c where c.level = 'community' and c.path ~>=~ (${OUTER_PATH} || '/') and c.path ~<~ (${OUTER_PATH} || '0')))`.mapWith(Number);

const street = alias(region, 'street');
const district = alias(region, 'district');

/** Paths under a prefix, using the text_pattern_ops index. */
export const underPath = (column: typeof region.path, prefix: string) => or(eq(column, prefix), like(column, `${prefix}/%`))!;

export class RegionsRepository {
  async get(db: Executor, code: string): Promise<RegionSummary | undefined> {
    const rows = await db.select({ ...regionColumns, communityCount }).from(region).where(eq(region.code, code));
    return rows[0];
  }

  async getMany(db: Executor, codes: string[]): Promise<RegionSummary[]> {
    if (codes.length === 0) return [];
    return db.select({ ...regionColumns, communityCount }).from(region).where(inArray(region.code, codes));
  }

  /** One region without its community count (a primary-key read, whatever the region's size). */
  async getPlain(db: Executor, code: string): Promise<RegionRow | undefined> {
    return (await db.select().from(region).where(eq(region.code, code)))[0];
  }

  /** Names and list order only: no community counts (for labelling aggregates of many regions). */
  async names(db: Executor, codes: string[]): Promise<{ code: string; name: string; sortOrder: number }[]> {
    if (codes.length === 0) return [];
    return db.select({ code: region.code, name: region.name, sortOrder: region.sortOrder }).from(region).where(sql`${region.code} = any(${sql.param(codes)}::text[])`);
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

  async ratings(db: Executor, code: string) {
    return db.select({ year: rating.year, stars: rating.stars }).from(rating).where(eq(rating.communityCode, code)).orderBy(desc(rating.year));
  }

  async updateProfile(db: Executor, code: string, patch: Partial<typeof communityProfile.$inferInsert>) {
    await db.update(communityProfile).set({ ...patch, updatedAt: new Date() }).where(eq(communityProfile.communityCode, code));
  }

  async communities(db: Executor, filter: { pathPrefix: string; q?: string; ratingYear: number; stars?: number; limit: number; offset: number }) {
    const conditions: SQL[] = [eq(region.level, 'community'), underPath(region.path, filter.pathPrefix)];
    if (filter.q) conditions.push(ilike(region.name, `%${filter.q.replace(/[%_\\]/g, (c) => `\\${c}`)}%`));
    if (filter.stars !== undefined) conditions.push(eq(rating.stars, filter.stars));
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
        stars: rating.stars,
        residentHouseholds: communityProfile.residentHouseholds,
        representatives: communityProfile.representatives,
        councilMembers: communityProfile.councilMembers,
      })
      .from(region)
      .innerJoin(street, eq(street.code, region.parentCode))
      .innerJoin(district, eq(district.code, street.parentCode))
      .innerJoin(communityProfile, eq(communityProfile.communityCode, region.code))
      .leftJoin(rating, and(eq(rating.communityCode, region.code), eq(rating.year, filter.ratingYear)))
      .where(where);
    const [items, totals] = await Promise.all([
      base.orderBy(asc(region.code)).limit(filter.limit).offset(filter.offset),
      db
        .select({ total: sql<number>`count(*)`.mapWith(Number) })
        .from(region)
        .leftJoin(rating, and(eq(rating.communityCode, region.code), eq(rating.year, filter.ratingYear)))
        .where(where),
    ]);
    return { total: totals[0]?.total ?? 0, items };
  }

  async latestRatingYear(db: Executor): Promise<number | null> {
    const rows = await db.select({ year: sql<number>`max(${rating.year})`.mapWith(Number) }).from(rating);
    return rows[0]?.year || null;
  }

  async insertRegions(db: Executor, rows: (typeof region.$inferInsert)[]) {
    for (let i = 0; i < rows.length; i += 500) await db.insert(region).values(rows.slice(i, i + 500)).onConflictDoNothing();
  }

  async insertProfiles(db: Executor, rows: (typeof communityProfile.$inferInsert)[]) {
    for (let i = 0; i < rows.length; i += 500) await db.insert(communityProfile).values(rows.slice(i, i + 500)).onConflictDoNothing();
  }

  async insertRatings(db: Executor, rows: (typeof rating.$inferInsert)[]) {
    for (let i = 0; i < rows.length; i += 500) await db.insert(rating).values(rows.slice(i, i + 500)).onConflictDoNothing();
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
