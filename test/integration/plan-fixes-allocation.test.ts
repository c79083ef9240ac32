import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestApp, loginAs, queryRows, type TestContext } from '../helpers/app.js';
import { DEMO_WALK } from '../../server/src/seed/demo-walk.js';

/**
 * Issue 19: the compliance list names machine-readable fixes (the plan editor links to them), and
 * the decision and its public notice state the decided list against the community's allocation [N 1].
 */
/** demo-decisions.ts: the suspended notice's community, unrated, kept to show the warning. */
const SUSPENDED_UNRATED = '210112019003';

interface Fix {
  kind: string;
  communityCode: string | null;
  decisionId: number | null;
  catalogueCodes: string[];
  count: number | null;
  amountFen: number | null;
}
interface Rule {
  rule: string;
  passed: boolean;
  fixes: Fix[];
}
interface Allocation {
  allocationFen: number;
  totalFen: number;
  excessFen: number;
  clause: string;
  message: string;
}

describe('plan fixes and notices against the allocation (demo)', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestApp();
  });
  afterAll(async () => ctx?.close());

  it('the failing demo plan /plans/1 names its fixes: basic items from the catalogue, and a new decision when the decided list is too short', async () => {
    const [plan] = await queryRows<{ id: number; community_code: string }>(ctx, sql`select id, community_code from plan where id = 1`);
    const community = await loginAs(ctx.app, `community-${plan!.community_code}`);
    const res = await community.get('/api/plans/1/compliance');
    expect(res.statusCode, res.body).toBe(200);
    const rules = (res.json() as { rules: Rule[] }).rules;
    for (const r of rules) if (r.passed) expect(r.fixes, r.rule).toEqual([]);
    const basic = rules.find((r) => r.rule === 'basic_projects')!;
    expect(basic.passed).toBe(false);
    expect(basic.fixes).toEqual([
      expect.objectContaining({ kind: 'add_catalogue', communityCode: plan!.community_code, catalogueCodes: ['B2', 'B3'] }),
    ]);
    const enhancement = rules.find((r) => r.rule === 'enhancement_minimum')!;
    expect(enhancement.passed).toBe(false);
    const [decision] = await queryRows<{ id: number }>(
      ctx,
      sql`select id from decision where community_code = ${plan!.community_code} and status <> 'rejected'`,
    );
    const reopen = enhancement.fixes.find((f) => f.kind === 'reopen_decision')!;
    expect(reopen).toMatchObject({ communityCode: plan!.community_code, decisionId: decision!.id });
    expect(reopen.count).toBeGreaterThan(0);
    // The server stays the authority: the plan cannot be submitted.
    expect((await community.post('/api/plans/1/submit', {})).statusCode).toBe(422);
  });

  it('no demo decision notices more than its community is allocated; the view states allocation and excess', async () => {
    const city = await loginAs(ctx.app, 'city');
    const ids = await queryRows<{ id: number }>(ctx, sql`select distinct decision_id id from decision_notice order by 1`);
    expect(ids.length).toBeGreaterThan(3);
    const exceeding: string[] = [];
    for (const { id } of ids) {
      const d = (await city.get(`/api/decisions/${id}`)).json() as { decision: { communityCode: string; allocation: Allocation } };
      if (d.decision.allocation.excessFen > 0) {
        exceeding.push(d.decision.communityCode);
        expect(d.decision.allocation.message).toContain('超出');
      } else expect(d.decision.allocation.message).toBe('');
    }
    // The one labelled case of the seed (demo-decisions.ts): the suspended notice of an unrated community.
    expect(exceeding).toEqual([SUSPENDED_UNRATED]);
    // 光荣西社区's open notice: its public view states the allocation too.
    const council = await loginAs(ctx.app, DEMO_WALK.noticeCommunity.username);
    const mine = (await council.get('/api/decisions')).json() as { items: { notice: { id: number; totalBudgetFen: number } | null }[] };
    const notice = mine.items.find((d) => d.notice)!.notice!;
    const pub = (await ctx.app.inject({ method: 'GET', url: `/api/public/decisions/notices/${notice.id}` })).json() as {
      allocation: Allocation;
    };
    expect(pub.allocation).toMatchObject({ totalFen: notice.totalBudgetFen, excessFen: 0, allocationFen: 5_000_000 });
  });

  it('a list above the allocation is warned on the decision and stated on the public notice', async () => {
    const council = await loginAs(ctx.app, DEMO_WALK.noticeCommunity.username);
    const mine = (await council.get('/api/decisions')).json() as { items: { id: number; notice: { id: number } | null }[] };
    const d = mine.items.find((x) => x.notice)!;
    // Raise one noticed project's estimate to ¥135,000 in all (as the old seed did).
    await queryRows(
      ctx,
      sql`update decision_project set estimated_budget_fen = estimated_budget_fen + 10000000 where id = (select min(id) from decision_project where decision_id = ${d.id})`,
    );
    await queryRows(
      ctx,
      sql`update decision_notice set projects = jsonb_set(projects, '{0,estimatedBudgetFen}', ((projects->0->>'estimatedBudgetFen')::bigint + 10000000)::text::jsonb) where id = ${d.notice!.id}`,
    );
    const view = (await council.get(`/api/decisions/${d.id}`)).json() as { decision: { allocation: Allocation } };
    expect(view.decision.allocation.excessFen).toBe(view.decision.allocation.totalFen - 5_000_000);
    expect(view.decision.allocation.excessFen).toBeGreaterThan(0);
    const pub = (await ctx.app.inject({ method: 'GET', url: `/api/public/decisions/notices/${d.notice!.id}` })).json() as {
      allocation: Allocation;
    };
    expect(pub.allocation.message).toMatch(
      /^决策项目合计 ¥[\d,]+，超出本社区年度奖补额度 ¥50,000，超出 ¥[\d,]+；超出部分须由其他资金解决或在使用方案中调减$/,
    );
    expect(pub.allocation.clause).toBe('[N 1]');
  });
});
