import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from '../helpers/app.js';

process.env.NEEDS_SUBMIT_RATE_LIMIT = '3';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestApp();
});
afterAll(async () => ctx?.close());

describe('public submissions are rate-limited', () => {
  it('answers 429 past the limit per client', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await ctx.app.inject({
        method: 'POST',
        url: '/api/public/needs/campaigns/999999/submissions',
        payload: { householdNo: 'X', headName: '张三', phoneLast4: '1234', choices: ['E1'] },
      });
      statuses.push(res.statusCode);
    }
    expect(statuses).toEqual([404, 404, 404, 429, 429]);
    const other = await ctx.app.inject({
      method: 'POST',
      url: '/api/public/needs/campaigns/999999/submissions',
      remoteAddress: '10.0.0.9',
      payload: { householdNo: 'X', headName: '张三', phoneLast4: '1234', choices: ['E1'] },
    });
    expect(other.statusCode).toBe(404);
  });
});
