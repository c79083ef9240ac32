import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestApp, loginAs, queryRows, setToday, type TestContext } from '../helpers/app.js';

/**
 * Issue 19: when the decided list is too short, the community puts its concluded decision back to
 * the council for more projects [N 3.1.2(1)]: a new round of the same decision (the old round's vote
 * and notice kept), a new 10-day notice, and no plan submission until that notice has closed.
 */
interface Fix {
  kind: string;
  decisionId: number | null;
}
interface Rule {
  rule: string;
  passed: boolean;
  fixes: Fix[];
}
interface DecisionView {
  id: number;
  status: string;
  round: number;
  projects: { id: number; category: string; passed: boolean | null }[];
  notices: { id: number; round: number; status: string; windowEnd: string }[];
  records: { step: string; label: string }[];
}

describe('reopen a concluded decision for more projects (demo /plans/1)', () => {
  let ctx: TestContext;
  let communityCode: string;
  let decisionId: number;
  beforeAll(async () => {
    ctx = await createTestApp({ today: '2026-06-01' });
    const [plan] = await queryRows<{ community_code: string }>(ctx, sql`select community_code from plan where id = 1`);
    communityCode = plan!.community_code;
    const [d] = await queryRows<{ id: number; campaign_id: number }>(
      ctx,
      sql`select id, campaign_id from decision where community_code = ${communityCode} and status <> 'rejected'`,
    );
    decisionId = d!.id;
    // The community listed three more enhancement proposals on its campaign after the first round.
    await queryRows(
      ctx,
      sql`insert into needs_proposal (campaign_id, title, catalogue_code, estimated_budget_fen, source, status, rank)
          values (${d!.campaign_id}, '楼道微更新', 'E1', 300000, 'committee', 'listed', 5),
                 (${d!.campaign_id}, '社区文化节', 'E2', 300000, 'committee', 'listed', 6),
                 (${d!.campaign_id}, '邻里互助小组', 'E4', 300000, 'committee', 'listed', 7)`,
    );
  });
  afterAll(async () => ctx?.close());

  it('other roles are refused (403); two concurrent reopens open one round (409 for the other); the old round is kept', async () => {
    const city = await loginAs(ctx.app, 'city');
    expect((await city.post(`/api/decisions/${decisionId}/reopen`, { reason: '提升类项目不足' })).statusCode).toBe(403);

    const community = await loginAs(ctx.app, `community-${communityCode}`);
    const before = (await community.get('/api/plans/1/compliance')).json() as { rules: Rule[] };
    expect(before.rules.find((r) => r.rule === 'enhancement_minimum')!.fixes.map((f) => f.kind)).toContain('reopen_decision');

    const results = await Promise.all([
      community.post(`/api/decisions/${decisionId}/reopen`, { reason: '提升类项目不足星级最低数量' }),
      community.post(`/api/decisions/${decisionId}/reopen`, { reason: '提升类项目不足星级最低数量' }),
    ]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    expect(results.find((r) => r.statusCode === 409)!.json().code).toBe('DECISION_NOT_REOPENABLE');
    const d = results.find((r) => r.statusCode === 200)!.json().decision as DecisionView;
    expect(d).toMatchObject({ status: 'suspended', round: 1 });
    // The old round's notice stays; the campaign's new proposals are on the list, not yet voted.
    expect(d.notices.map((n) => [n.round, n.status])).toEqual([[1, 'closed']]);
    expect(d.projects).toHaveLength(7);
    expect(d.projects.slice(4).map((p) => p.passed)).toEqual([null, null, null]);
    const audit = await queryRows<{ action: string }>(
      ctx,
      sql`select action from audit_event where entity_type = 'decision' and entity_id = ${String(decisionId)} and action = 'decision.reopen'`,
    );
    expect(audit).toHaveLength(1);
    // Until the new round's notice has closed the plan cannot be submitted.
    expect((await community.post('/api/plans/1/submit', {})).statusCode).toBe(422);
  });

  it('after the council votes more projects and the new notice closes, the picker offers them and the reopen fix is gone', async () => {
    const community = await loginAs(ctx.app, `community-${communityCode}`);
    const view = (await community.get(`/api/decisions/${decisionId}`)).json().decision as DecisionView;
    const roster = (await community.get(`/api/regions/${communityCode}/roster?on=2026-06-01`)).json() as {
      members: { householdNo: string; name: string; isCouncilMember: boolean }[];
    };
    const council = roster.members.filter((m) => m.isCouncilMember).map((m) => ({ householdNo: m.householdNo, name: m.name }));
    expect(council.length).toBeGreaterThan(0);
    const res = await community.post(`/api/decisions/${decisionId}/revote`, {
      body: 'council',
      heldOn: '2026-06-01',
      presentMembers: council,
      minutes: '居民议事会对增补项目重新表决',
      votes: view.projects.map((p) => ({ projectId: p.id, for: council.length, against: 0, abstain: 0 })),
    });
    expect(res.statusCode, res.body).toBe(200);
    const d = res.json().decision as DecisionView;
    expect(d).toMatchObject({ status: 'noticed', round: 2 });
    expect(d.records.at(-1)).toMatchObject({ step: 'reopen_revote', label: '重新提交议事会表决（增补项目）' });
    expect(d.notices.map((n) => [n.round, n.status])).toEqual([
      [1, 'voided'],
      [2, 'open'],
    ]);
    // During the new notice the draft may take them (as after any vote), but the plan cannot be submitted.
    const newIds = d.projects.slice(4).map((p) => p.id);
    const submit = await community.post('/api/plans/1/submit', {});
    expect(submit.statusCode).toBe(422);
    const during = (await community.get('/api/plans/1/compliance')).json() as { rules: Rule[] };
    expect(during.rules.find((r) => r.rule === 'council_decision')!.passed).toBe(false);

    const windowEnd = d.notices[1]!.windowEnd;
    setToday(ctx.app, '2026-07-01');
    expect(windowEnd < '2026-07-01').toBe(true);
    const after = (await community.get('/api/plans/1')).json() as { plan: { decidedProjects: { decisionProjectId: number }[] } };
    expect(after.plan.decidedProjects.map((x) => x.decisionProjectId)).toEqual(expect.arrayContaining(newIds));
    const compliance = (await community.get('/api/plans/1/compliance')).json() as { rules: Rule[] };
    const enhancement = compliance.rules.find((r) => r.rule === 'enhancement_minimum')!;
    expect(enhancement.fixes.map((f) => f.kind)).toEqual(['add_decided']);
    expect(compliance.rules.find((r) => r.rule === 'council_decision')!.passed).toBe(true);
  });

  it('a community whose plan was already submitted is refused', async () => {
    const community = await loginAs(ctx.app, `community-${communityCode}`);
    await queryRows(ctx, sql`update plan set status = 'submitted' where id = 1`);
    const res = await community.post(`/api/decisions/${decisionId}/reopen`, { reason: '再增补' });
    expect(res.statusCode, res.body).toBe(409);
    expect(res.json()).toMatchObject({ code: 'DECISION_PLAN_SUBMITTED', clause: '[N 3.1.2(1)]' });
    await queryRows(ctx, sql`update plan set status = 'draft' where id = 1`);
    // With the plan back in draft the same decision may be reopened again (round 3 follows).
    expect((await community.post(`/api/decisions/${decisionId}/reopen`, { reason: '再增补' })).statusCode).toBe(200);
  });
});
