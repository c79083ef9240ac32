import { sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { describe, expect, it } from 'vitest';
import { ancestorOf, codeUnder, containsPattern, escapeLike, underPath, underPathSql } from './region-scope.js';

const render = (q: ReturnType<typeof sql>) => new PgDialect().sqlToQuery(q);

describe('region scope helpers', () => {
  it('escapes LIKE metacharacters so that a prefix cannot widen the scope', () => {
    expect(escapeLike('21/01_%\\')).toBe('21/01\\_\\%\\\\');
    expect(containsPattern('a_b')).toBe('%a\\_b%');
  });

  it('underPath / underPathSql: the path itself or below it', () => {
    expect(render(underPathSql(sql`p.region_path`, '2101/01')).params).toEqual(['2101/01', '2101/01/%']);
    expect(render(sql`${underPath(sql`p.region_path`, '2101')}`).sql).toMatch(/= \$1 or .* like \$2/);
  });

  it('ancestorOf: the column holds a strict ancestor of the path', () => {
    const q = render(ancestorOf(sql`r.region_path`, '2101/01/02'));
    expect(q.sql).toBe("$1 like r.region_path || '/%'");
    expect(q.params).toEqual(['2101/01/02']);
  });

  it('codeUnder: codes starting with the prefix, escaped', () => {
    expect(render(sql`${codeUnder(sql`d.community_code`, '2101_')}`).params).toEqual(['2101\\_%']);
  });
});
