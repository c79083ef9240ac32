import { eq, like, or, sql, type Column, type SQL } from 'drizzle-orm';

/**
 * Region scope ("本级及以下"): a record belongs to a division when its region path is the
 * division's path or starts with it followed by '/'. Paths are digits and '/', but a prefix is
 * still escaped for LIKE so that no caller-supplied text can widen the scope.
 */
export const escapeLike = (text: string): string => text.replace(/[%_\\]/g, (c) => `\\${c}`);

/** The drizzle condition `column = prefix OR column LIKE 'prefix/%'`. */
export const underPath = (column: Column | SQL, prefix: string): SQL =>
  or(eq(column as Column, prefix), like(column as Column, `${escapeLike(prefix)}/%`))!;

/** The same condition for a raw SQL column reference, e.g. underPathSql(sql`p.region_path`, prefix). */
export const underPathSql = (column: SQL, prefix: string): SQL =>
  sql`(${column} = ${prefix} or ${column} like ${`${escapeLike(prefix)}/%`})`;

/**
 * The column holds a strict ancestor of `path` (a district row seen from a street): `path LIKE column || '/%'`.
 * The column's values are region paths, digits and '/', so they carry no LIKE wildcard to escape.
 */
export const ancestorOf = (column: Column | SQL, path: string): SQL => sql`${path} like ${column} || '/%'`;

/** A region code column starting with `prefix` (codes nest: a street's code starts with its district's), escaped. */
export const codeUnder = (column: Column | SQL, prefix: string): SQL => like(column as Column, `${escapeLike(prefix)}%`);

/** `%text%` for a search box, escaped. */
export const containsPattern = (text: string): string => `%${escapeLike(text)}%`;
