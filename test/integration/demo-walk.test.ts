import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestApp, loginAs, queryRows, type TestContext } from '../helpers/app.js';
import { seedDemoCity } from '../../server/src/seed/seed.js';
import { demoFundYear } from '../../server/src/seed/demo-timeline.js';
import { DEMO_WALK } from '../../server/src/seed/demo-walk.js';

/**
 * A demo a newcomer can walk (issue 18): every community and street signs in, and each account the
 * README's table "一年的工作，用哪个账号" names finds the work it promises — on the tests' date and on
 * a date of the next fund year (the demo follows the date, ADR 0009; the walk's accounts do not change).
 */
const USERNAME = /^(city|finance|provider-\d+|evaluator-\d+|district-\d{6}|street-\d{9}|community-\d{12})$/;

/** The accounts named in the README's walk table, by step (parsed, so that the README cannot drift). */
function readmeWalk(): Map<string, string[]> {
  const readme = fs.readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const start = readme.indexOf('### 一年的工作，用哪个账号');
  expect(start, 'README has the walk table').toBeGreaterThan(0);
  const lines = readme.slice(start).split('\n');
  const first = lines.findIndex((l) => l.startsWith('|'));
  const end = lines.findIndex((l, i) => i > first && !l.startsWith('|'));
  const rows = lines.slice(first + 2, end);
  const out = new Map<string, string[]>();
  for (const row of rows) {
    const [step, account] = row
      .split('|')
      .map((c) => c.trim())
      .slice(1);
    const names = [...account!.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
    out.set(step!, names);
  }
  return out;
}

const STEPS = [
  '需求征集',
  '议事会决策与公示',
  '编制与提交方案',
  '街道初审',
  '区/市备案',
  '资金下达确认',
  '采购与签约',
  '活动记录与请款',
  '审批拨付',
  '评估打分',
  '组织评估',
  '抽查',
  '信息公开',
];

type Client = Awaited<ReturnType<typeof loginAs>>;
const json = async <T>(client: Client, url: string): Promise<T> => {
  const res = await client.get(url);
  expect(res.statusCode, `${url}: ${res.body}`).toBe(200);
  return res.json() as T;
};
const todo = async (client: Client) =>
  (await json<{ items: { kind: string; link: string; overdue: boolean }[] }>(client, '/api/todo')).items;
interface PlanSummary {
  id: number;
  status: string;
  communityCode: string | null;
  filingLevel: string | null;
}
const plansOf = async (client: Client) => (await json<{ items: PlanSummary[] }>(client, '/api/plans')).items;

describe.each([
  ['2026-12-07', true], // the tests' date: the seeded snapshot
  ['2027-08-02', false], // the next fund year, seeded for that day
])('the demo walk started on %s', (today, snapshot) => {
  let ctx: TestContext;
  const fundYear = demoFundYear(today);
  beforeAll(async () => {
    ctx = snapshot ? await createTestApp() : await createTestApp({ seed: false, today });
    if (!snapshot) expect(await seedDemoCity(ctx.database.db, ctx.app.services)).not.toBeNull();
    expect(ctx.app.clock.today()).toBe(today);
  });
  afterAll(async () => ctx?.close());

  it('every community and every street has its account, named by its code', async () => {
    const missing = await queryRows<{ code: string }>(
      ctx,
      sql`select r.code from region r left join app_user u
          on u.username = (case r.level when 'street' then 'street-' else 'community-' end) || r.code
            and u.scope_code = r.code and u.role = (case r.level when 'street' then 'street_office' else 'community' end)
          where r.level in ('street', 'community') and u.id is null`,
    );
    expect(missing).toEqual([]);
    const [counts] = await queryRows<{ streets: number; communities: number }>(
      ctx,
      sql`select count(*) filter (where role = 'street_office')::int streets, count(*) filter (where role = 'community')::int communities from app_user`,
    );
    expect(counts).toEqual({ streets: 190, communities: 835 });
    const community = await loginAs(ctx.app, 'community-210181001002');
    expect(JSON.stringify(await json<unknown>(community, '/api/auth/me'))).toContain('"code":"210181001002"');
  });

  it('the README table names, for each step of the year, accounts that sign in, and every account of the walk', async () => {
    const table = readmeWalk();
    expect([...table.keys()]).toEqual(STEPS);
    const named = new Set([...table.values()].flat());
    for (const username of named) {
      expect(username, 'a username in the table').toMatch(USERNAME);
      await loginAs(ctx.app, username); // throws when the account is missing or cannot sign in
    }
    for (const [key, account] of Object.entries(DEMO_WALK)) expect(named.has(account.username), `${key} in README`).toBe(true);
  });

  it('the community, street, district and city find their plans and decisions waiting', async () => {
    // 需求征集: an open campaign.
    const needs = await loginAs(ctx.app, DEMO_WALK.needsCommunity.username);
    const campaigns = (
      await json<{ items: { status: string; fundYear: number; coverage: { meets: boolean } }[] }>(needs, '/api/needs/campaigns')
    ).items;
    expect(campaigns.find((c) => c.status === 'open' && c.fundYear === fundYear)?.coverage.meets).toBe(false);

    // 议事会决策与公示: a notice open, with objections.
    const council = await loginAs(ctx.app, DEMO_WALK.noticeCommunity.username);
    const decisions = (
      await json<{ items: { notice: { status: string; objectors: number; windowEnd: string } | null }[] }>(council, '/api/decisions')
    ).items;
    const open = decisions.find((d) => d.notice?.status === 'open')!.notice!;
    expect(open.windowEnd >= today).toBe(true);
    expect(open.objectors).toBeGreaterThan(0);

    // 编制与提交方案: a draft that passes compliance, on the to-do; submitting it sends it to the street.
    const community = await loginAs(ctx.app, DEMO_WALK.draftCommunity.username);
    const draft = (await plansOf(community)).find(
      (p) => p.status === 'draft' && p.communityCode === DEMO_WALK.draftCommunity.communityCode,
    )!;
    expect(draft).toBeDefined();
    expect((await todo(community)).some((i) => i.kind === 'plan_draft' && i.link === `/plans/${draft.id}`)).toBe(true);
    const compliance = await json<{ passed: boolean; rules: { rule: string; passed: boolean }[] }>(
      community,
      `/api/plans/${draft.id}/compliance`,
    );
    expect(compliance.rules.filter((r) => !r.passed)).toEqual([]);
    expect(compliance.passed).toBe(true);

    // 街道初审: the same street reviews a neighbour's submitted plan, countdown running, and then the draft.
    const street = await loginAs(ctx.app, DEMO_WALK.reviewStreet.username);
    const submitted = (await plansOf(street)).find((p) => p.communityCode === DEMO_WALK.reviewStreet.planCommunityCode)!;
    expect(submitted.status).toBe('submitted');
    const review = (await todo(street)).find((i) => i.kind === 'plan_review' && i.link === `/plans/${submitted.id}`);
    expect(review?.overdue).toBe(false);
    const submit = await community.post(`/api/plans/${draft.id}/submit`);
    expect(submit.statusCode, submit.body).toBe(200);
    expect((await todo(street)).some((i) => i.kind === 'plan_review' && i.link === `/plans/${draft.id}`)).toBe(true);

    // 区/市备案: the district files a 4★ plan, the city a 5★ one.
    for (const { username, planCommunityCode } of [DEMO_WALK.filingDistrict, DEMO_WALK.filingCity]) {
      const office = await loginAs(ctx.app, username);
      const plan = (await plansOf(office)).find((p) => p.communityCode === planCommunityCode)!;
      expect(plan).toMatchObject({ status: 'approved', filingLevel: username === 'city' ? 'city' : 'district' });
      expect(
        (await todo(office)).some((i) => i.kind === 'plan_filing' && i.link === `/plans/${plan.id}`),
        username,
      ).toBe(true);
    }
  });

  it('finance, the provider, the street, the evaluator, the district and the city find money and evaluations waiting', async () => {
    // 资金下达确认: the 2023 appropriation is not confirmed.
    const finance = await loginAs(ctx.app, DEMO_WALK.finance.username);
    const appropriation = await json<{ confirmed: boolean; totalFen: number }>(finance, `/api/allocations/${DEMO_WALK.finance.fundYear}`);
    expect(appropriation).toMatchObject({ confirmed: false, totalFen: 30_000_000_00 });

    // 采购与签约: three contracts signed and projects still to procure.
    const community = await loginAs(ctx.app, DEMO_WALK.contractCommunity.username);
    const contracts = (await json<{ items: { id: number; status: string; communityCode: string }[] }>(community, '/api/contracts')).items;
    expect(contracts.filter((c) => c.status === 'signed' && c.communityCode === DEMO_WALK.contractCommunity.communityCode)).toHaveLength(3);
    const projects = (await json<{ items: { contractId: number | null }[] }>(community, `/api/procurement/projects?fundYear=${fundYear}`))
      .items;
    expect(projects.filter((p) => p.contractId === null)).toHaveLength(3);

    // 活动记录与请款: the provider may request an instalment now, and does.
    const provider = await loginAs(ctx.app, DEMO_WALK.provider.username);
    let claimable: { id: number } | undefined;
    for (const c of (await json<{ items: { id: number }[] }>(provider, '/api/contracts')).items) {
      const detail = await json<{ instalments: { id: number; status: string; conditionMet: boolean | null }[] }>(
        provider,
        `/api/contracts/${c.id}`,
      );
      claimable ??= detail.instalments.find((i) => i.status === 'open' && i.conditionMet === true);
    }
    expect(claimable, 'an instalment the provider can claim').toBeDefined();
    const claim = await provider.post(`/api/instalments/${claimable!.id}/requests`, { note: '演示：申请拨付' });
    expect(claim.statusCode, claim.body).toBe(201);

    // 审批拨付: the street office has a request awaiting approval (and now the provider's new one).
    const street = await loginAs(ctx.app, DEMO_WALK.paymentStreet.username);
    const requests = (await json<{ items: { status: string; instalmentId: number }[] }>(street, '/api/payment-requests')).items;
    expect(requests.filter((r) => r.status === 'requested').length).toBeGreaterThanOrEqual(2);
    expect(requests.some((r) => r.status === 'requested' && r.instalmentId === claimable!.id)).toBe(true);

    // 评估打分: final evaluations assigned to the evaluator, not yet scored.
    const evaluator = await loginAs(ctx.app, DEMO_WALK.evaluator.username);
    const assignments = (
      await json<{ items: { kind: string; status: string; fundYear: number; dueOn: string }[] }>(evaluator, '/api/evaluation-assignments')
    ).items;
    const due = assignments.filter((a) => a.kind === 'final' && a.status !== 'concluded' && a.fundYear === fundYear);
    expect(due.length).toBeGreaterThan(0);
    expect(due.every((a) => a.dueOn === `${fundYear}-12-10`)).toBe(true);

    // 组织评估: the district's final round is open with assignments outstanding.
    const district = await loginAs(ctx.app, DEMO_WALK.evaluationDistrict.username);
    const rounds = (
      await json<{ items: { kind: string; status: string; fundYear: number; counts: { outstanding: number } }[] }>(
        district,
        '/api/evaluation-rounds',
      )
    ).items;
    expect(rounds.find((r) => r.kind === 'final' && r.fundYear === fundYear)).toMatchObject({ status: 'open' });
    expect(rounds.find((r) => r.kind === 'final' && r.fundYear === fundYear)!.counts.outstanding).toBeGreaterThan(0);

    // 抽查: the city's spot check has a finding under rectification.
    const city = await loginAs(ctx.app, DEMO_WALK.spotCheck.username);
    const findings = (await json<{ items: { status: string }[] }>(city, '/api/findings')).items;
    expect(findings.some((f) => f.status === 'open')).toBe(true);

    // 信息公开: the contracts of the filed plan's community are flagged as not disclosed.
    const monitor = await json<{ communities: { code: string; items: { kind: string; flagged: boolean }[] }[] }>(
      community,
      '/api/disclosure/monitor',
    );
    const own = monitor.communities.find((c) => c.code === DEMO_WALK.contractCommunity.communityCode)!;
    expect(own.items.find((i) => i.kind === 'contracts')?.flagged).toBe(true);
  });
});
