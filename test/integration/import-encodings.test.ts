import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, loginAs, type TestContext } from '../helpers/app.js';
import { communityCodes, makeHouseholds, openCampaign, registerHouseholds } from '../helpers/factories-needs.js';
import { encodeGbk } from '../helpers/gbk.js';

process.env.NEEDS_SUBMIT_RATE_LIMIT = '10000';

/** CSV imports read what Excel on Chinese Windows saves (GBK), detected, with the encoding reported (issue 18). */
let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestApp();
}, 240_000);
afterAll(async () => ctx?.close());

describe('needs paper-form import in GBK', () => {
  it('reads a GBK CSV sent as bytes, reports gb18030, and replays a retry of the same file', async () => {
    const code = (await communityCodes(ctx)).slice(-1)[0]!;
    const staff = await loginAs(ctx.app, `community-${code}`);
    const households = makeHouseholds(4, 'G');
    await registerHouseholds(staff, code, households);
    const campaignId = (await openCampaign(staff, ctx.app, code, { allowChanges: true })).id;
    const csv = [
      '户号,渠道,选择,意见',
      `${households[0]!.householdNo},问卷,为老服务、E6,`,
      `${households[1]!.householdNo},一户一票,E1,多组织邻里活动`,
      `${households[2]!.householdNo},实地走访,,楼道照明`,
    ].join('\r\n');
    const body = { format: 'csv', content: encodeGbk(csv).toString('base64'), contentEncoding: 'base64', requestId: 'gbk-paper-1' };
    const res = await staff.post(`/api/needs/campaigns/${campaignId}/opinions/import`, body);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ encoding: 'gb18030', rows: 3, created: 3 });
    const opinions = (await staff.get(`/api/needs/campaigns/${campaignId}/opinions`)).json().items as { freeText: string | null }[];
    expect(opinions.map((o) => o.freeText)).toEqual(expect.arrayContaining(['多组织邻里活动', '楼道照明']));
    // The idempotency key hashes the content: the same file again is the first answer, nothing twice.
    const retry = await staff.post(`/api/needs/campaigns/${campaignId}/opinions/import`, body);
    expect(retry.json()).toEqual(res.json());
    expect((await staff.get(`/api/needs/campaigns/${campaignId}`)).json().campaign.coverage.reached).toBe(3);
    // A UTF-8 file with a BOM is detected too (the campaign allows changed answers: they replace).
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(csv.replace(/楼道照明/, '楼道照明（更新）'), 'utf8')]);
    const utf8 = await staff.post(`/api/needs/campaigns/${campaignId}/opinions/import`, {
      format: 'csv',
      content: bom.toString('base64'),
      contentEncoding: 'base64',
    });
    expect(utf8.statusCode, utf8.body).toBe(200);
    expect(utf8.json()).toMatchObject({ encoding: 'utf-8-bom', rows: 3, replaced: 3 });
    const after = (await staff.get(`/api/needs/campaigns/${campaignId}/opinions`)).json().items as { freeText: string | null }[];
    expect(after.map((o) => o.freeText)).toContain('楼道照明（更新）');
  });
});
