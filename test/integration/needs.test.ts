import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestApp, loginAs, queryRows, type TestContext } from '../helpers/app.js';
import {
  communityCodes,
  identityOf,
  makeHouseholds,
  openCampaign,
  registerHouseholds,
  setResidentHouseholds,
  streetOf,
  submitOnline,
  type Client,
  type TestHousehold,
} from '../helpers/factories-needs.js';

process.env.NEEDS_SUBMIT_RATE_LIMIT = '10000';

let ctx: TestContext;
let codes: string[];
beforeAll(async () => {
  ctx = await createTestApp();
  // Communities without demo households, so counts here are only this file's.
  codes = (await communityCodes(ctx)).slice(-6);
});
afterAll(async () => ctx?.close());

async function community(index: number, households = 12) {
  const code = codes[index]!;
  const staff = await loginAs(ctx.app, `community-${code}`);
  const list = makeHouseholds(households, `C${index}`);
  await registerHouseholds(staff, code, list);
  return { code, staff, households: list };
}

const getCampaign = async (staff: Client, id: number) => (await staff.get(`/api/needs/campaigns/${id}`)).json().campaign;

describe('needs collection: one household counts once', () => {
  let code: string;
  let staff: Client;
  let households: TestHousehold[];
  let campaignId: number;

  beforeAll(async () => {
    ({ code, staff, households } = await community(0));
    campaignId = (await openCampaign(staff, ctx.app, code)).id;
  });

  it('shows the public page without personal data, and the coverage meter rises with an online answer', async () => {
    const page = await ctx.app.inject({ method: 'GET', url: `/api/public/needs/campaigns/${campaignId}` });
    expect(page.statusCode).toBe(200);
    const body = page.json();
    expect(body.acceptingOnline).toBe(true);
    expect(body.questionnaire.items.map((i: { code: string; name: string }) => i.name)).toEqual([
      '社区共治',
      '社会关爱',
      '为老服务',
      '儿童服务',
    ]);
    expect(JSON.stringify(body)).not.toContain(households[0]!.headName);

    const before = (await getCampaign(staff, campaignId)).coverage;
    expect(before.reached).toBe(0);
    const res = await submitOnline(ctx.app, campaignId, {
      ...identityOf(households[0]!),
      choices: ['E5', 'E6'],
      freeText: '希望增加老年食堂',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ householdNo: households[0]!.householdNo, replaced: false, revision: 1 });
    const after = await getCampaign(staff, campaignId);
    expect(after.coverage.reached).toBe(1);
    expect(after.coverage.residentHouseholds).toBe(before.residentHouseholds);
    expect(after.byChannel).toEqual([{ channel: 'online_vote', label: '网络投票', households: 1 }]);
    expect(after.tally.map((t: { code: string }) => t.code).sort()).toEqual(['E5', 'E6']);
  });

  it('refuses the same household on paper after answering online, with a clear 409, counting it once', async () => {
    const res = await staff.post(`/api/needs/campaigns/${campaignId}/opinions`, {
      householdNo: households[0]!.householdNo,
      channel: 'questionnaire',
      choices: ['E1'],
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('ALREADY_SUBMITTED');
    expect(res.json().message).toContain('网络投票');
    expect(res.json().message).toContain('每户只计一次');
    expect(res.json().clause).toBe('[N 3.1.1(1)]');
    expect((await getCampaign(staff, campaignId)).coverage.reached).toBe(1);
  });

  it('refuses the same household online after a paper form', async () => {
    const paper = await staff.post(`/api/needs/campaigns/${campaignId}/opinions`, {
      householdNo: households[1]!.householdNo,
      channel: 'courtyard_meeting',
      choices: ['E1', 'E3'],
    });
    expect(paper.statusCode, paper.body).toBe(200);
    const online = await submitOnline(ctx.app, campaignId, { ...identityOf(households[1]!), choices: ['E5'] });
    expect(online.statusCode).toBe(409);
    expect(online.json().message).toContain('院落会议');
    const opinions = (await staff.get(`/api/needs/campaigns/${campaignId}/opinions`)).json();
    expect(opinions.total).toBe(2);
    const paperRow = opinions.items.find((o: { householdNo: string }) => o.householdNo === households[1]!.householdNo);
    expect(paperRow).toMatchObject({
      channel: 'courtyard_meeting',
      choices: ['E1', 'E3'],
      enteredBy: 'staff',
      headName: households[1]!.headName,
    });
  });

  it('does not identify a household with a wrong name or phone, nor one of another community', async () => {
    const wrongName = await submitOnline(ctx.app, campaignId, { ...identityOf(households[2]!), headName: '某某某', choices: ['E5'] });
    expect(wrongName.statusCode).toBe(422);
    expect(wrongName.json().code).toBe('HOUSEHOLD_NOT_IDENTIFIED');
    const wrongPhone = await submitOnline(ctx.app, campaignId, { ...identityOf(households[2]!), phoneLast4: '0000', choices: ['E5'] });
    expect(wrongPhone.statusCode).toBe(422);

    // A household registered in another community, with its real details.
    const { code: otherCode, households: otherHouseholds, staff: otherStaff } = await community(1, 3);
    const foreign = await submitOnline(ctx.app, campaignId, { ...identityOf(otherHouseholds[0]!), choices: ['E5'] });
    expect(foreign.statusCode).toBe(422);
    expect(foreign.json().code).toBe('HOUSEHOLD_NOT_IDENTIFIED');
    const foreignPaper = await staff.post(`/api/needs/campaigns/${campaignId}/opinions`, {
      householdNo: otherHouseholds[0]!.householdNo,
      channel: 'questionnaire',
      choices: ['E1'],
    });
    expect(foreignPaper.statusCode).toBe(422);
    expect(foreignPaper.json().code).toBe('HOUSEHOLD_NOT_REGISTERED');
    // Another community's staff cannot see or write this campaign at all.
    expect((await otherStaff.get(`/api/needs/campaigns/${campaignId}`)).statusCode).toBe(404);
    expect(
      (
        await otherStaff.post(`/api/needs/campaigns/${campaignId}/opinions`, {
          householdNo: households[3]!.householdNo,
          channel: 'questionnaire',
          choices: ['E1'],
        })
      ).statusCode,
    ).toBe(404);
    expect(otherCode).not.toBe(code);
    expect((await getCampaign(staff, campaignId)).coverage.reached).toBe(2);
  });

  it('counts exactly one of concurrent duplicate submissions of a household', async () => {
    const h = households[4]!;
    const results = await Promise.all([
      ...Array.from({ length: 5 }, () => submitOnline(ctx.app, campaignId, { ...identityOf(h), choices: ['E5'] })),
      staff.post(`/api/needs/campaigns/${campaignId}/opinions`, { householdNo: h.householdNo, channel: 'field_visit', choices: ['E3'] }),
      staff.post(`/api/needs/campaigns/${campaignId}/opinions`, { householdNo: h.householdNo, channel: 'household_vote', choices: ['E1'] }),
    ]);
    const statuses = results.map((r) => r.statusCode).sort();
    expect(statuses).toEqual([200, 409, 409, 409, 409, 409, 409]);
    const rows = await queryRows<{ n: number }>(
      ctx,
      sql`select count(*)::int as n from needs_opinion o join household h on h.id = o.household_id where o.campaign_id = ${campaignId} and h.household_no = ${h.householdNo}`,
    );
    expect(Number(rows[0]!.n)).toBe(1);
    expect((await getCampaign(staff, campaignId)).coverage.reached).toBe(3);
  });

  it('validates answers against the questionnaire', async () => {
    const notInQuestionnaire = await submitOnline(ctx.app, campaignId, { ...identityOf(households[5]!), choices: ['E2'] });
    expect(notInQuestionnaire.statusCode).toBe(400);
    expect(notInQuestionnaire.json().field).toBe('choices');
    const empty = await submitOnline(ctx.app, campaignId, { ...identityOf(households[5]!), choices: [] });
    expect(empty.statusCode).toBe(400);
    const unknownChannel = await staff.post(`/api/needs/campaigns/${campaignId}/opinions`, {
      householdNo: households[5]!.householdNo,
      channel: 'wechat',
      choices: ['E1'],
    });
    expect(unknownChannel.statusCode).toBe(400);
    expect(unknownChannel.json().field).toBe('channel');
  });

  it('imports paper forms all or nothing with a row-level report, never double-counting', async () => {
    const before = (await getCampaign(staff, campaignId)).coverage.reached;
    const bad = [
      '户号,渠道,选择,意见',
      `${households[6]!.householdNo},问卷,为老服务、E6,`,
      `${households[0]!.householdNo},问卷,E1,`, // answered online already
      `${households[7]!.householdNo},微信,E1,`, // unknown channel
      `${households[8]!.householdNo},院落会议,E2,`, // not in the questionnaire
      `${households[6]!.householdNo},一户一票,E1,`, // twice in the file
      `NOPE-1,问卷,E1,`, // not registered
      `${households[9]!.householdNo},实地走访,,`, // says nothing
    ].join('\n');
    const res = await staff.post(`/api/needs/campaigns/${campaignId}/opinions/import`, { format: 'csv', content: bad });
    expect(res.statusCode).toBe(400);
    expect(res.json().details.errors.map((e: { row: number }) => e.row)).toEqual([3, 4, 5, 6, 7, 8]);
    expect((await getCampaign(staff, campaignId)).coverage.reached).toBe(before);

    const good = [
      '户号,渠道,选择,意见',
      `${households[6]!.householdNo},问卷,为老服务、E6,`,
      `${households[7]!.householdNo},一户一票,E1,多组织邻里活动`,
      `${households[8]!.householdNo},实地走访,,楼道照明`,
    ].join('\n');
    const ok = await staff.post(`/api/needs/campaigns/${campaignId}/opinions/import`, { format: 'csv', content: good });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ rows: 3, created: 3, replaced: 0 });
    expect((await getCampaign(staff, campaignId)).coverage.reached).toBe(before + 3);
  });

  it("lets a household answer with a one-time code, once; only the code's hash is stored", async () => {
    const issued = await staff.post(`/api/needs/campaigns/${campaignId}/codes`, { householdNos: [households[10]!.householdNo] });
    expect(issued.statusCode).toBe(200);
    const { code } = issued.json().items[0];
    expect(code).toMatch(/^[A-Z2-9]{8}$/);
    const dump = JSON.stringify(await queryRows(ctx, sql`select * from needs_access_code`));
    expect(dump).not.toContain(code);
    const typed = `${code.slice(0, 4).toLowerCase()}-${code.slice(4)}`;
    const ok = await submitOnline(ctx.app, campaignId, { code: typed, choices: ['E3'] });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().householdNo).toBe(households[10]!.householdNo);
    const again = await submitOnline(ctx.app, campaignId, { code, choices: ['E5'] });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('CODE_USED');
    expect((await submitOnline(ctx.app, campaignId, { code: 'ZZZZ2222', choices: ['E5'] })).statusCode).toBe(422);
  });

  it('shows opinions masked to the street, which may read but not write', async () => {
    const street = await loginAs(ctx.app, streetOf(code));
    const list = (await street.get(`/api/needs/campaigns/${campaignId}/opinions`)).json();
    expect(list.masked).toBe(true);
    expect(list.items.every((o: { headName: string }) => o.headName.includes('*'))).toBe(true);
    expect((await street.post(`/api/needs/campaigns/${campaignId}/conclude`)).statusCode).toBe(403);
    const campaigns = (await street.get('/api/needs/campaigns')).json();
    expect(campaigns.items.map((c: { id: number }) => c.id)).toContain(campaignId);
    const listed = campaigns.items.find((c: { id: number }) => c.id === campaignId);
    expect(listed.coverage.reached).toBe((await getCampaign(staff, campaignId)).coverage.reached);
    expect(listed.coverage.reached).toBeGreaterThan(1);
    const otherStreet = await loginAs(ctx.app, 'street-210102001');
    if (streetOf(code) !== 'street-210102001')
      expect((await otherStreet.get('/api/needs/campaigns')).json().items.map((c: { id: number }) => c.id)).not.toContain(campaignId);
  });
});

describe('changes allowed: a second answer replaces the first', () => {
  it('replaces in place, never counting twice, also under concurrency', async () => {
    const { code, staff, households } = await community(2, 4);
    const campaign = await openCampaign(staff, ctx.app, code, { allowChanges: true });
    const first = await submitOnline(ctx.app, campaign.id, { ...identityOf(households[0]!), choices: ['E1'] });
    expect(first.json()).toMatchObject({ replaced: false, revision: 1 });
    const second = await staff.post(`/api/needs/campaigns/${campaign.id}/opinions`, {
      householdNo: households[0]!.householdNo,
      channel: 'questionnaire',
      choices: ['E3'],
    });
    expect(second.statusCode).toBe(200);
    expect(second.json()).toMatchObject({ replaced: true, revision: 2 });
    const results = await Promise.all(
      Array.from({ length: 4 }, () => submitOnline(ctx.app, campaign.id, { ...identityOf(households[1]!), choices: ['E5'] })),
    );
    expect(results.every((r) => r.statusCode === 200)).toBe(true);
    expect(results.map((r) => r.json().revision).sort()).toEqual([1, 2, 3, 4]);
    const c = await getCampaign(staff, campaign.id);
    expect(c.coverage.reached).toBe(2);
    const opinions = (await staff.get(`/api/needs/campaigns/${campaign.id}/opinions`)).json().items;
    expect(opinions.find((o: { householdNo: string }) => o.householdNo === households[0]!.householdNo)).toMatchObject({
      channel: 'questionnaire',
      choices: ['E3'],
      revision: 2,
    });
  });
});

describe('coverage threshold [N 3.1.1(1)]', () => {
  it('refuses to conclude just below the policy share and concludes exactly at it', async () => {
    const { code, staff, households } = await community(3, 4);
    const campaign = await openCampaign(staff, ctx.app, code);
    for (const h of households.slice(0, 3)) {
      expect(
        (
          await staff.post(`/api/needs/campaigns/${campaign.id}/opinions`, {
            householdNo: h.householdNo,
            channel: 'household_vote',
            choices: ['E1'],
          })
        ).statusCode,
      ).toBe(200);
    }
    await setResidentHouseholds(ctx.app, code, 11); // 3/11 = 27.27%
    const below = await staff.post(`/api/needs/campaigns/${campaign.id}/conclude`);
    expect(below.statusCode).toBe(422);
    expect(below.json()).toMatchObject({ code: 'COVERAGE_BELOW_THRESHOLD', clause: '[N 3.1.1(1)]' });
    expect(below.json().details).toMatchObject({ reached: 3, residentHouseholds: 11, required: 4, meets: false });
    expect((await getCampaign(staff, campaign.id)).status).toBe('open');

    await setResidentHouseholds(ctx.app, code, 10); // 3/10 = 30% exactly
    const meter = (await getCampaign(staff, campaign.id)).coverage;
    expect(meter).toMatchObject({ reached: 3, residentHouseholds: 10, basisPoints: 3000, required: 3, meets: true });
    const at = await staff.post(`/api/needs/campaigns/${campaign.id}/conclude`);
    expect(at.statusCode, at.body).toBe(200);
    expect(at.json().campaign.status).toBe('concluded');
    // Concluded: no more answers, on paper or online.
    expect(
      (
        await staff.post(`/api/needs/campaigns/${campaign.id}/opinions`, {
          householdNo: households[3]!.householdNo,
          channel: 'household_vote',
          choices: ['E1'],
        })
      ).statusCode,
    ).toBe(409);
    expect((await submitOnline(ctx.app, campaign.id, { ...identityOf(households[3]!), choices: ['E1'] })).statusCode).toBe(422);
  });

  it("reads the threshold from the fund year's policy, not a literal", async () => {
    const { code, staff, households } = await community(4, 2);
    const campaign = await openCampaign(staff, ctx.app, code);
    const year = (await getCampaign(staff, campaign.id)).fundYear;
    const city = await loginAs(ctx.app, 'city');
    const doc = (await city.get(`/api/policy/${year}`)).json().document;
    expect(
      (await city.put(`/api/policy/${year}`, { document: { ...doc, needsCoverage: { numerator: 1, denominator: 2 } } })).statusCode,
    ).toBe(200);
    try {
      await setResidentHouseholds(ctx.app, code, 3);
      await staff.post(`/api/needs/campaigns/${campaign.id}/opinions`, {
        householdNo: households[0]!.householdNo,
        channel: 'household_vote',
        choices: ['E1'],
      });
      const c = await getCampaign(staff, campaign.id);
      expect(c.coverage).toMatchObject({
        reached: 1,
        residentHouseholds: 3,
        threshold: { numerator: 1, denominator: 2 },
        required: 2,
        meets: false,
      });
      expect((await staff.post(`/api/needs/campaigns/${campaign.id}/conclude`)).statusCode).toBe(422);
    } finally {
      await city.put(`/api/policy/${year}`, { document: doc });
    }
  });
});

describe('campaign set-up', () => {
  it('refuses unknown catalogue items, reversed dates and a second campaign for the same year', async () => {
    const code = codes[5]!;
    const staff = await loginAs(ctx.app, `community-${code}`);
    const bad = await staff.post('/api/needs/campaigns', {
      communityCode: code,
      fundYear: 2026,
      title: 't',
      opensOn: '2026-03-01',
      closesOn: '2026-02-01',
      channels: ['questionnaire'],
      questionnaire: { itemCodes: ['E1'], freeText: false },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().field).toBe('closesOn');
    const basic = await staff.post('/api/needs/campaigns', {
      communityCode: code,
      fundYear: 2026,
      title: 't',
      opensOn: '2026-01-01',
      closesOn: '2026-02-01',
      channels: ['questionnaire'],
      questionnaire: { itemCodes: ['B1'], freeText: false },
    });
    expect(basic.statusCode).toBe(400);
    expect(basic.json().message).toContain('B1');
    const ok = await staff.post('/api/needs/campaigns', {
      communityCode: code,
      fundYear: 2026,
      title: 't',
      opensOn: '2026-01-01',
      closesOn: '2026-02-01',
      channels: ['questionnaire'],
      questionnaire: { itemCodes: ['E1'], freeText: false },
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().campaign.acceptingOnline).toBe(false);
    const twice = await staff.post('/api/needs/campaigns', {
      communityCode: code,
      fundYear: 2026,
      title: 't2',
      opensOn: '2026-01-01',
      closesOn: '2026-02-01',
      channels: ['questionnaire'],
      questionnaire: { itemCodes: ['E1'], freeText: false },
    });
    expect(twice.statusCode).toBe(409);
    // Closed window and no online channel: the public page refuses.
    expect(
      (await submitOnline(ctx.app, ok.json().campaign.id, { householdNo: 'x', headName: '张三', phoneLast4: '1234', choices: ['E1'] }))
        .statusCode,
    ).toBe(422);
    const other = await staff.post('/api/needs/campaigns', {
      communityCode: codes[0]!,
      fundYear: 2025,
      title: 't',
      opensOn: '2025-01-01',
      closesOn: '2025-02-01',
      channels: ['questionnaire'],
      questionnaire: { itemCodes: ['E1'], freeText: false },
    });
    expect(other.statusCode).toBe(404);
  });
});
