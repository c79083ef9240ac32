import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, loginAs, type TestContext } from '../helpers/app.js';
import {
  communityCodes,
  makeHouseholds,
  openCampaign,
  registerHouseholds,
  setResidentHouseholds,
  streetOf,
  type Client,
} from '../helpers/factories-needs.js';

let ctx: TestContext;
let code: string;
let staff: Client;
let campaignId: number;
const households = makeHouseholds(10, 'P');
/** opinion id by household number */
const opinionOf = new Map<string, number>();

beforeAll(async () => {
  ctx = await createTestApp();
  code = (await communityCodes(ctx)).at(-3)!;
  staff = await loginAs(ctx.app, `community-${code}`);
  await registerHouseholds(staff, code, households);
  campaignId = (await openCampaign(staff, ctx.app, code)).id;
  const choices = [['E5'], ['E5', 'E6'], ['E5'], ['E6'], ['E1'], ['E3'], ['E3', 'E5']];
  for (const [i, c] of choices.entries()) {
    const res = await staff.post(`/api/needs/campaigns/${campaignId}/opinions`, {
      householdNo: households[i]!.householdNo,
      channel: 'household_vote',
      choices: c,
    });
    expect(res.statusCode).toBe(200);
    opinionOf.set(households[i]!.householdNo, res.json().opinionId);
  }
});
afterAll(async () => ctx?.close());

const ids = (...idx: number[]) => idx.map((i) => opinionOf.get(households[i]!.householdNo)!);
const proposals = async () =>
  (await staff.get(`/api/needs/campaigns/${campaignId}/proposals`)).json().items as {
    id: number;
    status: string;
    householdCount: number;
    opinionIds: number[];
    rank: number | null;
  }[];

describe('proposals [N 3.1.1(2)] and the draft list [N 3.1.1(3)]', () => {
  let elderly: number;
  let meals: number;
  let children: number;
  let committee: number;
  let rejected: number;

  it('turns opinions into proposals, keeping the link and the households behind each', async () => {
    const a = await staff.post(`/api/needs/campaigns/${campaignId}/proposals`, {
      title: '老年助餐',
      catalogueCode: 'E5',
      opinionIds: ids(0, 1, 2),
    });
    expect(a.statusCode, a.body).toBe(200);
    expect(a.json().proposal).toMatchObject({ source: 'opinions', householdCount: 3, status: 'candidate', catalogueName: '为老服务' });
    elderly = a.json().proposal.id;
    const b = await staff.post(`/api/needs/campaigns/${campaignId}/proposals`, {
      title: '上门探访',
      catalogueCode: 'E3',
      opinionIds: ids(5, 6, 2),
    });
    meals = b.json().proposal.id;
    expect(b.json().proposal.householdCount).toBe(3);
    const c = await staff.post(`/api/needs/campaigns/${campaignId}/proposals`, { title: '四点半课堂', opinionIds: ids(1, 3) });
    children = c.json().proposal.id;
    const d = await staff.post(`/api/needs/campaigns/${campaignId}/proposals`, {
      title: '社区社工室建设',
      catalogueCode: 'B1',
      estimatedBudgetFen: 3_000_000,
    });
    expect(d.json().proposal).toMatchObject({ source: 'committee', householdCount: 0, opinionIds: [] });
    committee = d.json().proposal.id;
    const e = await staff.post(`/api/needs/campaigns/${campaignId}/proposals`, { title: '社区办公室装修', catalogueCode: 'E1' });
    rejected = e.json().proposal.id;
  });

  it('refuses opinions of another campaign and unknown catalogue items', async () => {
    const bad = await staff.post(`/api/needs/campaigns/${campaignId}/proposals`, { title: 'x', opinionIds: [999_999] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().field).toBe('opinionIds');
    const unknown = await staff.post(`/api/needs/campaigns/${campaignId}/proposals`, { title: 'x', catalogueCode: 'Z9' });
    expect(unknown.statusCode).toBe(400);
  });

  it('merges proposals, counting each household once', async () => {
    const res = await staff.post(`/api/needs/campaigns/${campaignId}/proposals/merge`, { targetId: elderly, sourceIds: [meals] });
    expect(res.statusCode, res.body).toBe(200);
    // households 0,1,2 ∪ 5,6,2 = 5 distinct
    expect(res.json().proposal.householdCount).toBe(5);
    expect(res.json().proposal.opinionIds).toEqual(ids(0, 1, 2, 5, 6).sort((a, b) => a - b));
    const all = await proposals();
    expect(all.find((p) => p.id === meals)).toMatchObject({ status: 'merged' });
    const again = await staff.post(`/api/needs/campaigns/${campaignId}/proposals/merge`, { targetId: elderly, sourceIds: [meals] });
    expect(again.statusCode).toBe(409);
  });

  it('screens a proposal out with a reason, and requires one', async () => {
    expect((await staff.post(`/api/needs/proposals/${rejected}/screen`, { decision: 'reject' })).statusCode).toBe(400);
    const res = await staff.post(`/api/needs/proposals/${rejected}/screen`, { decision: 'reject', reason: '办公用房改善属负面清单' });
    expect(res.json().proposal).toMatchObject({ status: 'rejected', screenReason: '办公用房改善属负面清单' });
  });

  it('ranks a draft list that needs a catalogue item and a budget for every project', async () => {
    const noBudget = await staff.put(`/api/needs/campaigns/${campaignId}/draft-list`, { items: [{ proposalId: elderly }] });
    expect(noBudget.statusCode).toBe(422);
    expect(noBudget.json()).toMatchObject({ code: 'DRAFT_LIST_INVALID', clause: '[N 3.1.1(3)]' });
    const noItem = await staff.put(`/api/needs/campaigns/${campaignId}/draft-list`, {
      items: [{ proposalId: children, estimatedBudgetFen: 100 }],
    });
    expect(noItem.statusCode).toBe(422);
    const withRejected = await staff.put(`/api/needs/campaigns/${campaignId}/draft-list`, {
      items: [{ proposalId: rejected, estimatedBudgetFen: 100 }],
    });
    expect(withRejected.statusCode).toBe(409);
    const res = await staff.put(`/api/needs/campaigns/${campaignId}/draft-list`, {
      items: [
        { proposalId: elderly, estimatedBudgetFen: 5_000_000 },
        { proposalId: children, catalogueCode: 'E6', estimatedBudgetFen: 2_500_050 },
        { proposalId: committee },
      ],
    });
    expect(res.statusCode, res.body).toBe(200);
    const list = res.json();
    expect(list.items.map((i: { id: number; rank: number }) => [i.id, i.rank])).toEqual([
      [elderly, 1],
      [children, 2],
      [committee, 3],
    ]);
    expect(list.totalBudgetFen).toBe(10_500_050);
    expect(list.ready).toBe(false);
    // Re-ranking drops what is left out back to candidates.
    await staff.put(`/api/needs/campaigns/${campaignId}/draft-list`, { items: [{ proposalId: children }, { proposalId: elderly }] });
    const all = await proposals();
    expect(all.find((p) => p.id === committee)).toMatchObject({ status: 'candidate', rank: null });
    expect(all.find((p) => p.id === children)).toMatchObject({ status: 'listed', rank: 1 });
  });

  it('hands the list to the council only after needs collection concluded at the coverage share, then freezes it', async () => {
    const early = await staff.post(`/api/needs/campaigns/${campaignId}/ready`);
    expect(early.statusCode).toBe(422);
    expect(early.json()).toMatchObject({ code: 'NEEDS_NOT_CONCLUDED', clause: '[N 3.1.1(1)]' });
    await setResidentHouseholds(ctx.app, code, 20); // 7/20 = 35%
    expect((await staff.post(`/api/needs/campaigns/${campaignId}/conclude`)).statusCode).toBe(200);
    // Sorting may go on after collection ends.
    expect(
      (
        await staff.put(`/api/needs/campaigns/${campaignId}/draft-list`, {
          items: [{ proposalId: elderly }, { proposalId: children }, { proposalId: committee }],
        })
      ).statusCode,
    ).toBe(200);
    const ready = await staff.post(`/api/needs/campaigns/${campaignId}/ready`);
    expect(ready.statusCode, ready.body).toBe(200);
    expect(ready.json()).toMatchObject({ ready: true, status: 'ready' });
    expect((await staff.post(`/api/needs/campaigns/${campaignId}/proposals`, { title: 'late' })).statusCode).toBe(409);
    expect((await staff.put(`/api/needs/campaigns/${campaignId}/draft-list`, { items: [{ proposalId: elderly }] })).statusCode).toBe(409);

    // What the decisions module reads, through the service.
    const list = await ctx.app.services.needs.draftList(campaignId);
    expect(list!.ready).toBe(true);
    expect(list!.items.map((i) => [i.title, i.catalogueCode, i.estimatedBudgetFen, i.householdCount])).toEqual([
      ['老年助餐', 'E5', 5_000_000, 5],
      ['四点半课堂', 'E6', 2_500_050, 2],
      ['社区社工室建设', 'B1', 3_000_000, 0],
    ]);
    const byCommunity = await ctx.app.services.needs.draftListOf(code, list!.fundYear);
    expect(byCommunity!.campaignId).toBe(campaignId);

    // The street sees the list; every step is in the audit log.
    const street = await loginAs(ctx.app, streetOf(code));
    expect((await street.get(`/api/needs/campaigns/${campaignId}/draft-list`)).json().items).toHaveLength(3);
    const city = await loginAs(ctx.app, 'city');
    const events = (await city.get(`/api/audit/events?entityType=needs_campaign&entityId=${campaignId}`))
      .json()
      .items.map((e: { action: string }) => e.action);
    expect(events).toEqual(
      expect.arrayContaining(['needs.campaign.create', 'needs.campaign.conclude', 'needs.draft_list.set', 'needs.draft_list.ready']),
    );
  });
});

describe('demo seed', () => {
  it('has an open campaign near 20% and a concluded one above 30% with a ranked draft list and consistent rosters', async () => {
    const city = await loginAs(ctx.app, 'city');
    const campaigns = (await city.get('/api/needs/campaigns')).json().items as {
      id: number;
      communityCode: string;
      status: string;
      coverage: { basisPoints: number; meets: boolean };
    }[];
    const open = campaigns.find((c) => c.status === 'open' && c.coverage.basisPoints > 1500)!;
    const done = campaigns.find((c) => c.status === 'concluded')!;
    expect(open.coverage.basisPoints).toBeGreaterThanOrEqual(1900);
    expect(open.coverage.basisPoints).toBeLessThan(2200);
    expect(open.coverage.meets).toBe(false);
    expect(done.coverage.meets).toBe(true);
    const page = (await ctx.app.inject({ method: 'GET', url: `/api/public/needs/campaigns/${open.id}` })).json();
    expect(page.acceptingOnline).toBe(true);

    const demoStaff = await loginAs(ctx.app, `community-${done.communityCode}`);
    const list = (await demoStaff.get(`/api/needs/campaigns/${done.id}/draft-list`)).json();
    expect(list.items.map((i: { rank: number }) => i.rank)).toEqual([1, 2, 3, 4]);
    expect(list.items[0].householdCount).toBeGreaterThan(100);
    const roster = (await demoStaff.get(`/api/regions/${done.communityCode}/roster`)).json();
    expect(roster.consistent).toBe(true);
    expect(roster.registeredHouseholds).toBe(roster.profile.residentHouseholds);
    const households = (await demoStaff.get(`/api/regions/${done.communityCode}/households?limit=5`)).json();
    expect(households.items[0].phone).toMatch(/^1\d{10}$/);
  });
});
