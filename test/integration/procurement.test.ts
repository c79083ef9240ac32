import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { as, createTestApp, login, loginAs, queryRows, setToday, type TestContext } from '../helpers/app.js';
import { inTx } from '../helpers/factories-ledger.js';
import type { Client } from '../helpers/factories-needs.js';
import {
  creditCode,
  draftContract,
  filedPlan,
  procure,
  registerProvider,
  setEvaluations,
  type ContractBody,
  type FiledPlan,
} from '../helpers/factories-procurement.js';

process.env.NEEDS_SUBMIT_RATE_LIMIT = '10000';
process.env.OBJECTION_RATE_LIMIT = '10000';

/** A 4★ community of the demo city rated in 2025 (fund year 2026, allocation ¥100,000). */
const FOUR = '210105001001';

let ctx: TestContext;
let plan: FiledPlan;
let city: Client;
let provA: Client;
let provB: Client;
let providerA: { id: number };
let providerB: { id: number };
let ineligible: { id: number };
let otherCommunity: Client;

const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082',
  'hex',
);

const contract = async (client: Client, id: number) => {
  const res = await client.get(`/api/contracts/${id}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as ContractBody;
};

beforeAll(async () => {
  ctx = await createTestApp();
  plan = await filedPlan(ctx, FOUR, 4);
  setToday(ctx.app, '2026-10-20');
  city = await loginAs(ctx.app, 'city');
  ({ provider: providerA, client: provA } = (await registerProvider(ctx, {
    name: '和平区星火社会工作服务中心',
    stem: '52210105MJ0000011',
    username: 'prov-a',
  })) as { provider: { id: number }; client: Client });
  ({ provider: providerB, client: provB } = (await registerProvider(ctx, {
    name: '沈河区同心社会工作服务社',
    stem: '52210103MJ0000022',
    username: 'prov-b',
  })) as { provider: { id: number }; client: Client });
  ({ provider: ineligible } = await registerProvider(ctx, { name: '某评估不合格机构', stem: '52210105MJ0000033' }));
  const [other] = await queryRows<{ username: string }>(
    ctx,
    sql`select username from app_user where role = 'community' and scope_code like '210102%' order by scope_code limit 1`,
  );
  otherCommunity = await loginAs(ctx.app, other!.username);
}, 180_000);
afterAll(async () => ctx?.close());

describe('provider registry and eligibility [N 3.1.3], [N 3.2]', () => {
  it('validates the unified social credit code, naming the problem', async () => {
    const base = {
      name: '测试机构',
      kind: 'social_organisation',
      registrationAuthority: '沈阳市民政局',
      contacts: [{ name: '李', phone: '13800000000' }],
    };
    const cases: [string, string][] = [
      ['5221010', 'length'],
      ['52210105MJ00000I1X', 'character'],
      [`${creditCode('52210105MJ0000044').slice(0, 17)}${creditCode('52210105MJ0000044').endsWith('0') ? '1' : '0'}`, 'check_digit'],
    ];
    for (const [code, reason] of cases) {
      const res = await city.post('/api/providers', { ...base, creditCode: code });
      expect(res.statusCode, code).toBe(400);
      expect(res.json()).toMatchObject({ code: 'INVALID_CREDIT_CODE', field: 'creditCode', details: { reason } });
    }
    const lower = await city.post('/api/providers', { ...base, creditCode: creditCode('52210105MJ0000055').toLowerCase() });
    expect(lower.statusCode, lower.body).toBe(201);
    expect(lower.json().creditCode).toBe(creditCode('52210105MJ0000055'));
    const twice = await city.post('/api/providers', { ...base, creditCode: creditCode('52210105MJ0000055') });
    expect([twice.statusCode, twice.json().code]).toEqual([409, 'CREDIT_CODE_TAKEN']);
    // Only the bureaus keep the registry.
    expect((await plan.staff.post('/api/providers', { ...base, creditCode: creditCode('52210105MJ0000066') })).statusCode).toBe(403);
  });

  it('opens a sign-in for a provider, scoped to its organisation', async () => {
    const weak = await city.post(`/api/providers/${providerB.id}/accounts`, { username: 'prov-b-2', password: 'short' });
    expect([weak.statusCode, weak.json().field]).toEqual([400, 'password']);
    const res = await city.post(`/api/providers/${providerB.id}/accounts`, { username: 'prov-b-2', password: 'Provider2026x' });
    expect(res.statusCode, res.body).toBe(201);
    const taken = await city.post(`/api/providers/${providerA.id}/accounts`, { username: 'prov-b-2', password: 'Provider2026x' });
    expect([taken.statusCode, taken.json().code]).toEqual([409, 'USERNAME_TAKEN']);
    const me = await as(ctx.app, await login(ctx.app, 'prov-b-2', 'Provider2026x')).get('/api/providers');
    expect(me.json().items.map((p: { id: number }) => p.id)).toEqual([providerB.id]);
  });

  it('shows a provider ineligible in the year after a failed final evaluation, with the reason', async () => {
    await inTx(ctx.app, (tx) =>
      ctx.app.services.procurement.recordIneligibility(
        tx,
        {
          providerId: ineligible.id,
          year: 2026,
          reason: '2025 年度终期评估不合格',
          source: 'final_evaluation',
          sourceRef: 'evaluation:2025:1',
        },
        { userId: null, username: 'system' },
      ),
    );
    const in2026 = (await city.get(`/api/providers/${ineligible.id}?year=2026`)).json();
    expect(in2026.eligibility).toEqual({
      eligible: false,
      year: 2026,
      reasons: [{ year: 2026, reason: '2025 年度终期评估不合格', source: 'final_evaluation', sourceRef: 'evaluation:2025:1' }],
    });
    expect((await city.get(`/api/providers/${ineligible.id}?year=2027`)).json().eligibility.eligible).toBe(true);
    // A provider account sees only its own organisation.
    const own = (await provA.get('/api/providers')).json();
    expect(own.items.map((p: { id: number }) => p.id)).toEqual([providerA.id]);
    expect((await provA.get(`/api/providers/${providerB.id}`)).statusCode).toBe(404);
  });

  it('refuses to procure from an ineligible provider, citing [N 3.2]', async () => {
    const res = await plan.staff.post('/api/procurements', {
      fundYear: 2026,
      purchaserCode: FOUR,
      method: 'single_source',
      projectIds: [plan.projects[0]!.id],
      candidates: [{ providerId: ineligible.id, name: 'x' }],
      selectedProviderId: ineligible.id,
      selectionReason: '唯一',
      decidedOn: '2026-10-20',
    });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ code: 'PROVIDER_INELIGIBLE', clause: '[N 3.2]' });
    expect(res.json().message).toContain('终期评估不合格');
  });
});

describe('procurement and contracts', () => {
  let signed: ContractBody;

  it('allows a small-amount direct purchase only below the policy threshold', async () => {
    const doc = (await city.get('/api/policy/2026')).json().document;
    const put = await city.put('/api/policy/2026', { document: { ...doc, smallPurchaseThresholdFen: 1_000_000 } });
    expect(put.statusCode, put.body).toBe(200);
    const body = (projectIds: number[]) => ({
      fundYear: 2026,
      purchaserCode: FOUR,
      method: 'small_direct',
      projectIds,
      candidates: [{ providerId: providerA.id, name: 'A' }],
      selectedProviderId: providerA.id,
      selectionReason: '小额',
      decidedOn: '2026-10-20',
    });
    const over = await plan.staff.post('/api/procurements', body([plan.projects[0]!.id])); // ¥10,000.00 = the threshold
    expect(over.statusCode).toBe(422);
    expect(over.json()).toMatchObject({ code: 'SMALL_PURCHASE_OVER_THRESHOLD', clause: '[N 3.1.3]', field: 'method' });
    await city.put('/api/policy/2026', { document: doc });
    // Another community cannot procure this community's projects; an unknown project is named.
    const foreign = await otherCommunity.post('/api/procurements', { ...body([plan.projects[0]!.id]), purchaserCode: FOUR });
    expect(foreign.statusCode).toBe(404);
    const unknown = await plan.staff.post('/api/procurements', { ...body([999_999]), method: 'inquiry' });
    expect([unknown.statusCode, unknown.json().field]).toEqual([400, 'projectIds.0']);
  });

  it('drafts a contract whose instalments must add up exactly; signing commits it in the ledger', async () => {
    const [p0, p1] = plan.projects;
    const proc = await procure(plan.staff, FOUR, [p0!.id, p1!.id], providerA.id);
    expect(proc.budgetFen).toBe(p0!.budgetFen + p1!.budgetFen);
    const amount = 2_000_000;
    const bad = await plan.staff.post('/api/contracts', {
      procurementId: proc.id,
      communityCode: FOUR,
      title: 't',
      amountFen: amount,
      startsOn: '2026-10-20',
      endsOn: '2026-12-31',
      deliverables: ['x'],
      instalments: [
        { condition: 'on_signing', amountFen: 1_000_000 },
        { condition: 'after_final_passed', amountFen: 999_999 },
      ],
    });
    expect([bad.statusCode, bad.json().code]).toEqual([422, 'INSTALMENTS_SUM']);
    const overBudget = await plan.staff.post('/api/contracts', {
      procurementId: proc.id,
      communityCode: FOUR,
      title: 't',
      amountFen: proc.budgetFen + 1,
      startsOn: '2026-10-20',
      endsOn: '2026-12-31',
      deliverables: ['x'],
      instalments: [{ condition: 'on_signing', amountFen: proc.budgetFen + 1 }],
    });
    expect([overBudget.statusCode, overBudget.json().code]).toEqual([422, 'CONTRACT_OVER_BUDGET']);

    const draft = await draftContract(plan.staff, proc.id, FOUR, amount, [
      { condition: 'on_signing', amountFen: 600_000 },
      { condition: 'after_midterm_passed', amountFen: 400_000 },
      { condition: 'after_final_passed', amountFen: 600_000 },
      { condition: 'on_date', amountFen: 400_000, dueOn: '2026-12-01' },
    ]);
    expect(draft.status).toBe('draft');
    const before = draft.ledger.community!;
    const again = await plan.staff.post('/api/contracts', {
      procurementId: proc.id,
      communityCode: FOUR,
      title: 't',
      amountFen: 10,
      startsOn: '2026-10-20',
      endsOn: '2026-12-31',
      deliverables: ['x'],
      instalments: [{ condition: 'on_signing', amountFen: 10 }],
    });
    expect([again.statusCode, again.json().code]).toEqual([409, 'PROJECT_ALREADY_CONTRACTED']);

    const res = await plan.staff.post(`/api/contracts/${draft.id}/sign`, { signedOn: '2026-10-20' });
    expect(res.statusCode, res.body).toBe(200);
    signed = res.json();
    expect(signed.status).toBe('signed');
    expect(signed.ledger.community!.availableFen).toBe(before.availableFen - amount);
    expect(signed.ledger.community!.committedFen).toBe(before.committedFen + amount);
    const [t] = await queryRows<{ kind: string; amount: number }>(
      ctx,
      sql`select kind, amount::int from ledger_transfer where id = ${`${signed.ref}:commitment`}`,
    );
    expect(t).toEqual({ kind: 'pending', amount });
    expect((await plan.staff.post(`/api/contracts/${draft.id}/sign`, {})).statusCode).toBe(409);
  });

  it('lists the filed projects in scope with the contract covering each', async () => {
    const items = (await plan.staff.get('/api/procurement/projects?fundYear=2026')).json().items as {
      projectId: number;
      contractId: number | null;
    }[];
    expect(items.map((i) => i.projectId).sort((a, b) => a - b)).toEqual(plan.projects.map((p) => p.id).sort((a, b) => a - b));
    expect(
      items
        .filter((i) => i.contractId === signed.id)
        .map((i) => i.projectId)
        .sort(),
    ).toEqual([plan.projects[0]!.id, plan.projects[1]!.id].sort());
    expect((await otherCommunity.get('/api/procurement/projects?fundYear=2026')).json().items).toEqual([]);
    expect((await provA.get('/api/procurement/projects?fundYear=2026')).json().items).toEqual([]);
  });

  it('providers see only their own contracts', async () => {
    expect((await provA.get(`/api/contracts/${signed.id}`)).statusCode).toBe(200);
    expect((await provB.get(`/api/contracts/${signed.id}`)).statusCode).toBe(404);
    expect((await provB.get('/api/contracts')).json().items).toEqual([]);
    expect((await provA.get('/api/contracts')).json().items.map((c: { id: number }) => c.id)).toEqual([signed.id]);
    expect((await otherCommunity.get(`/api/contracts/${signed.id}`)).statusCode).toBe(404);
  });

  it('refuses a signature that would commit more than the community has available', async () => {
    const proc = await procure(plan.staff, FOUR, [plan.projects[2]!.id], providerA.id);
    const draft = await draftContract(plan.staff, proc.id, FOUR, plan.projects[2]!.budgetFen, [
      { condition: 'on_signing', amountFen: plan.projects[2]!.budgetFen },
    ]);
    // Another commitment takes almost everything that is left.
    const available = draft.ledger.community!.availableFen;
    await inTx(ctx.app, (tx, l) =>
      l.commit(tx, {
        id: 'test:other-commitment',
        fundYear: 2026,
        communityCode: FOUR,
        contractRef: 'OTHER-1',
        amount: available - plan.projects[2]!.budgetFen + 1,
      }),
    );
    const res = await plan.staff.post(`/api/contracts/${draft.id}/sign`, {});
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ code: 'ALLOCATION_EXCEEDED', clause: '[N 1]' });
    const after = await contract(plan.staff, draft.id);
    expect(after.status).toBe('draft');
    expect(after.ledger.community!.availableFen).toBe(plan.projects[2]!.budgetFen - 1);
    await inTx(ctx.app, (tx, l) => l.voidPending(tx, { id: 'test:other-commitment:void', pendingId: 'test:other-commitment' }));
    const cancelled = await plan.staff.post(`/api/contracts/${draft.id}/cancel`, { reason: '重新采购' });
    expect(cancelled.json().status).toBe('cancelled');
  });

  describe('payments [N 3.3]', () => {
    let street: Client;
    beforeAll(async () => {
      street = plan.street;
    });
    const inst = (seq: number) => signed.instalments.find((i) => i.seq === seq)!;
    const pendingRequest = async (instalmentId: number) => {
      const list = (await street.get('/api/payment-requests?status=requested')).json().items as { id: number; instalmentId: number }[];
      return list.find((r) => r.instalmentId === instalmentId)!;
    };

    it('pays the on-signing instalment once, only to the contracted provider', async () => {
      const wrongPayee = await provA.post(`/api/instalments/${inst(1).id}/requests`, { payeeProviderId: providerB.id });
      expect(wrongPayee.statusCode).toBe(422);
      expect(wrongPayee.json()).toMatchObject({ code: 'PAYEE_NOT_CONTRACTED', field: 'payeeProviderId' });
      expect((await provB.post(`/api/instalments/${inst(1).id}/requests`, {})).statusCode).toBe(404);
      expect((await plan.staff.post(`/api/instalments/${inst(1).id}/requests`, {})).statusCode).toBe(403);

      const req = await provA.post(`/api/instalments/${inst(1).id}/requests`, { note: '合同已签订' });
      expect(req.statusCode, req.body).toBe(201);
      const dup = await provA.post(`/api/instalments/${inst(1).id}/requests`, {});
      expect([dup.statusCode, dup.json().code]).toEqual([409, 'REQUEST_EXISTS']);

      const before = (await contract(plan.staff, signed.id)).ledger.community!;
      // The provider cannot approve; another street cannot see it.
      expect((await provA.post(`/api/payment-requests/${req.json().id}/approve`, {})).statusCode).toBe(403);
      const otherStreet = await loginAs(ctx.app, 'street-210102001');
      expect((await otherStreet.post(`/api/payment-requests/${req.json().id}/approve`, {})).statusCode).toBe(404);

      const ok = await street.post(`/api/payment-requests/${req.json().id}/approve`, {});
      expect(ok.statusCode, ok.body).toBe(200);
      expect(ok.json()).toMatchObject({ status: 'approved', created: true, transferId: `${signed.ref}:instalment-1` });
      const retry = await street.post(`/api/payment-requests/${req.json().id}/approve`, {});
      expect(retry.json()).toMatchObject({ status: 'approved', created: false });
      const after = await contract(plan.staff, signed.id);
      expect(after.ledger.paidFen).toBe(600_000);
      expect(after.ledger.community!.paidFen).toBe(before.paidFen + 600_000);
      expect(after.ledger.community!.availableFen).toBe(before.availableFen);
      const transfers = await queryRows<{ n: number }>(
        ctx,
        sql`select count(*)::int as n from ledger_transfer where code = 'disbursement' and pending_id = ${`${signed.ref}:commitment`}`,
      );
      expect(transfers[0]!.n).toBe(1);
      const paidAgain = await provA.post(`/api/instalments/${inst(1).id}/requests`, {});
      expect([paidAgain.statusCode, paidAgain.json().code]).toEqual([409, 'INSTALMENT_PAID']);
    });

    it('pays after a mid-term evaluation only once it has passed', async () => {
      const early = await provA.post(`/api/instalments/${inst(2).id}/requests`, {});
      expect(early.statusCode).toBe(422);
      expect(early.json()).toMatchObject({ code: 'CONDITION_NOT_MET', clause: '[N 3.3]' });
      setEvaluations(ctx.app, { [signed.id]: { midterm: 'failed' } });
      expect((await provA.post(`/api/instalments/${inst(2).id}/requests`, {})).json().message).toContain('中期评估不合格');
      setEvaluations(ctx.app, { [signed.id]: { midterm: 'passed' } });
      const view = await contract(provA, signed.id);
      expect(view.instalments.find((i) => i.seq === 2)!.conditionMet).toBe(true);
      expect(view.instalments.find((i) => i.seq === 3)!.conditionMet).toBe(false);
      const req = await provA.post(`/api/instalments/${inst(2).id}/requests`, {});
      expect(req.statusCode, req.body).toBe(201);
      // Rejected once, asked again, then approved.
      const rejected = await street.post(`/api/payment-requests/${req.json().id}/reject`, { reason: '请补充中期报告' });
      expect(rejected.json().status).toBe('rejected');
      const again = await provA.post(`/api/instalments/${inst(2).id}/requests`, { note: '已补充' });
      expect(again.statusCode).toBe(201);
      expect((await street.post(`/api/payment-requests/${again.json().id}/approve`, {})).statusCode).toBe(200);
    });

    it('pays after the final evaluation only once it has passed, and a dated instalment from its date', async () => {
      setEvaluations(ctx.app, { [signed.id]: { midterm: 'passed', final: 'failed' } });
      const failed = await provA.post(`/api/instalments/${inst(3).id}/requests`, {});
      expect([failed.statusCode, failed.json().code]).toEqual([422, 'CONDITION_NOT_MET']);
      setEvaluations(ctx.app, { [signed.id]: { midterm: 'passed', final: 'passed' } });
      const r3 = await provA.post(`/api/instalments/${inst(3).id}/requests`, {});
      expect(r3.statusCode, r3.body).toBe(201);
      // Approval re-checks the condition: a result withdrawn in between stops the payment.
      setEvaluations(ctx.app, { [signed.id]: { midterm: 'passed', final: null } });
      expect((await street.post(`/api/payment-requests/${r3.json().id}/approve`, {})).statusCode).toBe(422);
      setEvaluations(ctx.app, { [signed.id]: { midterm: 'passed', final: 'passed' } });
      expect((await street.post(`/api/payment-requests/${r3.json().id}/approve`, {})).statusCode).toBe(200);

      const early = await provA.post(`/api/instalments/${inst(4).id}/requests`, {});
      expect([early.statusCode, early.json().code]).toEqual([422, 'CONDITION_NOT_MET']);
      expect(early.json().message).toContain('2026-12-01');
      setToday(ctx.app, '2026-12-01');
      const r4 = await provA.post(`/api/instalments/${inst(4).id}/requests`, {});
      expect(r4.statusCode, r4.body).toBe(201);
      expect((await pendingRequest(inst(4).id)).id).toBe(r4.json().id);
      expect((await street.post(`/api/payment-requests/${r4.json().id}/approve`, {})).statusCode).toBe(200);
      const done = await contract(plan.staff, signed.id);
      expect(done.status).toBe('completed');
      expect(done.ledger).toMatchObject({ paidFen: 2_000_000, outstandingFen: 0 });
      expect(done.instalments.every((i) => i.status === 'paid')).toBe(true);
      const v = await ctx.app.services.ledger.verify();
      expect(v.problems).toEqual([]);
      setToday(ctx.app, '2026-10-20');
    });
  });
});

describe('delivery records [N 3.1.3(2)] and cancellation', () => {
  let c: ContractBody;

  beforeAll(async () => {
    const proc = await procure(plan.staff, FOUR, [plan.projects[3]!.id], providerA.id);
    const draft = await draftContract(plan.staff, proc.id, FOUR, 800_000, [
      { condition: 'on_signing', amountFen: 300_000 },
      { condition: 'after_final_passed', amountFen: 500_000 },
    ]);
    c = (await plan.staff.post(`/api/contracts/${draft.id}/sign`, {})).json();
    setToday(ctx.app, '2026-11-05');
  });

  it('the provider records an activity within the contract period', async () => {
    const body = {
      heldOn: '2026-11-01',
      place: '社区活动室',
      content: '重阳节敬老活动',
      participants: 40,
      beneficiaries: 35,
      volunteers: 8,
      charityResources: '爱心企业捐赠月饼 50 盒',
      charityValueFen: 250_000,
    };
    const outside = await provA.post(`/api/contracts/${c.id}/activities`, { ...body, heldOn: '2026-10-01' });
    expect([outside.statusCode, outside.json().code]).toEqual([422, 'ACTIVITY_OUTSIDE_PERIOD']);
    expect((await provB.post(`/api/contracts/${c.id}/activities`, body)).statusCode).toBe(404);
    const res = await provA.post(`/api/contracts/${c.id}/activities`, body);
    expect(res.statusCode, res.body).toBe(201);
    const list = (await plan.staff.get(`/api/contracts/${c.id}/activities`)).json().items;
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ place: '社区活动室', participants: 40, volunteers: 8, charityValueFen: 250_000 });
  });

  it('stores a real photo and serves it with its type, nosniff, and only within scope', async () => {
    const activityId = (await provA.get(`/api/contracts/${c.id}/activities`)).json().items[0].id;
    const res = await provA.post(`/api/contracts/${c.id}/attachments`, {
      fileName: '../../活动照片.png',
      contentBase64: PNG.toString('base64'),
      activityId,
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ fileName: '活动照片.png', mediaType: 'image/png', sizeBytes: PNG.length });
    const id = res.json().id;
    const got = await ctx.app.inject({ method: 'GET', url: `/api/attachments/${id}`, headers: { cookie: await loginCookie('prov-a') } });
    expect(got.statusCode).toBe(200);
    expect(got.headers['content-type']).toBe('image/png');
    expect(got.headers['x-content-type-options']).toBe('nosniff');
    expect(got.rawPayload.equals(PNG)).toBe(true);
    expect((await plan.staff.get(`/api/attachments/${id}`)).statusCode).toBe(200);
    expect((await provB.get(`/api/attachments/${id}`)).statusCode).toBe(404);
    expect((await otherCommunity.get(`/api/attachments/${id}`)).statusCode).toBe(404);
    const acts = (await plan.staff.get(`/api/contracts/${c.id}/activities`)).json().items;
    expect(acts[0].attachments.map((a: { id: number }) => a.id)).toEqual([id]);
  });

  it('refuses a disguised or oversized file and stores nothing', async () => {
    const count = async () => (await queryRows<{ n: number }>(ctx, sql`select count(*)::int as n from delivery_attachment`))[0]!.n;
    const before = await count();
    const html = Buffer.from('<html><script>alert(document.cookie)</script></html>');
    const exe = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(100)]);
    for (const [fileName, bytes, code] of [
      ['photo.jpg', html, 'UPLOAD_TYPE_REFUSED'],
      ['photo.jpg', exe, 'UPLOAD_TYPE_REFUSED'],
      ['photo.jpg', PNG, 'UPLOAD_TYPE_MISMATCH'],
    ] as const) {
      const res = await provA.post(`/api/contracts/${c.id}/attachments`, { fileName, contentBase64: bytes.toString('base64') });
      expect(res.statusCode, fileName).toBe(400);
      expect(res.json().code).toBe(code);
    }
    const big = Buffer.concat([PNG, Buffer.alloc(5 * 1024 * 1024)]);
    const tooBig = await provA.post(`/api/contracts/${c.id}/attachments`, { fileName: 'big.png', contentBase64: big.toString('base64') });
    expect(tooBig.statusCode).toBe(400);
    expect(tooBig.json().code).toBe('UPLOAD_TOO_LARGE');
    const huge = await provA.post(`/api/contracts/${c.id}/attachments`, {
      fileName: 'huge.png',
      contentBase64: Buffer.alloc(9 * 1024 * 1024).toString('base64'),
    });
    expect([400, 413]).toContain(huge.statusCode);
    expect(await count()).toBe(before);
  });

  it('records a plan adjustment with its reason, decided by the community', async () => {
    const res = await provA.post(`/api/contracts/${c.id}/adjustments`, {
      change: '将 2 场讲座改为入户走访',
      reason: '疫情防控要求减少聚集',
    });
    expect(res.statusCode, res.body).toBe(201);
    expect((await provA.post(`/api/adjustments/${res.json().id}/decide`, { approve: true })).statusCode).toBe(403);
    const ok = await plan.staff.post(`/api/adjustments/${res.json().id}/decide`, { approve: true, note: '同意' });
    expect(ok.json()).toMatchObject({ status: 'approved', decisionNote: '同意' });
    expect((await plan.staff.post(`/api/adjustments/${res.json().id}/decide`, { approve: false })).statusCode).toBe(409);
  });

  it('cancelling releases what is not paid back to the community', async () => {
    const inst1 = c.instalments.find((i) => i.seq === 1)!;
    const req = await provA.post(`/api/instalments/${inst1.id}/requests`, {});
    expect((await plan.street.post(`/api/payment-requests/${req.json().id}/approve`, {})).statusCode).toBe(200);
    const before = (await contract(plan.staff, c.id)).ledger.community!;
    const res = await plan.staff.post(`/api/contracts/${c.id}/cancel`, { reason: '承接主体无法继续履约' });
    expect(res.statusCode, res.body).toBe(200);
    const after = res.json() as ContractBody;
    expect(after.status).toBe('cancelled');
    expect(after.ledger).toMatchObject({ paidFen: 300_000, releasedFen: 500_000, outstandingFen: 0 });
    expect(after.ledger.community!.availableFen).toBe(before.availableFen + 500_000);
    expect(after.instalments.find((i) => i.seq === 2)!.status).toBe('void');
    const late = await provA.post(`/api/instalments/${after.instalments.find((i) => i.seq === 2)!.id}/requests`, {});
    expect(late.statusCode).toBe(422);
    expect(
      (
        await provA.post(`/api/contracts/${c.id}/activities`, {
          heldOn: '2026-11-02',
          place: 'x',
          content: 'x',
          participants: 1,
          beneficiaries: 1,
          volunteers: 0,
        })
      ).statusCode,
    ).toBe(422);
    const audit = await queryRows<{ action: string }>(
      ctx,
      sql`select action from audit_event where entity_type = 'contract' and entity_id = ${String(c.id)} order by seq`,
    );
    expect(audit.map((a) => a.action)).toEqual(['contract.create', 'contract.sign', 'contract.cancel']);
  });
});

async function loginCookie(username: string) {
  return login(ctx.app, username);
}
