import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestApp, loginAs, queryRows, setTestNow, setToday, type TestContext } from '../helpers/app.js';
import { streetOf, type Client } from '../helpers/factories-needs.js';
import { compliantList, createPlan, decidedCommunity, failingRules, projectsBody, type PlanBody } from '../helpers/factories-plans.js';

process.env.NEEDS_SUBMIT_RATE_LIMIT = '10000';
process.env.OBJECTION_RATE_LIMIT = '10000';

/** Free community accounts of the demo city rated in 2025 (fund year 2026): 4★ and 5★. */
const FOUR = '210105001001';
const FIVE = '210104002001';
const THREE = '210111001001';
const YEAR = 2026;

let ctx: TestContext;
let four: Awaited<ReturnType<typeof decidedCommunity>>;
let five: Awaited<ReturnType<typeof decidedCommunity>>;
let street: Client;
let district: Client;
let city: Client;

const todoKinds = async (client: Client) => {
  const res = await client.get('/api/todo');
  expect(res.statusCode, res.body).toBe(200);
  return res.json().items as {
    key: string;
    kind: string;
    dueOn: string | null;
    workdaysLeft: number | null;
    overdue: boolean;
    link: string;
  }[];
};

beforeAll(async () => {
  ctx = await createTestApp();
  const stars = await queryRows<{ community_code: string; stars: number }>(
    ctx,
    sql`select community_code, stars from rating where year = 2025 and community_code in (${FOUR}, ${FIVE}, ${THREE})`,
  );
  expect(Object.fromEntries(stars.map((s) => [s.community_code, s.stars]))).toEqual({ [FOUR]: 4, [FIVE]: 5, [THREE]: 3 });
  four = await decidedCommunity(ctx, FOUR, '2026-09-10', compliantList(4));
  five = await decidedCommunity(ctx, FIVE, '2026-09-10', compliantList(6));
  street = await loginAs(ctx.app, streetOf(FOUR));
  district = await loginAs(ctx.app, `district-${FOUR.slice(0, 6)}`);
  city = await loginAs(ctx.app, 'city');
});
afterAll(async () => ctx?.close());

describe('demo seed: communities at each plan step', () => {
  it('seeds a failing draft, a review with a countdown, an overdue review, one awaiting the district, one filed with the city, a compliant draft and one awaiting the city', async () => {
    setTestNow(ctx.app);
    const rows = await queryRows<{
      id: number;
      status: string;
      filing_level: string | null;
      review_due_on: string;
      street_code: string;
      district_code: string;
    }>(
      ctx,
      sql`
      select id, status, filing_level, review_due_on, street_code, district_code from plan where fund_year = 2026 and kind = 'community' and created_by_user_id is null order by id`,
    );
    expect(rows.map((r) => `${r.status}:${r.filing_level ?? '-'}`)).toEqual([
      'draft:-',
      'submitted:-',
      'submitted:-',
      'approved:district',
      'filed:city',
      // The README's walk (demo-walk.ts): a compliant draft to submit, a 5★ plan for the city to file.
      'draft:-',
      'approved:city',
    ]);
    const [draft, submitted, overdue, approved, filed, ready, toCity] = rows;
    const districtOf = (r: (typeof rows)[number]) => loginAs(ctx.app, `district-${r.district_code}`);
    const draftView = (await (await districtOf(draft!)).get(`/api/plans/${draft!.id}`)).json().plan;
    expect(failingRules(draftView)).toEqual(expect.arrayContaining(['basic_projects', 'enhancement_minimum']));
    for (const r of [submitted, overdue, approved, filed, ready, toCity]) {
      const view = (await (await districtOf(r!)).get(`/api/plans/${r!.id}`)).json().plan;
      expect(failingRules(view), `plan ${r!.id}`).toEqual([]);
    }
    const streetTodo = await todoKinds(await loginAs(ctx.app, `street-${submitted!.street_code}`));
    expect(streetTodo.find((i) => i.link === `/plans/${submitted!.id}`)).toMatchObject({ kind: 'plan_review', overdue: false });
    expect((await todoKinds(await districtOf(overdue!))).find((i) => i.link === `/plans/${overdue!.id}`)).toMatchObject({
      kind: 'review_overdue',
      overdue: true,
    });
    expect((await todoKinds(await districtOf(approved!))).find((i) => i.link === `/plans/${approved!.id}`)).toMatchObject({
      kind: 'plan_filing',
    });
    expect((await (await districtOf(filed!)).get(`/api/plans/${filed!.id}`)).json().plan.communities[0].stars).toBe(5);
  });
});

describe('usage plan, compliance panel and submission [N 2], [N 3.1.2(2)]', () => {
  let plan: PlanBody;

  it('starts from the decided list; the panel lists every rule and blocks submission while the notice is open', async () => {
    expect(four.windowEnd).toBe('2026-09-20');
    setToday(ctx.app, '2026-09-15');
    plan = await createPlan(four.c.staff, YEAR, [FOUR]);
    expect(plan).toMatchObject({ kind: 'community', status: 'draft', allocationFen: 10_000_000, budgetFen: 8_500_000 });
    expect(plan.projects.map((p) => p.catalogueCode)).toEqual(['B1', 'B2', 'B3', 'E5', 'E6', 'E3', 'E7']);
    expect(plan.projects.every((p) => p.decisionProjectId !== null && p.communityCodes[0] === FOUR)).toBe(true);
    expect(plan.compliance.rules.map((r) => r.rule)).toEqual([
      'basic_projects',
      'enhancement_minimum',
      'budget_within_allocation',
      'needs_coverage',
      'council_decision',
      'decided_list',
      'prohibited_uses',
      'duplicate_investment',
    ]);
    expect(failingRules(plan)).toEqual(['council_decision']);
    const blocked = await four.c.staff.post(`/api/plans/${plan.id}/submit`);
    expect(blocked.statusCode).toBe(422);
    expect(blocked.json()).toMatchObject({ code: 'PLAN_NOT_COMPLIANT', clause: '[N 3.1.2(1)]' });
    expect(blocked.json().details.failing.map((r: { rule: string }) => r.rule)).toEqual(['council_decision']);
    expect(blocked.json().message).toContain('公示尚未期满');
    // A second plan holding the same community is refused.
    const again = await four.c.staff.post('/api/plans', { fundYear: YEAR, communityCodes: [FOUR] });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('PLAN_EXISTS');
  });

  it("the community's to-do asks for the plan; street and district have nothing yet", async () => {
    const kinds = (await todoKinds(four.c.staff)).map((i) => i.kind);
    expect(kinds).toContain('plan_draft');
    expect((await todoKinds(street)).filter((i) => i.link === `/plans/${plan.id}`)).toEqual([]);
    expect((await todoKinds(district)).filter((i) => i.link === `/plans/${plan.id}`)).toEqual([]);
  });

  it('re-checks live while editing: a prohibited use and a budget over the allocation each fail, naming the fix', async () => {
    setToday(ctx.app, '2026-09-30');
    const projects = projectsBody(plan);
    projects[3] = { ...projects[3]!, content: '含志愿者交通补贴' };
    let res = await four.c.staff.put(`/api/plans/${plan.id}`, { projects });
    expect(res.statusCode, res.body).toBe(200);
    plan = res.json().plan;
    expect(failingRules(plan)).toEqual(['prohibited_uses']);
    const rule = plan.compliance.rules.find((r) => r.rule === 'prohibited_uses')!;
    expect(rule.clause).toContain('[L]');
    expect(rule.message.zh).toContain('补贴');
    expect(rule.fix.zh.length).toBeGreaterThan(0);
    const live = await four.c.staff.get(`/api/plans/${plan.id}/compliance`);
    expect(live.json().passed).toBe(false);

    projects[3] = { ...projects[3]!, content: '', budgetFen: 4_000_000 };
    res = await four.c.staff.put(`/api/plans/${plan.id}`, { projects });
    plan = res.json().plan;
    expect(failingRules(plan)).toEqual(['budget_within_allocation']);
    expect(plan.compliance.rules.find((r) => r.rule === 'budget_within_allocation')!.message.zh).toContain('¥105,000.00');

    // Dropping an enhancement project fails the 4★ minimum; a project served outside the plan is refused by name.
    res = await four.c.staff.put(`/api/plans/${plan.id}`, {
      projects: projectsBody(plan)
        .slice(0, 6)
        .map((p) => ({ ...p, budgetFen: 1_000_000 })),
    });
    expect(failingRules(res.json().plan)).toEqual(['enhancement_minimum']);
    const stranger = await four.c.staff.put(`/api/plans/${plan.id}`, { projects: [{ ...projectsBody(plan)[0]!, communityCodes: [FIVE] }] });
    expect(stranger.statusCode).toBe(400);
    expect(stranger.json().field).toBe('projects/0/communityCodes');
    const undecided = await four.c.staff.put(`/api/plans/${plan.id}`, {
      projects: [{ ...projectsBody(plan)[0]!, decisionProjectId: 2_000_000 }],
    });
    expect(undecided.statusCode).toBe(400);
    expect(undecided.json().field).toBe('projects/0/decisionProjectId');
  });

  it('submits a compliant plan: the street review is due 7 working days later, across National Day', async () => {
    const projects = projectsBody(plan);
    // Restore the decided list with the original budgets.
    const original = await queryRows<{ id: number; estimated_budget_fen: number; catalogue_code: string; title: string }>(
      ctx,
      sql`select dp.id, dp.estimated_budget_fen, dp.catalogue_code, dp.title from decision_project dp join decision d on d.id = dp.decision_id where d.community_code = ${FOUR} order by dp.rank`,
    );
    const body = original.map((o) => ({
      ...projects[0]!,
      decisionProjectId: o.id,
      title: o.title,
      catalogueCode: o.catalogue_code,
      budgetFen: Number(o.estimated_budget_fen),
      content: '',
    }));
    const saved = await four.c.staff.put(`/api/plans/${plan.id}`, { projects: body });
    expect(failingRules(saved.json().plan)).toEqual([]);
    const res = await four.c.staff.post(`/api/plans/${plan.id}/submit`);
    expect(res.statusCode, res.body).toBe(200);
    plan = res.json().plan;
    expect(plan).toMatchObject({ status: 'submitted', round: 1, reviewDueOn: '2026-10-15', workdaysLeft: 7, overdue: false });
    const edit = await four.c.staff.put(`/api/plans/${plan.id}`, { title: '改名' });
    expect(edit.statusCode).toBe(409);
    const audit = await queryRows<{ action: string }>(
      ctx,
      sql`select action from audit_event where entity_type = 'plan' and entity_id = ${String(plan.id)} order by seq`,
    );
    expect(audit.map((a) => a.action)).toEqual(['plan.create', 'plan.update', 'plan.update', 'plan.update', 'plan.update', 'plan.submit']);
  });

  it('due dates follow the holiday calendar: submitted 2025-09-30 → due 2025-10-16', async () => {
    expect(await ctx.app.services.plans.reviewDueDate('2025-09-30', 2025)).toBe('2025-10-16');
    expect(await ctx.app.services.plans.reviewDueDate('2026-09-30', 2026)).toBe('2026-10-15');
  });

  it('the street sees the review with its countdown; past due it is flagged to the district', async () => {
    let items = await todoKinds(street);
    expect(items.find((i) => i.kind === 'plan_review' && i.link === `/plans/${plan.id}`)).toMatchObject({
      dueOn: '2026-10-15',
      workdaysLeft: 7,
      overdue: false,
    });
    expect((await todoKinds(four.c.staff)).filter((i) => i.link === `/plans/${plan.id}`)).toEqual([]);
    const list = await street.get('/api/plans?stage=review');
    expect(list.json().items.map((p: { id: number }) => p.id)).toContain(plan.id);

    setToday(ctx.app, '2026-10-16');
    items = await todoKinds(street);
    expect(items.find((i) => i.kind === 'plan_review' && i.link === `/plans/${plan.id}`)).toMatchObject({
      overdue: true,
      workdaysLeft: -1,
    });
    expect((await todoKinds(district)).find((i) => i.kind === 'review_overdue' && i.link === `/plans/${plan.id}`)).toMatchObject({
      overdue: true,
      dueOn: '2026-10-15',
    });
    const messages = (await district.get('/api/messages')).json();
    expect(
      messages.items.find((m: { kind: string; link: string }) => m.kind === 'review_overdue' && m.link === `/plans/${plan.id}`),
    ).toMatchObject({ read: false });
  });

  it('scope: out-of-scope accounts see 404, the wrong roles 403, and nothing changes', async () => {
    const otherStreet = await loginAs(ctx.app, streetOf(FIVE));
    expect((await otherStreet.get(`/api/plans/${plan.id}`)).statusCode).toBe(404);
    expect((await five.c.staff.get(`/api/plans/${plan.id}`)).statusCode).toBe(404);
    expect((await otherStreet.post(`/api/plans/${plan.id}/review`, { outcome: 'approve' })).statusCode).toBe(404);
    expect((await four.c.staff.post(`/api/plans/${plan.id}/review`, { outcome: 'approve' })).statusCode).toBe(403);
    expect((await street.post(`/api/plans/${plan.id}/filing`, { outcome: 'file' })).statusCode).toBe(403);
    expect((await street.post(`/api/plans/${plan.id}/submit`)).statusCode).toBe(403);
    expect((await ctx.app.inject({ method: 'GET', url: '/api/todo' })).statusCode).toBe(401);
    const noReasons = await street.post(`/api/plans/${plan.id}/review`, { outcome: 'return' });
    expect(noReasons.statusCode).toBe(400);
    expect(noReasons.json().field).toBe('reasons');
    expect((await street.get(`/api/plans/${plan.id}`)).json().plan.status).toBe('submitted');
  });

  it('a return with reasons tied to rules sends the plan back; the community is told and resubmits', async () => {
    const res = await street.post(`/api/plans/${plan.id}/review`, {
      outcome: 'return',
      reasons: [{ rule: 'duplicate_investment', note: '助餐与区养老服务中心项目重叠，请说明' }],
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().plan).toMatchObject({
      status: 'returned',
      returnStep: 'plan',
      returnReasons: [{ rule: 'duplicate_investment', clause: '[N 4.1]' }],
    });
    expect((await todoKinds(four.c.staff)).find((i) => i.kind === 'plan_returned' && i.link === `/plans/${plan.id}`)).toBeDefined();
    expect((await todoKinds(street)).filter((i) => i.kind === 'plan_review' && i.link === `/plans/${plan.id}`)).toEqual([]);
    expect((await todoKinds(district)).filter((i) => i.link === `/plans/${plan.id}`)).toEqual([]);
    const inbox = (await four.c.staff.get('/api/messages')).json();
    const returned = inbox.items.find((m: { kind: string; link: string }) => m.kind === 'plan_returned' && m.link === `/plans/${plan.id}`);
    expect(returned.body).toContain('助餐');
    const read = await four.c.staff.post('/api/messages/read', { keys: [returned.key] });
    expect(read.json().items.find((m: { key: string }) => m.key === returned.key).read).toBe(true);
    expect(read.json().unread).toBe(inbox.unread - 1);

    setToday(ctx.app, '2026-10-19');
    const again = await four.c.staff.post(`/api/plans/${plan.id}/submit`);
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json().plan).toMatchObject({ status: 'submitted', round: 2, reviewDueOn: '2026-10-28', workdaysLeft: 7 });
  });

  it('the street approves; a 3★/4★ plan is filed with the district, which acknowledges it', async () => {
    const res = await street.post(`/api/plans/${plan.id}/review`, { outcome: 'approve', comment: '程序合法，无负面清单事项' });
    expect(res.json().plan).toMatchObject({ status: 'approved', filingLevel: 'district' });
    expect((await todoKinds(district)).find((i) => i.kind === 'plan_filing' && i.link === `/plans/${plan.id}`)).toBeDefined();
    expect((await todoKinds(city)).filter((i) => i.link === `/plans/${plan.id}`)).toEqual([]);
    const wrongBureau = await city.post(`/api/plans/${plan.id}/filing`, { outcome: 'file' });
    expect(wrongBureau.statusCode).toBe(403);
    expect(wrongBureau.json().code).toBe('FILING_LEVEL');
    const filed = await district.post(`/api/plans/${plan.id}/filing`, { outcome: 'file' });
    expect(filed.json().plan).toMatchObject({ status: 'filed', filedOn: '2026-10-19' });
    expect(filed.json().plan.reviews.map((r: { stage: string; outcome: string }) => `${r.stage}:${r.outcome}`)).toEqual([
      'street:returned',
      'street:approved',
      'filing:filed',
    ]);
    expect((await todoKinds(district)).filter((i) => i.link === `/plans/${plan.id}`)).toEqual([]);
    expect((await four.c.staff.get('/api/messages')).json().items.map((m: { kind: string }) => m.kind)).toContain('plan_filed');
    // For contracts (issue 7): the filed projects.
    const projects = await ctx.app.services.plans.filedProjects(ctx.app.database.db, { communityCode: FOUR, fundYear: YEAR });
    expect(projects).toHaveLength(7);
    expect(projects[0]).toMatchObject({ planId: plan.id, status: 'filed', communityCodes: [FOUR], category: 'basic' });
    expect(await ctx.app.services.plans.getProject(ctx.app.database.db, projects[3]!.projectId)).toMatchObject({
      catalogueCode: 'E5',
      budgetFen: 2_000_000,
    });
  });

  it('a plan with a 5★ community is filed with the city bureau; the district still sees it', async () => {
    const fiveStreet = await loginAs(ctx.app, streetOf(FIVE));
    const fiveDistrict = await loginAs(ctx.app, `district-${FIVE.slice(0, 6)}`);
    const p = await createPlan(five.c.staff, YEAR, [FIVE]);
    expect(failingRules(p)).toEqual([]);
    expect((await five.c.staff.post(`/api/plans/${p.id}/submit`)).statusCode).toBe(200);
    const approved = await fiveStreet.post(`/api/plans/${p.id}/review`, { outcome: 'approve' });
    expect(approved.json().plan.filingLevel).toBe('city');
    expect((await todoKinds(fiveDistrict)).filter((i) => i.link === `/plans/${p.id}`)).toEqual([]);
    expect((await todoKinds(city)).find((i) => i.kind === 'plan_filing' && i.link === `/plans/${p.id}`)).toBeDefined();
    expect((await fiveDistrict.get(`/api/plans/${p.id}`)).statusCode).toBe(200);
    expect((await fiveDistrict.post(`/api/plans/${p.id}/filing`, { outcome: 'file' })).statusCode).toBe(403);
    // The city returns it to the decision step; then the community can only resubmit.
    const back = await city.post(`/api/plans/${p.id}/filing`, {
      outcome: 'return',
      reasons: [{ rule: 'council_decision', note: '议事会表决记录缺页' }],
    });
    expect(back.json().plan).toMatchObject({ status: 'returned', returnStep: 'decision', filingLevel: null });
    expect((await five.c.staff.post(`/api/plans/${p.id}/submit`)).statusCode).toBe(200);
    await fiveStreet.post(`/api/plans/${p.id}/review`, { outcome: 'approve' });
    const filed = await city.post(`/api/plans/${p.id}/filing`, { outcome: 'file' });
    expect(filed.json().plan).toMatchObject({ status: 'filed', filingLevel: 'city' });
    const listed = (await fiveDistrict.get('/api/plans?stage=filing')).json().items;
    expect(listed.map((x: { id: number }) => x.id)).toContain(p.id);
  });
});

describe('area plans pooling communities of a street [N 2.3]', () => {
  it('the street pools communities of different star levels; each must meet its own minimums', async () => {
    const siblings = await queryRows<{ code: string; stars: number | null }>(
      ctx,
      sql`
      select r.code, rt.stars from region r left join rating rt on rt.community_code = r.code and rt.year = 2025
      where r.parent_code = ${THREE.slice(0, 9)} and r.level = 'community' and r.code <> ${THREE} order by (rt.stars is null), rt.stars desc, r.code limit 1`,
    );
    const sibling = siblings[0]!;
    const areaStreet = await loginAs(ctx.app, streetOf(THREE));
    const single = await areaStreet.post('/api/plans', { fundYear: YEAR, communityCodes: [THREE] });
    expect(single.statusCode).toBe(400);
    expect(single.json().field).toBe('communityCodes');
    const foreign = await areaStreet.post('/api/plans', { fundYear: YEAR, communityCodes: [THREE, FOUR] });
    expect(foreign.statusCode).toBe(400);
    const p = await createPlan(areaStreet, YEAR, [THREE, sibling.code]);
    expect(p.kind).toBe('area');
    expect(p.communities.map((c) => [c.code, c.stars])).toEqual(
      [
        [THREE, 3],
        [sibling.code, sibling.stars],
      ].sort(),
    );
    expect(p.allocationFen).toBe(p.communities.reduce((s, c) => s + c.allocationFen, 0));
    // No decisions yet: every per-community rule fails, naming each community.
    const enhancement = p.compliance.rules.find((r) => r.rule === 'enhancement_minimum')!;
    expect(enhancement.passed).toBe(false);
    expect(enhancement.message.zh).toContain('3星社区至少需 1 个');
    expect(failingRules(p)).toEqual(expect.arrayContaining(['basic_projects', 'needs_coverage', 'council_decision']));
    // A community of the area cannot also plan alone; the area's own community account sees the area plan.
    const community = await loginAs(ctx.app, `community-${THREE}`);
    expect((await community.post('/api/plans', { fundYear: YEAR, communityCodes: [THREE] })).statusCode).toBe(409);
    expect((await community.get(`/api/plans/${p.id}`)).statusCode).toBe(200);
    expect((await community.post(`/api/plans/${p.id}/submit`)).statusCode).toBe(403);
  });
});
