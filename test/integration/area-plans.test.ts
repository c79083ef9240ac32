import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { AuthService } from '../../server/src/modules/auth/auth.service.js';
import { createTestApp, DEMO_PASSWORD, loginAs, queryRows, setToday, type TestContext } from '../helpers/app.js';
import { inTx } from '../helpers/factories-ledger.js';
import type { Client } from '../helpers/factories-needs.js';
import { compliantList, decidedCommunity, type PlanBody } from '../helpers/factories-plans.js';
import { draftContract, procure, registerProvider, type ContractBody } from '../helpers/factories-procurement.js';

process.env.NEEDS_SUBMIT_RATE_LIMIT = '10000';
process.env.OBJECTION_RATE_LIMIT = '10000';

const YEAR = 2026;

/** [N 2.3] Area plans end to end (ADR 0014): the draft's route and ceiling, members' procedure, shares through contracts and the portal. */
let ctx: TestContext;
interface Free {
  code: string;
  street: string;
  stars: number;
  allocated: number;
}
let free: Free[];

type AreaPlan = Omit<PlanBody, 'communities'> & {
  filingRoute: string;
  filingRouteLabel: string;
  communities: {
    code: string;
    allocationFen: number;
    budgetShareFen: number;
    missing: string[];
    coveragePermille: number | null;
    thresholdPermille: number;
  }[];
  decidedProjects: { decisionProjectId: number; communityCode: string; title: string; catalogueCode: string }[];
};

/** Communities of fund year 2026 with an allocation and nothing seeded yet (no plan, registry or campaign). */
async function freeCommunities(): Promise<Free[]> {
  return queryRows<Free>(
    ctx,
    sql`
    select r.code, r.parent_code as street, rt.stars, a.credits_posted::int as allocated
      from region r
      join rating rt on rt.community_code = r.code and rt.year = 2025
      join ledger_account a on a.kind = 'community_available' and a.fund_year = ${YEAR} and a.ref = r.code and a.credits_posted > 0
     where r.level = 'community'
       and not exists (select 1 from plan_community pc where pc.community_code = r.code)
       and not exists (select 1 from household h where h.community_code = r.code)
       and not exists (select 1 from needs_campaign n where n.community_code = r.code)
     order by r.code`,
  );
}

/** Gives a community and its street their demo-style accounts when the seed has none. */
async function ensureAccounts(codes: string[]) {
  const names = [...codes.map((c) => `community-${c}`), ...new Set(codes.map((c) => `street-${c.slice(0, 9)}`))];
  const have = await queryRows<{ username: string }>(ctx, sql`select username from app_user where username in ${names}`);
  const hash = await AuthService.hashPassword(DEMO_PASSWORD);
  const missing = names.filter((n) => !have.some((h) => h.username === n));
  await ctx.app.services.auth.insertUsers(
    missing.map((username) => {
      const community = username.startsWith('community-');
      return {
        username,
        displayName: username,
        role: community ? 'community' : 'street_office',
        scopeCode: username.split('-')[1]!,
        orgId: null,
        passwordHash: hash,
      };
    }),
  );
}

const available = async (code: string) =>
  (
    await queryRows<{ allocated: number; pending: number; posted: number }>(
      ctx,
      sql`select credits_posted::int as allocated, debits_pending::int as pending, debits_posted::int as posted
          from ledger_account where kind = 'community_available' and fund_year = ${YEAR} and ref = ${code}`,
    )
  )[0]!;

beforeAll(async () => {
  ctx = await createTestApp();
  free = await freeCommunities();
});
afterAll(async () => ctx?.close());

describe('demo seed: an area plan through filing with a contract on the members’ shares', () => {
  it('seeds a filed area plan of three communities whose contract each member funds in its share', async () => {
    const [seeded] = await queryRows<{ id: number; street_code: string; status: string }>(
      ctx,
      sql`select id, street_code, status from plan where kind = 'area' and status = 'filed' order by id limit 1`,
    );
    expect(seeded, 'a filed area plan').toBeDefined();
    const street = await loginAs(ctx.app, `street-${seeded!.street_code}`);
    const plan = (await street.get(`/api/plans/${seeded!.id}`)).json().plan as AreaPlan;
    expect(plan.communities).toHaveLength(3);
    expect(plan.communities.every((c) => c.missing.length === 0)).toBe(true);
    const shares = await queryRows<{ community_code: string; amount_fen: number; pending: number; posted: number }>(
      ctx,
      sql`select s.community_code, s.amount_fen::int as amount_fen, a.debits_pending::int as pending, a.debits_posted::int as posted
            from contract_share s join contract c on c.id = s.contract_id
            join ledger_account a on a.kind = 'contract' and a.ref = 'HT' || c.fund_year || '-' || lpad(c.id::text, 6, '0') || '/' || s.community_code
           order by s.community_code`,
    );
    expect(shares.map((x) => x.amount_fen)).toEqual([1_200_000, 1_000_000, 800_000]);
    // The first instalment (¥10,000) was paid from the three in proportion: 4:3.33:2.67.
    expect(shares.reduce((s, x) => s + x.posted, 0)).toBe(1_000_000);
  });
});

describe('area plan drafts [N 2.3]', () => {
  it('shows the filing route before approval (the city with a 5★ member, else the district) and the ceiling', async () => {
    const byStreet = new Map<string, Free[]>();
    for (const f of free) byStreet.set(f.street, [...(byStreet.get(f.street) ?? []), f]);
    const withFive = [...byStreet.values()].find((m) => m.length >= 2 && m.some((x) => x.stars === 5))!;
    expect(withFive, 'a street with a free 5★ community').toBeDefined();
    const members = [withFive.find((x) => x.stars === 5)!, withFive.find((x) => x.stars !== 5)!];
    await ensureAccounts(members.map((m) => m.code));
    const street = await loginAs(ctx.app, `street-${members[0]!.street}`);
    const res = await street.post('/api/plans', { fundYear: YEAR, communityCodes: members.map((m) => m.code) });
    expect(res.statusCode, res.body).toBe(200);
    const plan = res.json().plan as AreaPlan;
    expect(plan).toMatchObject({ status: 'draft', filingLevel: null, filingRoute: 'city', filingRouteLabel: '市民政局' });
    expect(plan.allocationFen).toBe(members[0]!.allocated + members[1]!.allocated);
    // Each member: no campaign, no decision yet, against the policy's 30%.
    for (const c of plan.communities)
      expect(c).toMatchObject({ coveragePermille: null, thresholdPermille: 300, missing: ['needs', 'decision'] });
  });
});

describe('an area plan of three communities through filing and a shared contract [N 2.3]', () => {
  let members: Free[];
  let street: Client;
  let plan: AreaPlan;

  beforeAll(async () => {
    const byStreet = new Map<string, Free[]>();
    for (const f of free) byStreet.set(f.street, [...(byStreet.get(f.street) ?? []), f]);
    const candidates = [...byStreet.values()].find((m) => m.filter((x) => x.stars !== 5).length >= 3)!;
    members = candidates.filter((x) => x.stars !== 5).slice(0, 3);
    await ensureAccounts(members.map((m) => m.code));
    street = await loginAs(ctx.app, `street-${members[0]!.street}`);
    // Two members decide their own lists; the third has done nothing yet.
    for (const m of members.slice(0, 2)) await decidedCommunity(ctx, m.code, '2026-09-10', compliantList(m.stars === 4 ? 4 : 1));
  }, 240_000);

  it('the draft is filed with the district; the ceiling is the members’ allocations', async () => {
    setToday(ctx.app, '2026-09-25');
    const res = await street.post('/api/plans', { fundYear: YEAR, communityCodes: members.map((m) => m.code) });
    expect(res.statusCode, res.body).toBe(200);
    plan = res.json().plan;
    expect(plan).toMatchObject({ kind: 'area', filingLevel: null, filingRoute: 'district', filingRouteLabel: '区（县、市）民政局' });
    expect(plan.allocationFen).toBe(members.reduce((s, m) => s + m.allocated, 0));
  });

  it('refuses submission naming the member without its own needs coverage and decision', async () => {
    const res = await street.post(`/api/plans/${plan.id}/submit`);
    expect(res.statusCode).toBe(422);
    const body = res.json();
    expect(body).toMatchObject({ code: 'AREA_MEMBER_PROCEDURE', clause: '[N 2.3]' });
    expect(body.details.members.map((m: { code: string }) => m.code)).toEqual([members[2]!.code]);
    expect(body.message).toContain('需求征集覆盖率未达标');
    expect(body.messageEn).toContain(members[2]!.code);
    const view = (await street.get(`/api/plans/${plan.id}`)).json().plan as AreaPlan;
    const byCode = Object.fromEntries(view.communities.map((c) => [c.code, c.missing]));
    expect(byCode).toEqual({ [members[0]!.code]: [], [members[1]!.code]: [], [members[2]!.code]: ['needs', 'decision'] });
  });

  it('accepts it once every member has its procedure, with a project shared in declared shares; the district files it', async () => {
    const { windowEnd } = await decidedCommunity(ctx, members[2]!.code, '2026-09-26', compliantList(members[2]!.stars === 4 ? 4 : 1));
    setToday(ctx.app, windowEnd > '2026-10-12' ? windowEnd : '2026-10-12');
    const view = (await street.get(`/api/plans/${plan.id}`)).json().plan as AreaPlan;
    const [a, b] = [members[0]!.code, members[1]!.code];
    const inPlan = new Set(view.projects.map((p) => p.decisionProjectId));
    const added = view.decidedProjects.filter((d) => !inPlan.has(d.decisionProjectId));
    const projects = [
      ...view.projects.map((p) => ({ ...p, budgetFen: 400_000, shares: undefined })),
      ...added.map((d) => ({
        decisionProjectId: d.decisionProjectId,
        title: d.title,
        catalogueCode: d.catalogueCode,
        communityCodes: [d.communityCode],
        budgetFen: 400_000,
      })),
    ].map((p) => ({
      decisionProjectId: p.decisionProjectId,
      title: p.title,
      catalogueCode: p.catalogueCode,
      budgetFen: p.budgetFen,
      communityCodes: p.communityCodes,
      providerKind: 'social_organisation',
      procedureType: 'small_direct',
    }));
    // The first member's E5 project serves the first two members: ¥30,000 shared 2:1.
    const shared = projects.find((p) => p.catalogueCode === 'E5' && p.communityCodes[0] === a)!;
    Object.assign(shared, {
      title: '片区幸福餐桌老年助餐',
      budgetFen: 3_000_000,
      communityCodes: [a, b],
      procedureType: 'competitive_consultation',
    });
    // The second member's own E5 project gives way to the shared one (else a duplicate investment [N 4.1]).
    projects.splice(
      projects.findIndex((p) => p.catalogueCode === 'E5' && p.communityCodes[0] === b),
      1,
    );
    const bad = await street.put(`/api/plans/${plan.id}`, { projects });
    expect([bad.statusCode, bad.json().field]).toEqual([400, `projects/${projects.indexOf(shared)}/shares`]);
    Object.assign(shared, {
      shares: [
        { communityCode: a, shareFen: 2_000_000 },
        { communityCode: b, shareFen: 1_000_000 },
      ],
    });
    const saved = await street.put(`/api/plans/${plan.id}`, { projects });
    expect(saved.statusCode, saved.body).toBe(200);
    const after = saved.json().plan as AreaPlan;
    expect(after.compliance.rules.filter((r) => !r.passed)).toEqual([]);
    expect(after.communities.find((c) => c.code === b)!.budgetShareFen).toBe(
      1_000_000 + 400_000 * projects.filter((p) => p.communityCodes.length === 1 && p.communityCodes[0] === b).length,
    );
    const submitted = await street.post(`/api/plans/${plan.id}/submit`);
    expect(submitted.statusCode, submitted.body).toBe(200);
    const approved = await street.post(`/api/plans/${plan.id}/review`, { outcome: 'approve' });
    expect(approved.json().plan.filingLevel).toBe('district');
    const district = await loginAs(ctx.app, `district-${a.slice(0, 6)}`);
    const filed = await district.post(`/api/plans/${plan.id}/filing`, { outcome: 'file' });
    expect(filed.json().plan.status, filed.body).toBe('filed');
    plan = filed.json().plan;
  });

  it("commits and pays an area contract from the members' allocations in the declared shares; a member short of funds refuses it", async () => {
    const [a, b] = [members[0]!.code, members[1]!.code];
    const project = plan.projects.find((p) => p.communityCodes.length === 2)!;
    const { provider, client: prov } = await registerProvider(ctx, {
      name: '片区社工服务中心',
      stem: '522101000MJA00001',
      username: 'area-provider',
    });
    const proc = await procure(street, members[0]!.street, [project.id], provider.id);
    const draft = await draftContract(
      street,
      proc.id,
      a,
      3_000_000,
      [
        { condition: 'on_signing', amountFen: 1_000_001 },
        { condition: 'on_signing', amountFen: 1_999_999 },
      ],
      [project.id],
    );
    const [beforeA, beforeB] = [await available(a), await available(b)];
    // Member b has less left than its ¥10,000 part: signing is refused and nothing is committed for anyone.
    const room = beforeB.allocated - beforeB.pending - beforeB.posted;
    await inTx(ctx.app, (tx, l) =>
      l.commit(tx, { id: 'test:area-other', fundYear: YEAR, communityCode: b, contractRef: 'TEST-AREA-OTHER', amount: room - 999_999 }),
    );
    const refused = await street.post(`/api/contracts/${draft.id}/sign`, {});
    expect(refused.statusCode, refused.body).toBe(422);
    expect((await available(a)).pending).toBe(beforeA.pending);
    await inTx(ctx.app, (tx, l) => l.voidPending(tx, { id: 'test:area-other:void', pendingId: 'test:area-other' }));

    const signed = await street.post(`/api/contracts/${draft.id}/sign`, {});
    expect(signed.statusCode, signed.body).toBe(200);
    const c = signed.json() as ContractBody & {
      ledger: { shares: { communityCode: string; communityName: string; amountFen: number; outstandingFen: number }[] };
    };
    expect(c.ledger.shares.map((s) => [s.communityCode, s.amountFen])).toEqual([
      [a, 2_000_000],
      [b, 1_000_000],
    ]);
    // The console shows each member by its name, not its code.
    const nameOf = async (code: string) =>
      (await queryRows<{ name: string }>(ctx, sql`select name from region where code = ${code}`))[0]!.name;
    expect(c.ledger.shares.map((s) => s.communityName)).toEqual([await nameOf(a), await nameOf(b)]);
    expect((await available(a)).pending).toBe(beforeA.pending + 2_000_000);
    expect((await available(b)).pending).toBe(beforeB.pending + 1_000_000);

    for (const inst of c.instalments) {
      const req = await prov!.post(`/api/instalments/${inst.id}/requests`, {});
      expect(req.statusCode, req.body).toBe(201);
      const ok = await street.post(`/api/payment-requests/${req.json().id}/approve`, {});
      expect(ok.statusCode, ok.body).toBe(200);
      if (inst.seq === 1) {
        // ¥10,000.01 split 2:1 by what each still has committed, the odd fen to the larger remainder.
        expect((await available(a)).posted - beforeA.posted).toBe(666_667);
        expect((await available(b)).posted - beforeB.posted).toBe(333_334);
      }
    }
    const [endA, endB] = [await available(a), await available(b)];
    expect([endA.posted - beforeA.posted, endA.pending - beforeA.pending]).toEqual([2_000_000, 0]);
    expect([endB.posted - beforeB.posted, endB.pending - beforeB.pending]).toEqual([1_000_000, 0]);

    // Each member's fund view, the portal page of each member, and the invariants.
    const member = await loginAs(ctx.app, `community-${b}`);
    const listed = (await member.get(`/api/contracts?fundYear=${YEAR}`)).json().items as { id: number }[];
    expect(listed.map((x) => x.id)).toContain(draft.id);
    for (const [code, part] of [
      [a, 2_000_000],
      [b, 1_000_000],
    ] as const) {
      const page = (await ctx.app.inject({ method: 'GET', url: `/api/public/portal/communities/${code}?year=${YEAR}` })).json();
      const shown = (page.contracts as { id: number; shares: { communityCode: string; amountFen: number; paidFen: number }[] }[]).find(
        (x) => x.id === draft.id,
      );
      expect(shown?.shares.find((s) => s.communityCode === code)).toEqual({ communityCode: code, amountFen: part, paidFen: part });
    }
    const checks = await ctx.database.db.transaction((tx) => ctx.app.services.invariants.crossTableChecks(tx));
    expect(checks.filter((x) => !x.ok)).toEqual([]);
    expect((await ctx.app.services.ledger.verify()).ok).toBe(true);
  });
});
