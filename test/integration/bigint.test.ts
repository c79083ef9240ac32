import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestApp, queryRows, type TestContext } from '../helpers/app.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestApp({ seed: false });
});
afterAll(async () => ctx?.close());

describe('BIGINT on both drivers', () => {
  it('reads BIGINT as a JS number, in raw SQL as in the query builder', async () => {
    const [row] = await queryRows<{ fen: unknown; n: unknown }>(ctx, sql`select 3000000000::bigint as fen, count(*) as n from region`);
    expect(row!.fen).toBe(3_000_000_000);
    expect(typeof row!.n).toBe('number');
  });

  it('refuses a BIGINT beyond the safe integer range instead of rounding it', async () => {
    const error = await queryRows(ctx, sql`select 9007199254740993::bigint as x`).then(
      () => null,
      (e: Error) => e,
    );
    expect(error).not.toBeNull();
    expect(String((error as Error & { cause?: unknown }).cause ?? error)).toMatch(/safe integer/);
  });
});
