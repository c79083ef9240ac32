import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestApp, loginAs, queryRows, setToday, type TestContext } from '../helpers/app.js';
import { identityOf, makeHouseholds, openCampaign, registerHouseholds, submitOnline, type Client } from '../helpers/factories-needs.js';
import { draftContract, filedPlan, procure, registerProvider, type FiledPlan } from '../helpers/factories-procurement.js';

/**
 * The read model (ADR 0023): after each write made through the API, the community's progress row
 * holds the new figures, and equals its recomputation from the source tables (no difference
 * anywhere); a row edited by hand is named by the check.
 */

/** A 4★ community of the demo city, nothing started for fund year 2026. */
const FOUR = '210105001001';

let ctx: TestContext;

const row = async (code: string, year = 2026) => {
  const r = await ctx.app.services.progress.row(code, year);
  expect(r, `progress row of ${code}/${year}`).toBeDefined();
  return r!;
};
/** Every stored row equals its recomputation (the `progress_matches_sources` check of `npm run verify`). */
const consistent = async () => expect(await ctx.app.services.progress.differences()).toEqual([]);

beforeAll(async () => {
  ctx = await createTestApp();
}, 120_000);
afterAll(async () => ctx?.close());

describe('community progress rows kept by the writers', () => {
  it('has a row per rated community, consistent after the demo seed', async () => {
    const [counts] = await queryRows<{ rows: number; rated: number }>(
      ctx,
      sql`select (select count(*)::int from community_progress where fund_year = 2026) as rows,
                 (select count(*)::int from rating where year = 2025) as rated`,
    );
    expect(counts!.rows).toBe(counts!.rated);
    expect(await row(FOUR)).toMatchObject({ step: 0, campaignStatus: null, answeredHouseholds: 0, planStatus: null, contractedFen: 0 });
    await consistent();
  });

  it('counts registered households and answers as they are written, a campaign moving the step', async () => {
    // Another rated community with its own account and no campaign, for the needs counts.
    const [free] = await queryRows<{ code: string }>(
      ctx,
      sql`select r.community_code as code from rating r join app_user u on u.scope_code = r.community_code and u.role = 'community'
          where r.year = 2025 and r.community_code <> ${FOUR}
            and not exists (select 1 from needs_campaign c where c.community_code = r.community_code and c.fund_year = 2026)
          order by r.community_code limit 1`,
    );
    const OTHER = free!.code;
    const staff = await loginAs(ctx.app, `community-${OTHER}`);
    const before = await row(OTHER);
    const households = makeHouseholds(3, 'PR');
    await registerHouseholds(staff, OTHER, households);
    expect((await row(OTHER)).registeredHouseholds).toBe(before.registeredHouseholds + 3);

    const campaign = await openCampaign(staff, ctx.app, OTHER, { fundYear: 2026 });
    expect(await row(OTHER)).toMatchObject({ step: 1, campaignStatus: 'open', answeredHouseholds: 0 });

    const res = await submitOnline(ctx.app, campaign.id, { ...identityOf(households[0]!), choices: ['E1'] });
    expect(res.statusCode, res.body).toBe(200);
    expect((await row(OTHER)).answeredHouseholds).toBe(1);
    // The same household again is refused: the count does not move.
    await submitOnline(ctx.app, campaign.id, { ...identityOf(households[0]!), choices: ['E3'] });
    expect((await row(OTHER)).answeredHouseholds).toBe(1);
    await consistent();
  });

  describe('through decision, plan, contract and payment', () => {
    let plan: FiledPlan;
    let provider: { id: number };
    let provClient: Client;

    beforeAll(async () => {
      plan = await filedPlan(ctx, FOUR, 4);
      setToday(ctx.app, '2026-10-20');
      ({ provider, client: provClient } = (await registerProvider(ctx, {
        name: '读模型测试社会工作服务中心',
        stem: '52210105MJ0000044',
        username: 'prov-progress',
      })) as { provider: { id: number }; client: Client });
    }, 180_000);

    it('a filed plan: step filed, the plan and its budget', async () => {
      const r = await row(FOUR);
      expect(r).toMatchObject({
        step: 3,
        decisionStatus: expect.stringMatching(/^(noticed|ready_for_review)$/),
        planId: plan.planId,
        planStatus: 'filed',
      });
      expect(r.plannedFen).toBe(plan.projects.reduce((s, p) => s + p.budgetFen, 0));
      expect(r.reviewDueOn).toBeNull();
      await consistent();
    });

    it('a signed contract: step contracted, the amount contracted and committed; a paid instalment: paid', async () => {
      const project = plan.projects[0]!;
      const before = await row(FOUR);
      const proc = await procure(plan.staff, FOUR, [project.id], provider.id);
      const draft = await draftContract(plan.staff, proc.id, FOUR, project.budgetFen, [
        { condition: 'on_signing', amountFen: project.budgetFen },
      ]);
      // A draft commits nothing.
      expect(await row(FOUR)).toMatchObject({ step: 3, contractedFen: 0, committedFen: before.committedFen });
      const signed = await plan.staff.post(`/api/contracts/${draft.id}/sign`, { signedOn: '2026-10-20' });
      expect(signed.statusCode, signed.body).toBe(200);
      const afterSigning = await row(FOUR);
      expect(afterSigning).toMatchObject({
        step: 4,
        contractedFen: project.budgetFen,
        committedFen: before.committedFen + project.budgetFen,
        availableFen: before.availableFen - project.budgetFen,
        allocatedFen: before.allocatedFen,
      });
      await consistent();

      const instalment = (signed.json() as { instalments: { id: number }[] }).instalments[0]!;
      const req = await provClient.post(`/api/instalments/${instalment.id}/requests`, { note: '合同已签订' });
      expect(req.statusCode, req.body).toBe(201);
      const ok = await plan.street.post(`/api/payment-requests/${req.json().id}/approve`, {});
      expect(ok.statusCode, ok.body).toBe(200);
      expect(await row(FOUR)).toMatchObject({
        paidFen: before.paidFen + project.budgetFen,
        committedFen: before.committedFen,
        allocatedFen: before.allocatedFen,
        availableFen: before.availableFen - project.budgetFen,
      });
      await consistent();
    });

    it('the dashboard and money by stars read the rows', async () => {
      const city = await loginAs(ctx.app, 'city');
      const dash = (await city.get(`/api/dashboard?fundYear=2026&code=210105`)).json() as {
        communities: { code: string; stepKey: string }[];
      };
      expect(dash.communities.find((c) => c.code === FOUR)?.stepKey).toBe('contracted');
      const stars = (await city.get('/api/funds/2026/regions/210105/by-stars')).json() as {
        rows: { total: { paid: number; committed: number } }[];
      };
      const [sums] = await queryRows<{ paid: number; committed: number }>(
        ctx,
        sql`select sum(paid_fen)::int as paid, sum(committed_fen)::int as committed from community_progress
            where fund_year = 2026 and district_code = '210105' and account_id is not null`,
      );
      expect(stars.rows[0]!.total).toMatchObject({ paid: sums!.paid, committed: sums!.committed });
    });
  });

  it('the city dashboard sends its districts a page at a time, the funnel and money total for the whole scope', async () => {
    const city = await loginAs(ctx.app, 'city');
    type Page = {
      funnel: { communities: number }[];
      byDistrict: { districtCode: string }[];
      districtPage: { offset: number; limit: number; total: number };
      money: { total: { allocated: number }; byDistrict: { districtCode: string; total: { allocated: number } }[] };
    };
    const all = (await city.get('/api/dashboard?fundYear=2026')).json() as Page;
    const page = (await city.get('/api/dashboard?fundYear=2026&districtOffset=1&districtLimit=2')).json() as Page;
    expect(page.districtPage).toEqual({ offset: 1, limit: 2, total: all.byDistrict.length });
    expect(page.byDistrict).toEqual(all.byDistrict.slice(1, 3));
    const codes = page.byDistrict.map((d) => d.districtCode);
    expect(page.money.byDistrict.every((d) => codes.includes(d.districtCode))).toBe(true);
    expect(page.funnel).toEqual(all.funnel);
    expect(page.money.total).toEqual(all.money.total);
    expect(all.money.total.allocated).toBe(all.money.byDistrict.reduce((s, d) => s + d.total.allocated, 0));
  });

  it('verify names a row edited by hand: community, year, field, stored and recomputed', async () => {
    const before = await row(FOUR);
    await ctx.database.db.execute(
      sql`update community_progress set contracted_fen = contracted_fen + 1, step = 0 where community_code = ${FOUR} and fund_year = 2026`,
    );
    try {
      expect(await ctx.app.services.progress.differences()).toEqual([
        {
          communityCode: FOUR,
          fundYear: 2026,
          field: 'contracted_fen',
          stored: before.contractedFen + 1,
          recomputed: before.contractedFen,
        },
        { communityCode: FOUR, fundYear: 2026, field: 'step', stored: 0, recomputed: before.step },
      ]);
      const check = await ctx.app.services.invariants.check('progress_matches_sources');
      expect(check.ok).toBe(false);
      expect(check.firstOffender).toMatchObject({ table: 'community_progress', id: `${FOUR}/2026` });
    } finally {
      await ctx.app.services.progress.refresh(ctx.database.db, FOUR, 2026);
    }
    expect(await row(FOUR)).toEqual(before);
    await consistent();
  });
});
