import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, loginAs, type TestContext } from '../helpers/app.js';
import { communityCodes, makeHouseholds, openCampaign, registerHouseholds, type Client } from '../helpers/factories-needs.js';

let ctx: TestContext;
let staff: Client;
let campaignId: number;
const households = makeHouseholds(12, 'S9');

beforeAll(async () => {
  ctx = await createTestApp();
  // A community without demo households, so the list holds only this file's opinions.
  const code = (await communityCodes(ctx)).slice(-1)[0]!;
  staff = await loginAs(ctx.app, `community-${code}`);
  await registerHouseholds(staff, code, households);
  campaignId = (await openCampaign(staff, ctx.app, code)).id;
  for (const h of households) {
    const res = await staff.post(`/api/needs/campaigns/${campaignId}/opinions`, {
      householdNo: h.householdNo,
      channel: 'field_visit',
      choices: ['E1'],
    });
    expect(res.statusCode, res.body).toBe(200);
  }
});
afterAll(async () => ctx?.close());

const list = async (query: string) => {
  const res = await staff.get(`/api/needs/campaigns/${campaignId}/opinions?${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { total: number; items: { householdNo: string }[] };
};

describe('opinion list searched by 户号', () => {
  it('without a search lists every opinion', async () => {
    expect((await list('limit=50')).total).toBe(12);
  });

  it('returns only the households whose number contains the search, with the filtered total for paging', async () => {
    const r = await list(`householdNo=${encodeURIComponent('S9-01')}&limit=1`);
    expect(r.total).toBe(3); // S9-010, S9-011, S9-012
    expect(r.items).toHaveLength(1);
    const all = await list(`householdNo=${encodeURIComponent('S9-01')}&limit=50`);
    expect(all.items.map((o) => o.householdNo).sort()).toEqual(['S9-010', 'S9-011', 'S9-012']);
    const one = await list(`householdNo=${encodeURIComponent('S9-007')}`);
    expect(one.items.map((o) => o.householdNo)).toEqual(['S9-007']);
  });

  it('takes LIKE wildcards literally and ignores surrounding spaces', async () => {
    expect((await list(`householdNo=${encodeURIComponent('%')}`)).total).toBe(0);
    expect((await list(`householdNo=${encodeURIComponent('S9_00')}`)).total).toBe(0);
    expect((await list(`householdNo=${encodeURIComponent(' S9-003 ')}`)).items.map((o) => o.householdNo)).toEqual(['S9-003']);
  });

  it('refuses an over-long search with 400', async () => {
    const res = await staff.get(`/api/needs/campaigns/${campaignId}/opinions?householdNo=${'1'.repeat(41)}`);
    expect(res.statusCode).toBe(400);
  });
});
