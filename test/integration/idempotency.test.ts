import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestApp, loginAs, queryRows, setTestNow, setToday, type TestContext } from '../helpers/app.js';
import { freeCommunityCodes } from '../helpers/factories-decisions.js';
import { makeHouseholds, openCampaign, registerHouseholds, type Client } from '../helpers/factories-needs.js';
import { filedPlan, registerProvider, type FiledPlan } from '../helpers/factories-procurement.js';

process.env.NEEDS_SUBMIT_RATE_LIMIT = '10000';

/**
 * Retries return the first answer (ADR 0010): a request repeated with the same `requestId` and
 * the same body answers the first result (same status, same id) and writes nothing more; the
 * same key with a different body answers 409 IDEMPOTENCY_KEY_REUSED naming the field requestId.
 */
const FOUR = '210105001001';
const DISTRICT = FOUR.slice(0, 6);

let ctx: TestContext;
let plan: FiledPlan;
let provider: { id: number };
let district: Client;
let roundId: number;

const count = async (query: ReturnType<typeof sql>) => (await queryRows<{ n: number }>(ctx, query))[0]!.n;
const expectReused = (res: {
  statusCode: number;
  body: string;
  json(): { code: string; field?: string; message: string; messageEn: string };
}) => {
  expect(res.statusCode, res.body).toBe(409);
  const body = res.json();
  expect(body).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', field: 'requestId' });
  expect(body.message).toContain('requestId');
  expect(body.messageEn).toContain('requestId');
};

beforeAll(async () => {
  ctx = await createTestApp();
  plan = await filedPlan(ctx, FOUR, 4);
  // The provider registers on 20 October; the evaluation round opens and its fees are paid on
  // 27 November; procurements happen on 20 October (below); the rest on the tests' usual date.
  setToday(ctx.app, '2026-10-20');
  ({ provider } = await registerProvider(ctx, { name: '幂等测试社工服务中心', stem: '52210105MJ0000099', username: 'idem-provider' }));
  setToday(ctx.app, '2026-11-27');
  district = await loginAs(ctx.app, `district-${DISTRICT}`);
  const round = await district.post('/api/evaluation-rounds', { fundYear: 2026, kind: 'midterm', districtCode: DISTRICT });
  expect(round.statusCode, round.body).toBe(201);
  roundId = round.json().id;
}, 300_000);
afterAll(async () => ctx?.close());

describe('evaluation fees [N 3.12]', () => {
  const body = { amountFen: 120_000, paidOn: '2026-11-20', note: '中期评估费', requestId: 'fee-retry-0001' };

  it('a retry with the same requestId answers the first fee (it used to answer 500)', async () => {
    const first = await district.post(`/api/evaluation-rounds/${roundId}/fees`, body);
    expect(first.statusCode, first.body).toBe(201);
    const again = await district.post(`/api/evaluation-rounds/${roundId}/fees`, body);
    expect(again.statusCode, again.body).toBe(201);
    expect(again.json()).toEqual(first.json());
    expect(await count(sql`select count(*)::int as n from evaluation_fee where transfer_id = ${first.json().transferId}`)).toBe(1);
    expect(await count(sql`select count(*)::int as n from ledger_transfer where id = ${first.json().transferId}`)).toBe(1);
  });

  it('the same requestId with a different body is refused', async () => {
    expectReused(await district.post(`/api/evaluation-rounds/${roundId}/fees`, { ...body, amountFen: 130_000 }));
    expect(await count(sql`select count(*)::int as n from evaluation_fee where round_id = ${roundId}`)).toBe(1);
  });
});

describe('procurements and contracts [N 3.1.3]', () => {
  let procurementBody: Record<string, unknown>;
  let procurementId: number;
  beforeAll(() => setToday(ctx.app, '2026-10-20'));

  it('concurrent procurements with one requestId record one procurement and all answer it', async () => {
    procurementBody = {
      fundYear: 2026,
      purchaserCode: FOUR,
      method: 'competitive_consultation',
      projectIds: [plan.projects[0]!.id],
      candidates: [{ providerId: provider.id, name: '候选机构', quoteFen: 100 }],
      selectedProviderId: provider.id,
      selectionReason: '综合评分第一',
      decidedOn: '2026-10-20',
      requestId: 'proc-retry-0001',
    };
    const answers = await Promise.all(Array.from({ length: 8 }, () => plan.staff.post('/api/procurements', procurementBody)));
    expect(answers.map((r) => r.statusCode)).toEqual(Array(8).fill(201));
    expect(new Set(answers.map((r) => r.json().id)).size).toBe(1);
    procurementId = answers[0]!.json().id;
    expect(
      await count(sql`select count(*)::int as n from procurement where project_ids @> ${JSON.stringify([plan.projects[0]!.id])}::jsonb`),
    ).toBe(1);
    expectReused(await plan.staff.post('/api/procurements', { ...procurementBody, selectionReason: '报价最低' }));
  });

  it("a contract retried with its requestId answers the first contract; without the key a second is the rule's 409", async () => {
    const amount = Math.min(plan.projects[0]!.budgetFen, 300_000);
    const body = {
      procurementId,
      communityCode: FOUR,
      title: '幂等合同',
      amountFen: amount,
      startsOn: '2026-10-20',
      endsOn: '2026-12-31',
      deliverables: ['服务台账'],
      instalments: [{ condition: 'on_signing', amountFen: amount }],
      requestId: 'contract-retry-01',
    };
    const first = await plan.staff.post('/api/contracts', body);
    expect(first.statusCode, first.body).toBe(201);
    const again = await plan.staff.post('/api/contracts', body);
    expect(again.statusCode, again.body).toBe(201);
    expect(again.json().id).toBe(first.json().id);
    expect(again.json()).toEqual(first.json());
    expectReused(await plan.staff.post('/api/contracts', { ...body, title: '另一份合同' }));
    const { requestId: _key, ...unkeyed } = body;
    const twin = await plan.staff.post('/api/contracts', unkeyed);
    expect(twin.statusCode, twin.body).toBe(409);
    expect(twin.json()).toMatchObject({ code: 'PROJECT_ALREADY_CONTRACTED', clause: '[N 4.1]' });
    expect(await count(sql`select count(*)::int as n from contract where procurement_id = ${procurementId}`)).toBe(1);

    // Payment requests: the retry answers the first request; another key meets the rule.
    const signed = await plan.staff.post(`/api/contracts/${first.json().id}/sign`, { signedOn: '2026-10-20' });
    expect(signed.statusCode, signed.body).toBe(200);
    const instalment = signed.json().instalments[0].id as number;
    const providerClient = await loginAs(ctx.app, 'idem-provider');
    const request = await providerClient.post(`/api/instalments/${instalment}/requests`, { note: '首期', requestId: 'pay-retry-0001' });
    expect(request.statusCode, request.body).toBe(201);
    const retried = await providerClient.post(`/api/instalments/${instalment}/requests`, { note: '首期', requestId: 'pay-retry-0001' });
    expect(retried.statusCode, retried.body).toBe(201);
    expect(retried.json()).toEqual(request.json());
    expectReused(await providerClient.post(`/api/instalments/${instalment}/requests`, { note: '改了备注', requestId: 'pay-retry-0001' }));
    const other = await providerClient.post(`/api/instalments/${instalment}/requests`, { note: '首期', requestId: 'pay-retry-0002' });
    expect(other.statusCode, other.body).toBe(409);
    expect(other.json()).toMatchObject({ code: 'REQUEST_EXISTS', clause: '[N 3.3]' });
    expect(await count(sql`select count(*)::int as n from payment_request where instalment_id = ${instalment}`)).toBe(1);
  });
});

describe('opinion imports [N 3.1.1(1)]', () => {
  beforeAll(() => setTestNow(ctx.app));
  it('a retried import answers the first summary and counts no household twice; another file under the key is refused', async () => {
    const code = (await freeCommunityCodes(ctx)).find((c) => c !== FOUR)!;
    const staff = await loginAs(ctx.app, `community-${code}`);
    const households = makeHouseholds(4, `ID${code.slice(6, 9)}`);
    await registerHouseholds(staff, code, households);
    const campaign = await openCampaign(staff, ctx.app, code);
    const csv = (rows: typeof households) => `户号,渠道,选择,意见\r\n${rows.map((h) => `${h.householdNo},一户一票,E5,`).join('\r\n')}\r\n`;
    const url = `/api/needs/campaigns/${campaign.id}/opinions/import`;
    const first = await staff.post(url, { format: 'csv', content: csv(households.slice(0, 2)), requestId: 'import-retry-01' });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ rows: 2, created: 2 });
    const again = await staff.post(url, { format: 'csv', content: csv(households.slice(0, 2)), requestId: 'import-retry-01' });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toEqual(first.json());
    expectReused(await staff.post(url, { format: 'csv', content: csv(households.slice(2, 4)), requestId: 'import-retry-01' }));
    expect(await count(sql`select count(*)::int as n from needs_opinion where campaign_id = ${campaign.id}`)).toBe(2);
    // Without a key, the same file again meets the rule: a household counts once.
    const unkeyed = await staff.post(url, { format: 'csv', content: csv(households.slice(0, 2)) });
    expect(unkeyed.statusCode, unkeyed.body).toBe(400);
    expect(unkeyed.json().code).toBe('IMPORT_INVALID');
  });
});

describe('supervision [N 4.3] and model cases [N 4.4]', () => {
  let city: Client;
  let spotCheckId: number;
  beforeAll(async () => {
    city = await loginAs(ctx.app, 'city');
  });

  it('a spot check draw retried with its requestId answers the first draw; another body under the key is refused', async () => {
    const body = {
      fundYear: 2026,
      title: '幂等抽查',
      unit: 'project',
      seed: 'idem-seed-1',
      sharePercent: 100,
      requestId: 'spot-retry-0001',
    };
    const first = await city.post('/api/spot-checks', body);
    expect(first.statusCode, first.body).toBe(201);
    spotCheckId = first.json().id;
    const again = await city.post('/api/spot-checks', body);
    expect(again.statusCode, again.body).toBe(201);
    expect(again.json()).toEqual(first.json());
    expectReused(await city.post('/api/spot-checks', { ...body, seed: 'idem-seed-2' }));
    expect(await count(sql`select count(*)::int as n from spot_check where title = '幂等抽查'`)).toBe(1);
  });

  it('a finding retried with its requestId is recorded once; another body under the key is refused', async () => {
    const body = {
      communityCode: FOUR,
      planProjectId: plan.projects[0]!.id,
      description: '幂等问题',
      demand: '补充公示',
      workdays: 10,
      requestId: 'finding-retry-01',
    };
    const first = await city.post(`/api/spot-checks/${spotCheckId}/findings`, body);
    expect(first.statusCode, first.body).toBe(201);
    const again = await city.post(`/api/spot-checks/${spotCheckId}/findings`, body);
    expect(again.statusCode, again.body).toBe(201);
    expect(again.json()).toEqual(first.json());
    expectReused(await city.post(`/api/spot-checks/${spotCheckId}/findings`, { ...body, workdays: 5 }));
    expect(await count(sql`select count(*)::int as n from supervision_finding where spot_check_id = ${spotCheckId}`)).toBe(1);
  });

  it('a street visit retried with its requestId records one visit and its findings once', async () => {
    const body = {
      communityCode: FOUR,
      visitedOn: '2026-11-26',
      aspects: ['procedure'],
      summary: '幂等督导',
      findings: [{ description: '记录不全', demand: '补齐', workdays: 5 }],
      requestId: 'visit-retry-0001',
    };
    const first = await plan.street.post('/api/street-visits', body);
    expect(first.statusCode, first.body).toBe(201);
    const again = await plan.street.post('/api/street-visits', body);
    expect(again.statusCode, again.body).toBe(201);
    expect(again.json()).toEqual(first.json());
    expectReused(await plan.street.post('/api/street-visits', { ...body, summary: '另一次督导' }));
    expect(await count(sql`select count(*)::int as n from street_visit where summary = '幂等督导'`)).toBe(1);
    expect(await count(sql`select count(*)::int as n from supervision_finding where visit_id = ${first.json().id}`)).toBe(1);
  });

  it('a model case retried with its requestId is written once; another body under the key is refused', async () => {
    const body = { planProjectId: plan.projects[0]!.id, title: '幂等案例', body: '做法与成效', requestId: 'case-retry-0001' };
    const first = await district.post('/api/model-cases', body);
    expect(first.statusCode, first.body).toBe(201);
    const again = await district.post('/api/model-cases', body);
    expect(again.statusCode, again.body).toBe(201);
    expect(again.json()).toEqual(first.json());
    expectReused(await district.post('/api/model-cases', { ...body, title: '另一案例' }));
    expect(await count(sql`select count(*)::int as n from model_case where title = '幂等案例'`)).toBe(1);
  });
});
