import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { verifyAll } from '../../server/src/modules/invariants/invariants.service.js';
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

/**
 * [N 3.2] "An evaluation failure voids the rest" (issue 16): a 不合格 final grade voids the
 * unpaid instalments of the project's contract and releases the pending commitment for them to
 * the community's available balance, in the conclusion's transaction, audited, and shown on the
 * contract, the fund views and the public portal.
 */

/** A 4★ community (fund year 2026) of 大东区 (210105). */
const FOUR = '210105001001';
const DISTRICT = '210105';
const RUBRIC = ['R1', 'R2', 'R3', 'R4', 'R5', 'R6'];
const all = (score: number) => RUBRIC.map((code) => ({ code, score }));

let ctx: TestContext;
let plan: FiledPlan;
let district: Client;
let evaluator: Client;
let finance: Client;
let providerClient: Client;
let contract: ContractBody;
let draftId: number;
const SIGNING = 300_000;

beforeAll(async () => {
  ctx = await createTestApp();
  plan = await filedPlan(ctx, FOUR, 4);
  // The contracts are made on 20 October; the final evaluation happens on 27 November.
  setToday(ctx.app, '2026-10-20');
  district = await loginAs(ctx.app, `district-${DISTRICT}`);
  evaluator = await loginAs(ctx.app, 'evaluator-1');
  finance = await loginAs(ctx.app, 'finance');
  const registered = await registerProvider(ctx, {
    name: '大东区晨光社会工作服务中心',
    stem: '52210104MJ0000093',
    username: 'provider-void',
  });
  providerClient = registered.client!;
  // One contract covering two projects; only the first fails its final evaluation.
  const projectIds = [plan.projects[0]!.id, plan.projects[1]!.id];
  const proc = await procure(plan.staff, FOUR, projectIds, registered.provider.id);
  const amount = plan.projects[0]!.budgetFen + plan.projects[1]!.budgetFen;
  const draft = await draftContract(
    plan.staff,
    proc.id,
    FOUR,
    amount,
    [
      { condition: 'on_signing', amountFen: SIGNING },
      { condition: 'on_date', amountFen: 100_000, dueOn: '2026-10-20' },
      { condition: 'after_final_passed', amountFen: amount - SIGNING - 100_000 },
    ],
    projectIds,
  );
  const signed = await plan.staff.post(`/api/contracts/${draft.id}/sign`, { signedOn: '2026-10-20' });
  expect(signed.statusCode, signed.body).toBe(200);
  // The first instalment is paid; the second is asked for and awaits the street's approval.
  const first = await providerClient.post(`/api/instalments/${draft.instalments[0]!.id}/requests`, { note: '合同已签订' });
  expect(first.statusCode, first.body).toBe(201);
  const approved = await plan.street.post(`/api/payment-requests/${first.json().id}/approve`, {});
  expect(approved.statusCode, approved.body).toBe(200);
  const second = await providerClient.post(`/api/instalments/${draft.instalments[1]!.id}/requests`, {});
  expect(second.statusCode, second.body).toBe(201);
  contract = (await plan.staff.get(`/api/contracts/${draft.id}`)).json();
  // A draft (never signed, nothing committed) for a third project.
  const proc2 = await procure(plan.staff, FOUR, [plan.projects[2]!.id], registered.provider.id);
  draftId = (
    await draftContract(
      plan.staff,
      proc2.id,
      FOUR,
      plan.projects[2]!.budgetFen,
      [{ condition: 'after_final_passed', amountFen: plan.projects[2]!.budgetFen }],
      [plan.projects[2]!.id],
    )
  ).id;
  setToday(ctx.app, '2026-11-27');
}, 240_000);
afterAll(async () => ctx?.close());

const contractNow = async () =>
  (await plan.staff.get(`/api/contracts/${contract.id}`)).json() as ContractBody & {
    remainderVoidedOn: string | null;
    remainderVoidReason: string | null;
  };
const fundsOf = async () =>
  (await finance.get(`/api/funds/2026/regions/${FOUR}`)).json() as {
    total: { allocated: number; committed: number; paid: number; available: number };
  };

describe('a 不合格 final evaluation voids the unpaid remainder [N 3.2]', () => {
  it('voids the unpaid instalments and releases the commitment to the community, in the conclusion', async () => {
    const before = await contractNow();
    expect(before.status).toBe('signed');
    expect(before.instalments.map((i) => i.status)).toEqual(['paid', 'requested', 'open']);
    const unpaid = before.amountFen - SIGNING;
    expect(before.ledger).toMatchObject({ paidFen: SIGNING, outstandingFen: unpaid, releasedFen: 0 });
    const fundsBefore = await fundsOf();
    const communityBefore = before.ledger.community!;

    const org = (await queryRows<{ org_id: number }>(ctx, sql`select org_id from app_user where username = 'evaluator-1'`))[0]!.org_id;
    const round = await district.post('/api/evaluation-rounds', { fundYear: 2026, kind: 'final', districtCode: DISTRICT });
    expect(round.statusCode, round.body).toBe(201);
    const a = await district.post(`/api/evaluation-rounds/${round.json().id}/assignments`, {
      planProjectId: plan.projects[0]!.id,
      method: 'third_party',
      evaluatorOrgId: org,
    });
    expect(a.statusCode, a.body).toBe(201);
    const res = await evaluator.post(`/api/evaluation-assignments/${a.json().id}/conclude`, {
      scores: all(55),
      conclusion: '未达到预期',
      problems: '服务台账缺失',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      grade: 'fail',
      effects: {
        voidedContracts: [
          {
            contractId: contract.id,
            ref: contract.ref,
            status: 'completed',
            releasedFen: unpaid,
            releaseTransferId: `${contract.ref}:release`,
            voidedInstalments: [2, 3],
          },
        ],
      },
    });

    const after = await contractNow();
    expect(after.status).toBe('completed');
    expect(after.remainderVoidedOn).toBe('2026-11-27');
    expect(after.remainderVoidReason).toContain('不合格');
    expect(after.instalments.map((i) => i.status)).toEqual(['paid', 'void', 'void']);
    expect(after.ledger).toMatchObject({ paidFen: SIGNING, outstandingFen: 0, releasedFen: unpaid });
    // The community's available balance goes up by the unpaid remainder; paid stays.
    expect(after.ledger.community).toEqual({
      ...communityBefore,
      committedFen: communityBefore.committedFen - unpaid,
      availableFen: communityBefore.availableFen + unpaid,
    });
    const fundsAfter = await fundsOf();
    expect(fundsAfter.total).toEqual({
      ...fundsBefore.total,
      committed: fundsBefore.total.committed - unpaid,
      available: fundsBefore.total.available + unpaid,
    });
    // The ledger: the pending commitment voided by a release transfer naming it.
    const [t] = await queryRows<{ code: string; pending_id: string; amount: number }>(
      ctx,
      sql`select code, pending_id, amount::int as amount from ledger_transfer where id = ${`${contract.ref}:release`}`,
    );
    expect(t).toMatchObject({ code: 'release', pending_id: `${contract.ref}:commitment`, amount: unpaid });
    const transfers = (await finance.get(`/api/funds/2026/regions/${FOUR}/transfers`)).json().items as { id: string; reference: string }[];
    expect(transfers.find((x) => x.id === `${contract.ref}:release`)!.reference).toContain('终期评估不合格');
  });

  it('refuses a payment request for a voided instalment, and the pending request was rejected', async () => {
    const c = await contractNow();
    const refused = await providerClient.post(`/api/instalments/${c.instalments[2]!.id}/requests`, {});
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toMatchObject({ code: 'INSTALMENT_VOID', clause: '[N 3.2]' });
    expect(refused.json().message).toContain('作废');
    const requests = (await plan.street.get(`/api/payment-requests?contractId=${c.id}`)).json().items as {
      instalmentId: number;
      status: string;
      decisionNote: string | null;
    }[];
    expect(requests.find((r) => r.instalmentId === c.instalments[1]!.id)).toMatchObject({
      status: 'rejected',
      decisionNote: expect.stringContaining('终期评估不合格'),
    });
  });

  it('records the void in the audit log', async () => {
    const city = await loginAs(ctx.app, 'city');
    const events = (await city.get(`/api/audit/events?entityType=contract&entityId=${contract.id}`)).json().items as {
      action: string;
      before: { status: string };
      after: { status: string; releasedFen: number };
    }[];
    const e = events.find((x) => x.action === 'contract.void_remainder');
    expect(e).toMatchObject({ before: { status: 'signed' }, after: { status: 'completed', releasedFen: contract.amountFen - SIGNING } });
  });

  it("shows the voided remainder on the public portal's community page", async () => {
    const page = await ctx.app.inject({ method: 'GET', url: `/api/public/portal/communities/${FOUR}?year=2026` });
    expect(page.statusCode, page.body).toBe(200);
    const shown = (
      page.json().contracts as {
        ref: string;
        status: string;
        remainderVoidedOn: string | null;
        remainderVoidReason: string | null;
        releasedFen: number;
        instalments: { status: string }[];
      }[]
    ).find((c) => c.ref === contract.ref)!;
    expect(shown).toMatchObject({ status: 'completed', remainderVoidedOn: '2026-11-27', releasedFen: contract.amountFen - SIGNING });
    expect(shown.remainderVoidReason).toContain('不合格');
    expect(shown.instalments.map((i) => i.status)).toEqual(['paid', 'void', 'void']);
  });

  it('is idempotent: a second failed project of the same contract voids nothing more', async () => {
    const org = (await queryRows<{ org_id: number }>(ctx, sql`select org_id from app_user where username = 'evaluator-1'`))[0]!.org_id;
    const round = (await district.get('/api/evaluation-rounds?fundYear=2026&kind=final'))
      .json()
      .items.find((r: { districtCode: string }) => r.districtCode === DISTRICT);
    const a = await district.post(`/api/evaluation-rounds/${round.id}/assignments`, {
      planProjectId: plan.projects[1]!.id,
      method: 'third_party',
      evaluatorOrgId: org,
    });
    expect(a.statusCode, a.body).toBe(201);
    const res = await evaluator.post(`/api/evaluation-assignments/${a.json().id}/conclude`, { scores: all(50), conclusion: '未达到预期' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().effects.voidedContracts).toEqual([]);
    const c = await contractNow();
    expect(c.ledger.releasedFen).toBe(contract.amountFen - SIGNING);
  });

  it('cancels a draft covering a failed project; nothing was committed, nothing is released', async () => {
    const org = (await queryRows<{ org_id: number }>(ctx, sql`select org_id from app_user where username = 'evaluator-1'`))[0]!.org_id;
    const round = (await district.get('/api/evaluation-rounds?fundYear=2026&kind=final'))
      .json()
      .items.find((r: { districtCode: string }) => r.districtCode === DISTRICT);
    const before = (await fundsOf()).total;
    const a = await district.post(`/api/evaluation-rounds/${round.id}/assignments`, {
      planProjectId: plan.projects[2]!.id,
      method: 'third_party',
      evaluatorOrgId: org,
    });
    expect(a.statusCode, a.body).toBe(201);
    const res = await evaluator.post(`/api/evaluation-assignments/${a.json().id}/conclude`, { scores: all(40), conclusion: '未达到预期' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().effects.voidedContracts).toEqual([
      {
        contractId: draftId,
        ref: expect.any(String),
        status: 'cancelled',
        releasedFen: 0,
        releaseTransferId: null,
        voidedInstalments: [1],
      },
    ]);
    const d = (await plan.staff.get(`/api/contracts/${draftId}`)).json();
    expect(d).toMatchObject({ status: 'cancelled', remainderVoidedOn: '2026-11-27', cancelReason: expect.stringContaining('不合格') });
    expect(d.instalments.map((i: { status: string }) => i.status)).toEqual(['void']);
    expect((await fundsOf()).total).toEqual(before);
  });

  it('leaves data that passes every business invariant (npm run verify): the voided remainder is no longer committed', async () => {
    const report = await verifyAll(ctx.database.db);
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
  });
});
