import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestApp, loginAs, queryRows, setToday, type TestContext } from '../helpers/app.js';
import type { Client } from '../helpers/factories-needs.js';
import {
  draftContract,
  filedPlan,
  procure,
  registerProvider,
  type ContractBody,
  type FiledPlan,
} from '../helpers/factories-procurement.js';

process.env.NEEDS_SUBMIT_RATE_LIMIT = '10000';
process.env.OBJECTION_RATE_LIMIT = '10000';

/** A 4★ community (fund year 2026) of 大东区 (210105). */
const FOUR = '210105001001';
const DISTRICT = '210105';
const RUBRIC = ['R1', 'R2', 'R3', 'R4', 'R5', 'R6'];
const all = (score: number) => RUBRIC.map((code) => ({ code, score }));

let ctx: TestContext;
let plan: FiledPlan;
let city: Client;
let district: Client;
let evaluator: Client;
let provider: { id: number };
let contractId: number;
let midId: number;
let finalId: number;

async function roundOf(kind: 'midterm' | 'final'): Promise<number> {
  const existing = (await district.get(`/api/evaluation-rounds?fundYear=2026&kind=${kind}`))
    .json()
    .items.find((r: { districtCode: string }) => r.districtCode === DISTRICT);
  if (existing) return existing.id;
  const res = await district.post('/api/evaluation-rounds', { fundYear: 2026, kind, districtCode: DISTRICT });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id;
}

async function assign(roundId: number, planProjectId: number, orgId: number) {
  const res = await district.post(`/api/evaluation-rounds/${roundId}/assignments`, {
    planProjectId,
    method: 'third_party',
    evaluatorOrgId: orgId,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: number };
}

beforeAll(async () => {
  ctx = await createTestApp();
  plan = await filedPlan(ctx, FOUR, 4);
  // The contract is signed on 20 October; the evaluations happen on 27 November.
  setToday(ctx.app, '2026-10-20');
  city = await loginAs(ctx.app, 'city');
  district = await loginAs(ctx.app, `district-${DISTRICT}`);
  evaluator = await loginAs(ctx.app, 'evaluator-1');
  ({ provider } = await registerProvider(ctx, { name: '大东区星火社会工作服务中心', stem: '52210104MJ0000077' }));
  const proc = await procure(plan.staff, FOUR, [plan.projects[0]!.id, plan.projects[1]!.id], provider.id);
  const amount = plan.projects[0]!.budgetFen + plan.projects[1]!.budgetFen;
  const draft = await draftContract(
    plan.staff,
    proc.id,
    FOUR,
    amount,
    [
      { condition: 'on_signing', amountFen: amount - 200_000 },
      { condition: 'after_midterm_passed', amountFen: 100_000 },
      { condition: 'after_final_passed', amountFen: 100_000 },
    ],
    [plan.projects[0]!.id, plan.projects[1]!.id],
  );
  const signed = await plan.staff.post(`/api/contracts/${draft.id}/sign`, { signedOn: '2026-10-20' });
  expect(signed.statusCode, signed.body).toBe(200);
  contractId = draft.id;
  setToday(ctx.app, '2026-11-27');
  midId = await roundOf('midterm');
  finalId = await roundOf('final');
}, 240_000);
afterAll(async () => ctx?.close());

const orgId = async () =>
  (await queryRows<{ org_id: number }>(ctx, sql`select org_id from app_user where username = 'evaluator-1'`))[0]!.org_id;
const contractOf = async () => (await plan.staff.get(`/api/contracts/${contractId}`)).json() as ContractBody;

describe('evaluation rounds and assignments [N 3.2]', () => {
  it('opens rounds per district with the policy due date, a countdown and one round per kind', async () => {
    const rounds = (await district.get('/api/evaluation-rounds?fundYear=2026')).json().items as {
      id: number;
      kind: string;
      dueOn: string;
      daysLeft: number;
      overdue: boolean;
      districtCode: string;
    }[];
    const fin = rounds.find((r) => r.id === finalId)!;
    expect(fin).toMatchObject({ kind: 'final', dueOn: '2026-12-10', daysLeft: 13, overdue: false });
    expect(rounds.find((r) => r.id === midId)).toMatchObject({ kind: 'midterm', dueOn: '2026-06-30' });
    const again = await district.post('/api/evaluation-rounds', { fundYear: 2026, kind: 'final', districtCode: DISTRICT });
    expect([again.statusCode, again.json().code]).toEqual([409, 'ROUND_EXISTS']);
    // Another district's bureau cannot open rounds here (out of scope reads as absent).
    const other = await loginAs(ctx.app, 'district-210102');
    expect((await other.post('/api/evaluation-rounds', { fundYear: 2026, kind: 'final', districtCode: DISTRICT })).statusCode).toBe(404);
    expect((await city.post('/api/evaluation-rounds', { fundYear: 2026, kind: 'final', districtCode: DISTRICT })).statusCode).toBe(403);
  });

  it('assigns filed projects to an evaluator or a review meeting with participants by category', async () => {
    const org = await orgId();
    const round = (await district.get(`/api/evaluation-rounds/${midId}`)).json();
    expect(round.unassigned.map((p: { planProjectId: number }) => p.planProjectId)).toEqual(
      expect.arrayContaining(plan.projects.map((p) => p.id)),
    );
    await assign(midId, plan.projects[0]!.id, org);
    const meeting = await district.post(`/api/evaluation-rounds/${midId}/assignments`, {
      planProjectId: plan.projects[1]!.id,
      method: 'review_meeting',
      meetingOn: '2026-06-20',
      participants: [
        { category: 'npc_deputy', name: '张代表' },
        { category: 'cppcc_member', name: '李委员' },
        { category: 'expert', name: '王教授', affiliation: '沈阳师范大学' },
      ],
    });
    expect(meeting.statusCode, meeting.body).toBe(201);
    expect(meeting.json().participants.map((p: { categoryLabel: string }) => p.categoryLabel)).toEqual(['人大代表', '政协委员', '专家']);
    const noPeople = await district.post(`/api/evaluation-rounds/${midId}/assignments`, {
      planProjectId: plan.projects[2]!.id,
      method: 'review_meeting',
      meetingOn: '2026-06-20',
    });
    expect([noPeople.statusCode, noPeople.json().code]).toEqual([400, 'PARTICIPANTS_REQUIRED']);
    const twice = await district.post(`/api/evaluation-rounds/${midId}/assignments`, {
      planProjectId: plan.projects[0]!.id,
      method: 'third_party',
      evaluatorOrgId: org,
    });
    expect([twice.statusCode, twice.json().code]).toEqual([409, 'ALREADY_ASSIGNED']);
  });

  it('lets an evaluator see and score only its own assignments, on the integer weighted rubric', async () => {
    const mine = (await evaluator.get('/api/evaluation-assignments?fundYear=2026')).json().items as {
      id: number;
      planProjectId: number;
      roundId: number;
    }[];
    const a = mine.find((x) => x.roundId === midId && x.planProjectId === plan.projects[0]!.id)!;
    expect(a).toBeDefined();
    const other = await loginAs(ctx.app, 'evaluator-2');
    expect((await other.get(`/api/evaluation-assignments/${a.id}`)).statusCode).toBe(404);
    expect((await plan.staff.post(`/api/evaluation-assignments/${a.id}/conclude`, { scores: all(90), conclusion: 'x' })).statusCode).toBe(
      403,
    );
    const incomplete = await evaluator.post(`/api/evaluation-assignments/${a.id}/conclude`, {
      scores: all(90).slice(1),
      conclusion: '结论',
    });
    expect([incomplete.statusCode, incomplete.json().code, incomplete.json().clause]).toEqual([400, 'RUBRIC_INCOMPLETE', '[N 3.2]']);
    const ev = await evaluator.post(`/api/evaluation-assignments/${a.id}/evidence`, { name: '中期服务报告', kind: 'report' });
    expect(ev.statusCode, ev.body).toBe(201);
    // R1..R6 weights 20/20/20/15/15/10: 20·90 + 20·85 + 20·80 + 15·75 + 15·70 + 10·100 = 8275 → 82.75, 良好.
    const scores = [90, 85, 80, 75, 70, 100].map((score, i) => ({ code: RUBRIC[i]!, score }));
    const res = await evaluator.post(`/api/evaluation-assignments/${a.id}/conclude`, {
      scores,
      peopleCovered: 150,
      conclusion: '进展良好',
      problems: '宣传不足',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      status: 'concluded',
      scoreBp: 8275,
      score: '82.75',
      grade: 'good',
      gradeLabel: '良好',
      evidence: [{ name: '中期服务报告' }],
    });
    const again = await evaluator.post(`/api/evaluation-assignments/${a.id}/conclude`, { scores, conclusion: '再评' });
    expect([again.statusCode, again.json().code]).toEqual([409, 'ALREADY_CONCLUDED']);
  });

  it('drives the payment conditions: mid-term passed for every project of the contract', async () => {
    const before = await contractOf();
    expect(before.instalments.find((i) => i.condition === 'after_midterm_passed')!.conditionMet).toBe(false);
    // The review meeting's result is recorded by the district bureau; exactly the pass threshold (60.00) passes.
    const meeting = (await district.get(`/api/evaluation-rounds/${midId}`))
      .json()
      .assignments.find((x: { planProjectId: number }) => x.planProjectId === plan.projects[1]!.id);
    expect(
      (await evaluator.post(`/api/evaluation-assignments/${meeting.id}/conclude`, { scores: all(60), conclusion: 'x' })).statusCode,
    ).toBe(404);
    const res = await district.post(`/api/evaluation-assignments/${meeting.id}/conclude`, {
      scores: all(60),
      conclusion: '评审会意见：合格',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ scoreBp: 6000, grade: 'pass' });
    const after = await contractOf();
    expect(after.instalments.find((i) => i.condition === 'after_midterm_passed')!.conditionMet).toBe(true);
    expect(after.instalments.find((i) => i.condition === 'after_final_passed')!.conditionMet).toBe(false);
  });

  it('a 不合格 final grade fails the final condition and makes the provider ineligible next year', async () => {
    const org = await orgId();
    const a = await assign(finalId, plan.projects[0]!.id, org);
    expect((await city.get(`/api/providers/${provider.id}?year=2027`)).json().eligibility.eligible).toBe(true);
    // 59 on every item: 5900 < 6000 → 不合格.
    const res = await evaluator.post(`/api/evaluation-assignments/${a.id}/conclude`, {
      scores: all(59),
      conclusion: '未达到预期',
      problems: '服务台账缺失',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      grade: 'fail',
      gradeLabel: '不合格',
      closure: 'not_closed',
      effects: { ineligibleProviders: [provider.id], ineligibleYear: 2027 },
    });
    // [N 3.2] The failure voids the rest: the unpaid final instalment is void, the contract ends (issue 16).
    expect(res.json().effects.voidedContracts).toMatchObject([{ contractId, status: 'completed' }]);
    const c = await contractOf();
    expect(c.instalments.find((i) => i.condition === 'after_final_passed')).toMatchObject({ status: 'void', conditionMet: null });
    expect(c.ledger.outstandingFen).toBe(0);
    const e2027 = (await city.get(`/api/providers/${provider.id}?year=2027`)).json().eligibility;
    expect(e2027.eligible).toBe(false);
    expect(e2027.reasons[0]).toMatchObject({ source: 'final_evaluation', sourceRef: `evaluation_assignment:${a.id}` });
    expect((await city.get(`/api/providers/${provider.id}?year=2026`)).json().eligibility.eligible).toBe(true);
  });

  it('records evaluation fees on the non-fund account and refuses them on a fund account [N 3.12]', async () => {
    const ok = await district.post(`/api/evaluation-rounds/${finalId}/fees`, {
      amountFen: 800_000,
      paidOn: '2026-11-20',
      evaluatorOrgId: await orgId(),
      requestId: 'fee-1',
    });
    expect(ok.statusCode, ok.body).toBe(201);
    const [t] = await queryRows<{ code: string; debit: string; credit: string; amount: number }>(
      ctx,
      sql`
      select t.code, d.kind as debit, c.kind as credit, t.amount::int as amount from ledger_transfer t
      join ledger_account d on d.id = t.debit_account_id join ledger_account c on c.id = t.credit_account_id where t.id = ${ok.json().transferId}`,
    );
    expect(t).toEqual({ code: 'evaluation_fee', debit: 'evaluation_fee', credit: 'evaluation_fee', amount: 800_000 });
    const refused = await district.post(`/api/evaluation-rounds/${finalId}/fees`, {
      amountFen: 800_000,
      paidOn: '2026-11-20',
      chargeTo: 'community_fund',
      communityCode: FOUR,
    });
    expect([refused.statusCode, refused.json().code, refused.json().clause]).toEqual([422, 'EVALUATION_FEE_ON_FUND', '[N 3.12]']);
    const fees = (await district.get(`/api/evaluation-rounds/${finalId}`)).json().fees;
    expect(fees).toHaveLength(1);
  });
});

describe('district reports [N 3.2]', () => {
  it('compiles figures equal to the sums of the evaluations, files them frozen, and the city acknowledges', async () => {
    const created = await district.post('/api/district-reports', { fundYear: 2026, kind: 'final', districtCode: DISTRICT });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id;
    const assignments = (await district.get(`/api/evaluation-rounds/${finalId}`)).json().assignments as {
      status: string;
      budgetFen: number;
      grade: string | null;
      scoreBp: number | null;
      peopleCovered: number | null;
    }[];
    const concluded = assignments.filter((a) => a.status === 'concluded');
    const filed = await queryRows<{ n: number; budget: number }>(
      ctx,
      sql`
      select count(*)::int as n, coalesce(sum(pp.budget_fen), 0)::bigint as budget from plan_project pp join plan p on p.id = pp.plan_id
      where p.status = 'filed' and p.fund_year = 2026 and p.region_path like ${`2101/${DISTRICT}/%`}`,
    );
    const f = created.json().figures;
    expect(f.projectsFiled).toBe(filed[0]!.n);
    expect(f.budgetFiledFen).toBe(Number(filed[0]!.budget));
    expect(f.assigned).toBe(assignments.length);
    expect(f.concluded).toBe(concluded.length);
    expect(f.outstanding).toBe(assignments.length - concluded.length);
    expect(f.budgetEvaluatedFen).toBe(concluded.reduce((s, a) => s + a.budgetFen, 0));
    expect(f.byGrade.fail).toBe(concluded.filter((a) => a.grade === 'fail').length);
    expect(f.byGrade.excellent + f.byGrade.good + f.byGrade.pass + f.byGrade.fail).toBe(f.concluded);
    expect(f.averageScoreBp).toBe(Math.floor(concluded.reduce((s, a) => s + a.scoreBp!, 0) / concluded.length));
    expect(f.coveragePermille).toBe(Math.floor((concluded.length * 1000) / f.projectsFiled));
    expect(f.problems.map((p: { problems: string }) => p.problems)).toContain('服务台账缺失');

    // Drafts are the district's own; filing needs a narrative.
    expect((await city.get(`/api/district-reports/${id}`)).statusCode).toBe(404);
    expect((await district.post(`/api/district-reports/${id}/file`)).json().code).toBe('NARRATIVE_REQUIRED');
    expect((await district.patch(`/api/district-reports/${id}`, { narrative: '终期评估总体情况良好。' })).statusCode).toBe(200);
    const filedRes = await district.post(`/api/district-reports/${id}/file`);
    expect(filedRes.statusCode, filedRes.body).toBe(200);
    expect(filedRes.json()).toMatchObject({ status: 'filed', frozen: true, filedOn: '2026-11-27' });

    const xlsx = await district.get(`/api/district-reports/${id}/export`);
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe('PK');

    expect((await district.post(`/api/district-reports/${id}/acknowledge`, {})).statusCode).toBe(403);
    const ack = await city.post(`/api/district-reports/${id}/acknowledge`, { note: '已收悉' });
    expect(ack.statusCode, ack.body).toBe(200);
    expect(ack.json().status).toBe('acknowledged');
    expect((await city.get('/api/district-reports?fundYear=2026')).json().items.map((r: { id: number }) => r.id)).toContain(id);
  });
});

describe('spot checks and street supervision [N 4.3]', () => {
  it('draws a reproducible, stratified sample that anyone can redraw from the seed', async () => {
    const res = await city.post('/api/spot-checks', {
      fundYear: 2026,
      title: '测试抽查',
      unit: 'community',
      seed: 'seed-2026-A',
      size: 12,
      stratifyByDistrict: true,
    });
    expect(res.statusCode, res.body).toBe(201);
    const check = res.json();
    expect(check.sample).toHaveLength(12);
    const again = (
      await city.post('/api/spot-checks', {
        fundYear: 2026,
        title: '再抽',
        unit: 'community',
        seed: 'seed-2026-A',
        size: 12,
        stratifyByDistrict: true,
      })
    ).json();
    expect(again.sample.map((s: { key: string }) => s.key)).toEqual(check.sample.map((s: { key: string }) => s.key));
    // Stratification: each district's share is within one of its proportional quota, and the quotas add up.
    const total = check.strata.reduce((s: number, x: { population: number }) => s + x.population, 0);
    for (const s of check.strata) {
      expect(Math.abs(s.drawn * total - 12 * s.population)).toBeLessThan(total);
      expect(check.sample.filter((u: { districtCode: string }) => u.districtCode === s.stratum)).toHaveLength(s.drawn);
    }
    // Public, without signing in.
    const pub = await ctx.app.inject({ method: 'GET', url: `/api/public/spot-checks/${check.id}` });
    expect(pub.statusCode).toBe(200);
    expect(pub.json().redraw.matchesPublished).toBe(true);
    expect(pub.json().redraw.sample).toEqual(check.sample.map((s: { key: string }) => s.key));
    const other = (await ctx.app.inject({ method: 'GET', url: `/api/public/spot-checks/${check.id}?seed=another` })).json();
    expect(other.redraw.matchesPublished).toBe(false);
    expect(
      (await district.post('/api/spot-checks', { fundYear: 2026, title: 'x', unit: 'community', seed: 's', size: 1 })).statusCode,
    ).toBe(403);
  });

  it('follows a finding through rectification, response and closure, with a working-day deadline', async () => {
    const check = (
      await city.post('/api/spot-checks', { fundYear: 2026, title: '项目抽查', unit: 'project', seed: 'p-seed', sharePercent: 100 })
    ).json();
    const key = check.sample.find((s: { key: string }) => s.key === String(plan.projects[0]!.id));
    expect(key).toBeDefined();
    // The sampled project names its community: the console records the finding there (not on the project id).
    expect(key.communityCode).toBe(FOUR);
    const outside = await city.post(`/api/spot-checks/${check.id}/findings`, {
      communityCode: FOUR,
      planProjectId: 987654,
      description: 'x',
      demand: 'y',
      workdays: 5,
    });
    expect([outside.statusCode, outside.json().code]).toEqual([400, 'NOT_IN_SAMPLE']);
    const f = await city.post(`/api/spot-checks/${check.id}/findings`, {
      communityCode: FOUR,
      planProjectId: plan.projects[0]!.id,
      description: '公示不到位',
      demand: '补充公示',
      workdays: 10,
    });
    expect(f.statusCode, f.body).toBe(201);
    const expected = await ctx.app.services.calendar.addWorkdays('2026-11-27', 10);
    expect(f.json()).toMatchObject({ status: 'open', deadlineOn: expected, overdue: false });
    const id = f.json().id;
    expect((await city.post(`/api/findings/${id}/close`, { note: '核查' })).json().code).toBe('NO_RESPONSE');
    const resp = await plan.staff.post(`/api/findings/${id}/response`, { response: '已在公开栏补充公示' });
    expect([resp.statusCode, resp.json().status]).toEqual([200, 'responded']);
    expect((await plan.street.post(`/api/findings/${id}/close`, { note: 'x' })).statusCode).toBe(403);
    const closed = await city.post(`/api/findings/${id}/close`, { note: '经核查已整改' });
    expect([closed.statusCode, closed.json().status]).toEqual([200, 'closed']);
    // Street visits record findings the same way.
    const visit = await plan.street.post('/api/street-visits', {
      communityCode: FOUR,
      visitedOn: '2026-11-26',
      aspects: ['procedure', 'disclosure'],
      summary: '程序规范',
      findings: [{ description: '会议记录不全', demand: '补齐记录', workdays: 5 }],
    });
    expect(visit.statusCode, visit.body).toBe(201);
    expect(visit.json().findings[0]).toMatchObject({ source: 'street_visit', status: 'open' });
    const mine = (await plan.staff.get('/api/findings')).json().items.map((x: { id: number }) => x.id);
    expect(mine).toEqual(expect.arrayContaining([id, visit.json().findings[0].id]));
  });
});

describe('model cases [N 4.4] and the dashboard', () => {
  it('publishes a model case to the portal', async () => {
    const res = await district.post('/api/model-cases', {
      planProjectId: plan.projects[2]!.id,
      title: '四点半课堂',
      body: '做法与成效',
      results: '服务 300 人次',
      photos: [{ name: 'a.png', caption: '课堂' }],
    });
    expect(res.statusCode, res.body).toBe(201);
    const id = res.json().id;
    const pubBefore = (await ctx.app.inject({ method: 'GET', url: '/api/public/model-cases' }))
      .json()
      .items.map((c: { id: number }) => c.id);
    expect(pubBefore).not.toContain(id);
    const published = await district.post(`/api/model-cases/${id}/publish`, { published: true });
    expect(published.json()).toMatchObject({ published: true, publishedOn: '2026-11-27' });
    const portal = await ctx.app.services.modelCases.published(ctx.database.db, { communityCode: FOUR });
    expect(portal.map((c) => c.id)).toEqual([id]);
  });

  it('shows the funnel, grades and money in scope', async () => {
    const res = await city.get('/api/dashboard?fundYear=2026');
    expect(res.statusCode, res.body).toBe(200);
    const d = res.json();
    const counts = d.funnel.map((s: { communities: number }) => s.communities);
    for (let i = 1; i < counts.length; i++) expect(counts[i]).toBeLessThanOrEqual(counts[i - 1]);
    expect(d.funnel.find((s: { key: string }) => s.key === 'contracted').communities).toBeGreaterThan(0);
    const [g] = await queryRows<{ fail: number; concluded: number }>(
      ctx,
      sql`
      select count(*) filter (where a.grade = 'fail')::int as fail, count(*) filter (where a.status = 'concluded')::int as concluded
      from evaluation_assignment a join evaluation_round r on r.id = a.round_id where r.fund_year = 2026 and r.kind = 'final'`,
    );
    expect(d.grades.final.fail).toBe(g!.fail);
    expect(d.grades.final.excellent + d.grades.final.good + d.grades.final.pass + d.grades.final.fail).toBe(g!.concluded);
    expect(d.money.byDistrict.length).toBeGreaterThan(0);
    // Drill-down to the district lists its communities with their step.
    const drill = (await city.get(`/api/dashboard?fundYear=2026&code=${DISTRICT}`)).json();
    expect(drill.communities.find((c: { code: string }) => c.code === FOUR)).toMatchObject({ stepKey: 'final' });
    expect((await plan.staff.get('/api/dashboard?fundYear=2026')).statusCode).toBe(403);
  });
});
