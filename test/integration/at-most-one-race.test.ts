import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { verifyAll } from '../../server/src/modules/invariants/invariants.service.js';
import type { LightMyRequestResponse } from 'fastify';
import { buildApp, type App } from '../../server/src/app.js';
import { openDatabase, type Database } from '../../server/src/db/client.js';
import { asDomainError } from '../../server/src/common/at-most-one.js';
import { DomainError } from '../../server/src/common/errors.js';
import { as, createTestApp, login, queryRows, setTestNow, setToday, type TestContext } from '../helpers/app.js';
import { freeCommunityCodes, noticedDecision, objectOnline, readyCommunity } from '../helpers/factories-decisions.js';
import { identityOf, makeHouseholds, openCampaign, registerHouseholds, submitOnline, type Client } from '../helpers/factories-needs.js';
import { compliantList, createPlan, decidedCommunity } from '../helpers/factories-plans.js';
import { draftContract, filedPlan, procure, registerProvider, type FiledPlan } from '../helpers/factories-procurement.js';

process.env.NEEDS_SUBMIT_RATE_LIMIT = '10000';
process.env.OBJECTION_RATE_LIMIT = '10000';

/**
 * Every at-most-one rule of docs/invariants.md, raced: 20 identical requests at the same moment,
 * split across two app instances on one PostgreSQL database (with DATABASE_URL), or all on the
 * one PGlite instance (which serialises them). Exactly one succeeds and the others get the rule's
 * 409 with its code and clause — never a 500, never a second row. Where the rule is "a retry
 * answers the first result" (conflict: null), every request answers the same id.
 */
const N = 20;
const FOUR = '210105001001';
const DISTRICT = FOUR.slice(0, 6);

interface Race {
  send(i: number, instance: 0 | 1): Promise<LightMyRequestResponse>;
  /** Rows the rule allows at most one of. */
  rows(): Promise<number>;
}

interface Rule {
  rule: string;
  clause: string;
  /** Status of the winner (of every request where conflict is null). */
  ok: number;
  /** The loser's 409 code, or null when a repeat answers the first result. */
  conflict: string | null;
  /** For conflict null: what must be the same in every answer (default: the id). */
  same?: (body: Record<string, unknown>) => unknown;
  /** The China date both instances are put on before `prepare` (default: the tests' usual date). */
  today?: string;
  prepare(): Promise<Race>;
}

let ctx: TestContext;
let second: { app: App; database: Database } | null = null;
let apps: [App, App];
let plan: FiledPlan;
let provider: { id: number };
let instalmentId: number;
let contractRef: string;
let roundId: number;
let codes: string[];

const count = async (query: ReturnType<typeof sql>) => (await queryRows<{ n: number }>(ctx, query))[0]!.n;
/** The same user signed in on both instances. */
const onBoth = async (username: string): Promise<[Client, Client]> => [
  as(apps[0], await login(apps[0], username)),
  as(apps[1], await login(apps[1], username)),
];
const everywhere = (fn: (app: App) => void) => new Set(apps).forEach(fn);

const RULES: Rule[] = [
  {
    rule: 'one live (not cancelled) contract per plan project',
    clause: '[N 4.1]',
    ok: 201,
    conflict: 'PROJECT_ALREADY_CONTRACTED',
    today: '2026-10-20',
    async prepare() {
      const project = plan.projects[0]!;
      const proc = await procure(plan.staff, FOUR, [project.id], provider.id);
      const staff = await onBoth(`community-${FOUR}`);
      const amount = Math.min(project.budgetFen, 500_000);
      const body = {
        procurementId: proc.id,
        communityCode: FOUR,
        title: '并发合同',
        amountFen: amount,
        startsOn: '2026-10-20',
        endsOn: '2026-12-31',
        deliverables: ['服务台账'],
        instalments: [{ condition: 'on_signing', amountFen: amount }],
      };
      return {
        send: (_i, k) => staff[k].post('/api/contracts', body),
        rows: () =>
          count(
            sql`select count(*)::int as n from contract_project cp join contract c on c.id = cp.contract_id where cp.plan_project_id = ${project.id} and c.status <> 'cancelled'`,
          ),
      };
    },
  },
  {
    rule: 'one contract per requestId: retries on both instances answer the first contract',
    clause: '[N 4.1]',
    ok: 201,
    conflict: null,
    today: '2026-10-20',
    async prepare() {
      const project = plan.projects[2]!;
      const proc = await procure(plan.staff, FOUR, [project.id], provider.id);
      const staff = await onBoth(`community-${FOUR}`);
      const amount = Math.min(project.budgetFen, 300_000);
      const body = {
        procurementId: proc.id,
        communityCode: FOUR,
        title: '重试合同',
        amountFen: amount,
        startsOn: '2026-10-20',
        endsOn: '2026-12-31',
        deliverables: ['服务台账'],
        instalments: [{ condition: 'on_signing', amountFen: amount }],
        requestId: 'race-contract-0001',
      };
      return {
        send: (_i, k) => staff[k].post('/api/contracts', body),
        rows: () => count(sql`select count(*)::int as n from contract where procurement_id = ${proc.id}`),
      };
    },
  },
  {
    rule: 'one open payment request per instalment',
    clause: '[N 3.3]',
    ok: 201,
    conflict: 'REQUEST_EXISTS',
    today: '2026-10-20',
    async prepare() {
      const providers = await onBoth('race-provider');
      return {
        send: (_i, k) => providers[k].post(`/api/instalments/${instalmentId}/requests`, {}),
        rows: () => count(sql`select count(*)::int as n from payment_request where instalment_id = ${instalmentId}`),
      };
    },
  },
  {
    rule: 'each instalment paid once (approving twice answers the first payment)',
    clause: '[N 3.3]',
    ok: 200,
    conflict: null,
    today: '2026-10-20',
    async prepare() {
      const [request] = await queryRows<{ id: number }>(
        ctx,
        sql`select id from payment_request where instalment_id = ${instalmentId} and status = 'requested'`,
      );
      const street = await onBoth(`street-${FOUR.slice(0, 9)}`);
      return {
        send: (_i, k) => street[k].post(`/api/payment-requests/${request!.id}/approve`, {}),
        rows: () => count(sql`select count(*)::int as n from ledger_transfer where id = ${`${contractRef}:instalment-1`}`),
      };
    },
  },
  {
    rule: 'one evaluation fee per request id',
    clause: '[N 3.12]',
    ok: 201,
    conflict: null,
    today: '2026-11-27',
    async prepare() {
      const district = await onBoth(`district-${DISTRICT}`);
      const body = { amountFen: 80_000, paidOn: '2026-11-20', note: '中期评估费', requestId: 'race-fee-0001' };
      return {
        send: (_i, k) => district[k].post(`/api/evaluation-rounds/${roundId}/fees`, body),
        rows: () =>
          count(sql`select count(*)::int as n from evaluation_fee where round_id = ${roundId} and transfer_id like ${'%-race-fee-0001'}`),
      };
    },
  },
  {
    rule: "one rating per community per year (a write is an upsert under the year's lock)",
    clause: '[N 1]',
    ok: 200,
    conflict: null,
    same: (b) => [b.communityCode, b.year, b.stars],
    async prepare() {
      const city = await onBoth('city');
      const code = codes.shift()!;
      // Ratings of 2026 set the 2027 fund year; its policy is copied from 2026.
      if ((await city[0].get('/api/policy/2027')).statusCode === 404)
        expect((await city[0].post('/api/policy/2026/copy', { toYear: 2027 })).statusCode).toBe(200);
      return {
        send: (_i, k) => city[k].put(`/api/ratings/2026/communities/${code}`, { stars: 3, reason: '年度考核结果' }),
        rows: () => count(sql`select count(*)::int as n from rating where year = 2026 and community_code = ${code}`),
      };
    },
  },
  {
    rule: 'one assignment per project per evaluation round',
    clause: '[N 3.2]',
    ok: 201,
    conflict: 'ALREADY_ASSIGNED',
    today: '2026-11-27',
    async prepare() {
      const district = await onBoth(`district-${DISTRICT}`);
      const [org] = await queryRows<{ org_id: number }>(ctx, sql`select org_id from app_user where username = 'evaluator-1'`);
      const projectId = plan.projects[1]!.id;
      return {
        send: (_i, k) =>
          district[k].post(`/api/evaluation-rounds/${roundId}/assignments`, {
            planProjectId: projectId,
            method: 'third_party',
            evaluatorOrgId: org!.org_id,
          }),
        rows: () =>
          count(sql`select count(*)::int as n from evaluation_assignment where round_id = ${roundId} and plan_project_id = ${projectId}`),
      };
    },
  },
  {
    rule: 'one account per username',
    clause: '',
    ok: 201,
    conflict: 'USERNAME_TAKEN',
    today: '2026-10-20',
    async prepare() {
      const city = await onBoth('city');
      return {
        send: (_i, k) =>
          city[k].post(`/api/providers/${provider.id}/accounts`, { username: 'race-account-2', password: 'Xq7#race-Pw-2026' }),
        rows: () => count(sql`select count(*)::int as n from app_user where username = 'race-account-2'`),
      };
    },
  },
  {
    rule: 'one opinion per household per campaign across all channels',
    clause: '[N 3.1.1(1)]',
    ok: 200,
    conflict: 'ALREADY_SUBMITTED',
    async prepare() {
      const code = codes.shift()!;
      const staff = await onBoth(`community-${code}`);
      const [household] = makeHouseholds(3, `RO${code.slice(6, 9)}`);
      await registerHouseholds(staff[0], code, makeHouseholds(3, `RO${code.slice(6, 9)}`));
      const campaign = await openCampaign(staff[0], apps[0], code);
      return {
        // Half online (the public page), half on paper (community staff).
        send: (i, k) =>
          i % 2 === 0
            ? submitOnline(apps[k], campaign.id, { ...identityOf(household!), choices: ['E5'] })
            : staff[k].post(`/api/needs/campaigns/${campaign.id}/opinions`, {
                householdNo: household!.householdNo,
                channel: 'household_vote',
                choices: ['E5'],
              }),
        rows: () =>
          count(
            sql`select count(*)::int as n from needs_opinion o join household h on h.id = o.household_id where o.campaign_id = ${campaign.id} and h.household_no = ${household!.householdNo}`,
          ),
      };
    },
  },
  {
    rule: 'one objection per representative per notice',
    clause: '[N 3.1.2(1)]',
    ok: 200,
    conflict: 'ALREADY_OBJECTED',
    async prepare() {
      const code = codes.shift()!;
      const { c, notice } = await noticedDecision(ctx, code, '2026-06-01', { representatives: 10, council: 5 });
      everywhere((app) => setToday(app, '2026-06-03'));
      const staff = await onBoth(`community-${code}`);
      const rep = c.representatives[0]!;
      return {
        send: (i, k) =>
          i % 2 === 0
            ? objectOnline(apps[k], notice.id, rep)
            : staff[k].post(`/api/decisions/notices/${notice.id}/objections`, {
                householdNo: rep.householdNo,
                representativeName: rep.headName,
                reason: '书面异议',
              }),
        rows: () => count(sql`select count(*)::int as n from decision_objection where notice_id = ${notice.id}`),
      };
    },
  },
  {
    rule: 'one decision in force per draft list',
    clause: '[N 3]',
    ok: 200,
    conflict: 'DECISION_EXISTS',
    async prepare() {
      const code = codes.shift()!;
      everywhere((app) => setToday(app, '2026-06-01'));
      const c = await readyCommunity(ctx, code, { representatives: 5, council: 5 });
      const staff = await onBoth(`community-${code}`);
      return {
        send: (_i, k) => staff[k].post('/api/decisions', { campaignId: c.campaignId, procedure: 'major' }),
        rows: () => count(sql`select count(*)::int as n from decision where campaign_id = ${c.campaignId} and status <> 'rejected'`),
      };
    },
  },
  {
    rule: 'one filing per plan version',
    clause: '[N 3.1.2(2)]',
    ok: 200,
    conflict: 'PLAN_STATUS',
    async prepare() {
      // A free community with a star rating (of 2025, for fund year 2026) and a list meeting its minimum.
      const [rated] = await queryRows<{ code: string; stars: number }>(
        ctx,
        sql`select community_code as code, stars from rating
        where year = 2025 and stars between 3 and 5 and community_code in (${sql.join(
          codes.map((x) => sql`${x}`),
          sql`, `,
        )}) order by 1 limit 1`,
      );
      const code = rated!.code;
      codes = codes.filter((x) => x !== code);
      const { c } = await decidedCommunity(
        ctx,
        code,
        '2026-09-10',
        compliantList(({ 3: 2, 4: 4, 5: 6 } as Record<number, number>)[rated!.stars]!).map((p) => ({ ...p, estimatedBudgetFen: 400_000 })),
      );
      setToday(ctx.app, '2026-09-15');
      const draft = await createPlan(c.staff, 2026, [code]);
      setToday(ctx.app, '2026-10-08');
      const submitted = await c.staff.post(`/api/plans/${draft.id}/submit`);
      expect(submitted.statusCode, submitted.body).toBe(200);
      const street = as(apps[0], await login(apps[0], `street-${code.slice(0, 9)}`));
      const reviewed = await street.post(`/api/plans/${draft.id}/review`, { outcome: 'approve' });
      expect(reviewed.statusCode, reviewed.body).toBe(200);
      everywhere((app) => setToday(app, '2026-10-08'));
      const filer = await onBoth(reviewed.json().plan.filingLevel === 'city' ? 'city' : `district-${code.slice(0, 6)}`);
      return {
        send: (_i, k) => filer[k].post(`/api/plans/${draft.id}/filing`, { outcome: 'file' }),
        rows: () => count(sql`select count(*)::int as n from plan_review where plan_id = ${draft.id} and stage = 'filing'`),
      };
    },
  },
];

beforeAll(async () => {
  ctx = await createTestApp();
  if (ctx.databaseUrl) {
    const database = await openDatabase({ databaseUrl: ctx.databaseUrl, dataDir: '' });
    const app = await buildApp(ctx.app.config, database);
    await app.ready();
    second = { app, database };
  }
  apps = [ctx.app, second?.app ?? ctx.app];
  codes = (await freeCommunityCodes(ctx)).filter((c) => c !== FOUR);
  plan = await filedPlan(ctx, FOUR, 4);
  // The provider's contract is signed on 20 October; the evaluation round opens on 27 November.
  everywhere((app) => setToday(app, '2026-10-20'));
  ({ provider } = await registerProvider(ctx, { name: '并发规则社工服务中心', stem: '52210105MJ0000088', username: 'race-provider' }));
  // A signed contract on the second project: its first instalment is raced for requests and payment.
  const project = plan.projects[1]!;
  const proc = await procure(plan.staff, FOUR, [project.id], provider.id);
  const amount = Math.min(project.budgetFen, 400_000);
  const draft = await draftContract(
    plan.staff,
    proc.id,
    FOUR,
    amount,
    [
      { condition: 'on_signing', amountFen: amount / 2 },
      { condition: 'on_signing', amountFen: amount / 2 },
    ],
    [project.id],
  );
  const signed = await plan.staff.post(`/api/contracts/${draft.id}/sign`, { signedOn: '2026-10-20' });
  expect(signed.statusCode, signed.body).toBe(200);
  instalmentId = signed.json().instalments[0].id;
  contractRef = signed.json().ref;
  everywhere((app) => setToday(app, '2026-11-27'));
  const district = as(ctx.app, await login(ctx.app, `district-${DISTRICT}`));
  const round = await district.post('/api/evaluation-rounds', { fundYear: 2026, kind: 'midterm', districtCode: DISTRICT });
  expect(round.statusCode, round.body).toBe(201);
  roundId = round.json().id;
}, 300_000);

afterAll(async () => {
  await second?.app.close();
  await second?.database.close();
  await ctx?.close();
});

describe(`at most one, held by the database: ${N} concurrent requests ${process.env.DATABASE_URL ? 'on two instances of one PostgreSQL' : 'on one PGlite instance'}`, () => {
  for (const r of RULES) {
    it(`${r.rule} ${r.clause}`, async () => {
      everywhere((app) => (r.today ? setToday(app, r.today) : setTestNow(app)));
      const race = await r.prepare();
      const responses = await Promise.all(Array.from({ length: N }, (_, i) => race.send(i, (i % 2) as 0 | 1)));
      const statuses = responses.map((x) => x.statusCode);
      expect(
        statuses.filter((s) => s >= 500),
        responses.find((x) => x.statusCode >= 500)?.body,
      ).toEqual([]);
      if (r.conflict === null) {
        expect(statuses, responses.find((x) => x.statusCode !== r.ok)?.body).toEqual(Array(N).fill(r.ok));
        expect(new Set(responses.map((x) => JSON.stringify((r.same ?? ((b) => b.id))(x.json()))))).toHaveLength(1);
      } else {
        expect(
          statuses.filter((s) => s === r.ok),
          responses.find((x) => x.statusCode !== r.ok && x.statusCode !== 409)?.body,
        ).toHaveLength(1);
        const losers = responses.filter((x) => x.statusCode !== r.ok);
        expect(
          losers.map((x) => x.statusCode),
          losers.find((x) => x.statusCode !== 409)?.body,
        ).toEqual(Array(N - 1).fill(409));
        expect(new Set(losers.map((x) => x.json().code))).toEqual(new Set([r.conflict]));
        if (r.clause) expect(new Set(losers.map((x) => x.json().clause))).toEqual(new Set([r.clause]));
      }
      expect(await race.rows()).toBe(1);
    }, 180_000);
  }

  it("the index itself refuses a second live contract on a project, whatever the service checks (23505 → the rule's 409)", async () => {
    const project = plan.projects[0]!.id;
    const [other] = await queryRows<{ id: number }>(
      ctx,
      sql`select c.id from contract c where c.id not in (select contract_id from contract_project where plan_project_id = ${project}) order by c.id limit 1`,
    );
    const error = await ctx.database.db
      .execute(sql`insert into contract_project (contract_id, plan_project_id) values (${other!.id}, ${project})`)
      .then(
        () => null,
        (e: unknown) => e,
      );
    const mapped = asDomainError(error) as DomainError;
    expect(mapped).toBeInstanceOf(DomainError);
    expect({ code: mapped.code, status: mapped.status, clause: mapped.clause }).toEqual({
      code: 'PROJECT_ALREADY_CONTRACTED',
      status: 409,
      clause: '[N 4.1]',
    });
  });

  it('cancelling the contract frees its project: the live marker is cleared in the same transaction', async () => {
    everywhere((app) => setToday(app, '2026-10-20'));
    const project = plan.projects[0]!.id;
    const [live] = await queryRows<{ id: number; procurement_id: number }>(
      ctx,
      sql`select c.id, c.procurement_id from contract c join contract_project cp on cp.contract_id = c.id where cp.plan_project_id = ${project} and cp.live`,
    );
    const cancelled = await plan.staff.post(`/api/contracts/${live!.id}/cancel`, { reason: '并发测试后终止' });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect(await count(sql`select count(*)::int as n from contract_project where contract_id = ${live!.id} and live`)).toBe(0);
    const amount = Math.min(plan.projects[0]!.budgetFen, 500_000);
    const again = await plan.staff.post('/api/contracts', {
      procurementId: live!.procurement_id,
      communityCode: FOUR,
      title: '重新签订',
      amountFen: amount,
      startsOn: '2026-10-20',
      endsOn: '2026-12-31',
      deliverables: ['服务台账'],
      instalments: [{ condition: 'on_signing', amountFen: amount }],
    });
    expect(again.statusCode, again.body).toBe(201);
    expect(await count(sql`select count(*)::int as n from contract_project where plan_project_id = ${project} and live`)).toBe(1);
  });

  it('keeps the ledger consistent after the races', async () => {
    expect((await ctx.app.services.ledger.verify()).problems).toEqual([]);
  });

  it('leaves data that passes every business invariant (npm run verify)', async () => {
    const report = await verifyAll(ctx.database.db);
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
  });
});
