import { and, asc, desc, eq, notInArray, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Executor } from '../../db/client.js';
import { underPath, underPathSql } from '../../common/region-scope.js';
import { rating } from '../../db/schema/ratings.js';
import { region } from '../../db/schema/regions.js';
import type { DirectoryEntry } from './ratings.rules.js';

const street = alias(region, 'street');
const district = alias(region, 'district');

/** The rating table belongs to this module; region is read (joined) for names and paths only. */
export class RatingsRepository {
  /** Every community with its street and district names, for matching an import. */
  async directory(db: Executor): Promise<DirectoryEntry[]> {
    return db
      .select({
        code: region.code,
        name: region.name,
        path: region.path,
        streetName: street.name,
        districtCode: district.code,
        districtName: district.name,
      })
      .from(region)
      .innerJoin(street, eq(street.code, region.parentCode))
      .innerJoin(district, eq(district.code, street.parentCode))
      .where(eq(region.level, 'community'))
      .orderBy(asc(region.code));
  }

  async community(db: Executor, code: string): Promise<DirectoryEntry | undefined> {
    const rows = await db
      .select({
        code: region.code,
        name: region.name,
        path: region.path,
        streetName: street.name,
        districtCode: district.code,
        districtName: district.name,
      })
      .from(region)
      .innerJoin(street, eq(street.code, region.parentCode))
      .innerJoin(district, eq(district.code, street.parentCode))
      .where(and(eq(region.level, 'community'), eq(region.code, code)));
    return rows[0];
  }

  /** A year's ratings under a region, with names, for lists and for allocations. */
  async list(db: Executor, filter: { year: number; pathPrefix: string; stars?: number }) {
    const conditions: SQL[] = [eq(rating.year, filter.year), underPath(region.path, filter.pathPrefix)];
    if (filter.stars !== undefined) conditions.push(eq(rating.stars, filter.stars));
    return db
      .select({
        communityCode: rating.communityCode,
        communityName: region.name,
        path: region.path,
        streetCode: street.code,
        streetName: street.name,
        districtCode: district.code,
        districtName: district.name,
        stars: rating.stars,
        updatedAt: rating.updatedAt,
      })
      .from(rating)
      .innerJoin(region, eq(region.code, rating.communityCode))
      .innerJoin(street, eq(street.code, region.parentCode))
      .innerJoin(district, eq(district.code, street.parentCode))
      .where(and(...conditions))
      .orderBy(asc(district.sortOrder), asc(region.code));
  }

  /**
   * The year's rated communities under a path as a relation for other modules' aggregate queries
   * (one statement instead of shipping every community to JS). Columns: community_code, stars,
   * street_code, district_code — read from the community's path (city/district/street/community).
   */
  ratedRelation(year: number, pathPrefix: string): SQL {
    return sql`select r.community_code, r.stars, split_part(c.path, '/', 3) as street_code, split_part(c.path, '/', 2) as district_code
      from ${rating} r join ${region} c on c.code = r.community_code
      where r.year = ${year} and ${underPathSql(sql`c.path`, pathPrefix)}`;
  }

  async countsByLevel(db: Executor, year: number): Promise<Map<number, number>> {
    const rows = await db
      .select({ stars: rating.stars, n: sql<number>`count(*)`.mapWith(Number) })
      .from(rating)
      .where(eq(rating.year, year))
      .groupBy(rating.stars);
    return new Map(rows.map((r) => [r.stars, r.n]));
  }

  async get(db: Executor, year: number, communityCode: string) {
    const rows = await db
      .select()
      .from(rating)
      .where(and(eq(rating.year, year), eq(rating.communityCode, communityCode)))
      .for('update');
    return rows[0];
  }

  async yearRatings(db: Executor, year: number) {
    return db.select({ communityCode: rating.communityCode, stars: rating.stars }).from(rating).where(eq(rating.year, year));
  }

  async upsert(db: Executor, year: number, rows: { communityCode: string; stars: number }[]) {
    for (let i = 0; i < rows.length; i += 500) {
      await db
        .insert(rating)
        .values(rows.slice(i, i + 500).map((r) => ({ communityCode: r.communityCode, year, stars: r.stars })))
        .onConflictDoUpdate({ target: [rating.communityCode, rating.year], set: { stars: sql`excluded.stars`, updatedAt: sql`now()` } });
    }
  }

  /** Removes the year's ratings of communities not in `keep` (an import replaces the year). */
  async deleteOthers(db: Executor, year: number, keep: string[]) {
    if (keep.length === 0) {
      await db.delete(rating).where(eq(rating.year, year));
      return;
    }
    await db.delete(rating).where(and(eq(rating.year, year), notInArray(rating.communityCode, keep)));
  }

  async delete(db: Executor, year: number, communityCode: string) {
    await db.delete(rating).where(and(eq(rating.year, year), eq(rating.communityCode, communityCode)));
  }

  /** A community's ratings, newest year first. */
  async ofCommunity(db: Executor, communityCode: string) {
    return db
      .select({ year: rating.year, stars: rating.stars })
      .from(rating)
      .where(eq(rating.communityCode, communityCode))
      .orderBy(desc(rating.year));
  }

  /** The latest rating year with any rating; null without ratings. */
  async latestYear(db: Executor): Promise<number | null> {
    const rows = await db.select({ year: sql<number>`max(${rating.year})`.mapWith(Number) }).from(rating);
    return rows[0]?.year || null;
  }

  /** A year's ratings as a subquery (community_code, stars) for another module's query to join. */
  yearRelation(db: Executor, year: number) {
    return db
      .select({ communityCode: rating.communityCode, stars: rating.stars })
      .from(rating)
      .where(eq(rating.year, year))
      .as('rated_year');
  }

  /** For the seed: ratings inserted as given (existing ones kept). */
  async insertMany(db: Executor, rows: (typeof rating.$inferInsert)[]) {
    for (let i = 0; i < rows.length; i += 500)
      await db
        .insert(rating)
        .values(rows.slice(i, i + 500))
        .onConflictDoNothing();
  }

  /** Serialises rating writes of one year (import vs. hand correction vs. appropriation). */
  async lockYear(tx: Executor, year: number) {
    await tx.execute(sql`select pg_advisory_xact_lock(727100, ${year})`);
  }
}
