import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { Tx } from '../../server/src/db/client.js';
import { createTestApp, queryRows, type TestContext } from '../helpers/app.js';
import { verifyAll, type CheckResult } from '../../server/src/modules/invariants/invariants.service.js';
import { runVerify } from '../../server/src/ops/verify.js';

/**
 * `npm run verify` on hand-made bad rows: each case breaks one rule with plain SQL inside a
 * transaction, asserts the check fails naming that row (table and id), and rolls back.
 */
describe('business invariants (npm run verify)', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestApp();
  });
  afterAll(async () => {
    await ctx?.close();
  });

  const rows = async <T>(tx: Tx, query: ReturnType<typeof sql>) => ((await tx.execute(query)) as unknown as { rows: T[] }).rows;
  const one = async <T>(tx: Tx, query: ReturnType<typeof sql>) => (await rows<T>(tx, query))[0]!;

  class Rollback extends Error {}
  /** Breaks the data inside a transaction, runs the cross-table checks there, rolls everything back. */
  async function broken(breakIt: (tx: Tx) => Promise<void>): Promise<CheckResult[]> {
    let results: CheckResult[] = [];
    await ctx.database.db
      .transaction(async (tx) => {
        await breakIt(tx);
        results = await ctx.app.services.invariants.crossTableChecks(tx);
        throw new Rollback();
      })
      .catch((e: unknown) => {
        if (!(e instanceof Rollback)) throw e;
      });
    return results;
  }
  const failed = (results: CheckResult[]) => results.filter((c) => !c.ok).map((c) => c.name);
  const offender = (results: CheckResult[], name: string) => results.find((c) => c.name === name)!.firstOffender;

  /** A copy of a seeded contract, as a draft over one project, with one instalment of its amount. */
  async function draftContract(tx: Tx, projectId: number, amountFen: number): Promise<number> {
    const { id } = await one<{ id: number }>(
      tx,
      sql`
      insert into contract (fund_year, procurement_id, purchaser_kind, purchaser_code, community_code, region_path, provider_id, title, amount_fen, starts_on, ends_on, deliverables, status)
      select fund_year, procurement_id, purchaser_kind, purchaser_code, community_code, region_path, provider_id, 'bad row', ${amountFen}, starts_on, ends_on, deliverables, 'draft'
        from contract order by id limit 1
      returning id`,
    );
    // The database itself refuses a second live contract (contract_project_live_idx, migration
    // 0012); drop the index inside this rolled-back transaction, as a hand edit or a loader that
    // bypassed it would, so that the verifier is tested on its own.
    await tx.execute(sql`drop index if exists contract_project_live_idx`);
    await tx.execute(sql`insert into contract_project (contract_id, plan_project_id) values (${id}, ${projectId})`);
    await tx.execute(
      sql`insert into contract_instalment (contract_id, seq, condition, amount_fen) values (${id}, 1, 'on_signing', ${amountFen})`,
    );
    return id;
  }
  /** A filed project no contract covers yet. */
  const freeProject = (tx: Tx) =>
    one<{ id: number; budget_fen: number }>(
      tx,
      sql`
      select pp.id, pp.budget_fen from plan_project pp join plan p on p.id = pp.plan_id
       where p.status = 'filed' and pp.budget_fen >= 100 and pp.id not in (select plan_project_id from contract_project)
       order by pp.id limit 1`,
    );
  /** A signed contract with a paid instalment and an open one. */
  const paidContract = (tx: Tx) =>
    one<{
      id: number;
      amount_fen: number;
      community_code: string;
      fund_year: number;
      paid_id: number;
      paid_transfer: string;
      open_id: number;
    }>(
      tx,
      sql`
      select c.id, c.amount_fen, c.community_code, c.fund_year,
             p.id as paid_id, p.transfer_id as paid_transfer, o.id as open_id
        from contract c
        join contract_instalment p on p.contract_id = c.id and p.status = 'paid'
        join contract_instalment o on o.contract_id = c.id and o.status = 'open'
       where c.status = 'signed'
       order by c.id, p.seq, o.seq limit 1`,
    );

  it('passes every check on the seeded demo city', async () => {
    const report = await verifyAll(ctx.database.db);
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.checks.map((c) => c.name)).toEqual([
      'ledger',
      'audit_chain',
      'one_live_contract_per_project',
      'contracts_within_project_budget',
      'paid_within_contract_amount',
      'instalments_sum_to_contract_amount',
      'paid_instalment_has_one_transfer',
      'payout_has_one_paid_instalment',
      'commitments_within_allocation',
      'opinion_household_in_community',
      'objection_within_window',
      'progress_matches_sources',
    ]);
    // The seed has rows of every kind checked, so passing means something.
    const [counts] = await queryRows<Record<string, number>>(
      ctx,
      sql`
      select (select count(*) from contract where status = 'signed')::int as signed, (select count(*) from contract_instalment where status = 'paid')::int as paid,
             (select count(*) from ledger_transfer where code = 'payout')::int as payouts, (select count(*) from needs_opinion)::int as opinions,
             (select count(*) from decision_objection)::int as objections`,
    );
    expect(Object.values(counts!).every((n) => n > 0)).toBe(true);
  });

  it('flags a second live contract on a project, naming the project', async () => {
    let projectId = 0;
    const results = await broken(async (tx) => {
      const p = await freeProject(tx);
      projectId = p.id;
      const half = Math.floor(p.budget_fen / 2);
      await draftContract(tx, p.id, half);
      await draftContract(tx, p.id, half);
    });
    expect(failed(results)).toEqual(['one_live_contract_per_project']);
    expect(offender(results, 'one_live_contract_per_project')).toMatchObject({ table: 'plan_project', id: String(projectId) });
  });

  it('flags the 19 contracts of a ¥5,000 project', async () => {
    let projectId = 0;
    const results = await broken(async (tx) => {
      const p = await freeProject(tx);
      projectId = p.id;
      await tx.execute(sql`update plan_project set budget_fen = 500000 where id = ${p.id}`);
      for (let i = 0; i < 19; i++) await draftContract(tx, p.id, 500000);
    });
    expect(failed(results)).toEqual(['one_live_contract_per_project', 'contracts_within_project_budget']);
    expect(offender(results, 'one_live_contract_per_project')).toMatchObject({ table: 'plan_project', id: String(projectId) });
    expect(offender(results, 'contracts_within_project_budget')).toMatchObject({
      table: 'plan_project',
      id: String(projectId),
      detail: { contractedFen: 19 * 500000, budgetFen: 500000 },
    });
  });

  it('does not count a cancelled contract as live', async () => {
    const results = await broken(async (tx) => {
      const p = await freeProject(tx);
      const first = await draftContract(tx, p.id, p.budget_fen);
      await tx.execute(sql`update contract set status = 'cancelled' where id = ${first}`);
      await tx.execute(sql`update contract_instalment set status = 'void' where contract_id = ${first}`);
      await draftContract(tx, p.id, p.budget_fen);
    });
    expect(failed(results)).toEqual([]);
  });

  it('flags a contract over its project budget, naming the project', async () => {
    let projectId = 0;
    const results = await broken(async (tx) => {
      const p = await freeProject(tx);
      projectId = p.id;
      await draftContract(tx, p.id, p.budget_fen + 1);
    });
    expect(failed(results)).toEqual(['contracts_within_project_budget']);
    expect(offender(results, 'contracts_within_project_budget')).toMatchObject({ table: 'plan_project', id: String(projectId) });
  });

  it('flags a contract that paid more than its amount, naming the contract', async () => {
    let c = { id: 0 } as Awaited<ReturnType<typeof paidContract>>;
    const results = await broken(async (tx) => {
      c = await paidContract(tx);
      const paid = await one<{ amount_fen: number }>(tx, sql`select amount_fen from contract_instalment where id = ${c.paid_id}`);
      await tx.execute(sql`update contract set amount_fen = ${paid.amount_fen - 1} where id = ${c.id}`);
    });
    // Instalments always sum to the amount, so paying more than it also breaks that sum.
    expect(failed(results)).toEqual(['paid_within_contract_amount', 'instalments_sum_to_contract_amount']);
    expect(offender(results, 'paid_within_contract_amount')).toMatchObject({ table: 'contract', id: String(c.id) });
  });

  it('flags a contract whose instalments do not sum to its amount', async () => {
    let c = { id: 0 } as Awaited<ReturnType<typeof paidContract>>;
    const results = await broken(async (tx) => {
      c = await paidContract(tx);
      await tx.execute(sql`update contract_instalment set amount_fen = amount_fen + 1 where id = ${c.open_id}`);
    });
    expect(failed(results)).toEqual(['instalments_sum_to_contract_amount']);
    expect(offender(results, 'instalments_sum_to_contract_amount')).toMatchObject({ table: 'contract', id: String(c.id) });
  });

  it('flags a paid instalment without its ledger transfer, naming the instalment', async () => {
    let c = { id: 0 } as Awaited<ReturnType<typeof paidContract>>;
    const results = await broken(async (tx) => {
      c = await paidContract(tx);
      await tx.execute(sql`update contract_instalment set status = 'paid', paid_on = '2026-06-01' where id = ${c.open_id}`);
    });
    expect(failed(results)).toEqual(['paid_instalment_has_one_transfer']);
    expect(offender(results, 'paid_instalment_has_one_transfer')).toMatchObject({
      table: 'contract_instalment',
      id: String(c.open_id),
      detail: { transferId: null },
    });
  });

  it('flags a disbursement that no paid instalment claims, naming the transfer', async () => {
    let transfer = '';
    const results = await broken(async (tx) => {
      const c = await paidContract(tx);
      transfer = c.paid_transfer;
      // The instalment forgets its transfer: the instalment and the orphaned disbursement both offend.
      await tx.execute(sql`update contract_instalment set transfer_id = null where id = ${c.paid_id}`);
    });
    const check = results.find((r) => r.name === 'paid_instalment_has_one_transfer')!;
    expect(check.ok).toBe(false);
    expect(check.offenders).toBe(2);
    expect(failed(results)).toEqual(['paid_instalment_has_one_transfer', 'payout_has_one_paid_instalment']);
    expect(offender(results, 'payout_has_one_paid_instalment')).toMatchObject({ table: 'ledger_transfer', id: `${transfer}:payout` });
  });

  it('flags a payout transfer that pays no instalment, naming the transfer', async () => {
    const results = await broken(async (tx) => {
      const c = await paidContract(tx);
      const t = await one<{ debit_account_id: number; credit_account_id: number; fund_year: number }>(
        tx,
        sql`select debit_account_id, credit_account_id, fund_year from ledger_transfer where id = ${`${c.paid_transfer}:payout`}`,
      );
      await tx.execute(sql`
        insert into ledger_transfer (id, fund_year, kind, code, debit_account_id, credit_account_id, amount, reference, actor_name)
        values ('bad:payout', ${t.fund_year}, 'posted', 'payout', ${t.debit_account_id}, ${t.credit_account_id}, 1, 'no instalment', 'test')`);
    });
    expect(failed(results)).toEqual(['payout_has_one_paid_instalment']);
    expect(offender(results, 'payout_has_one_paid_instalment')).toMatchObject({ table: 'ledger_transfer', id: 'bad:payout' });
  });

  it('flags a community whose commitments exceed its allocation, naming the community', async () => {
    let c = { id: 0 } as Awaited<ReturnType<typeof paidContract>>;
    const results = await broken(async (tx) => {
      c = await paidContract(tx);
      const { committed } = await one<{ committed: number }>(
        tx,
        sql`
        select sum(amount_fen)::bigint as committed from contract where community_code = ${c.community_code} and fund_year = ${c.fund_year} and status in ('signed', 'completed')`,
      );
      const alloc = await one<{ id: string; amount: number; debit_account_id: number; credit_account_id: number }>(
        tx,
        sql`
        select id, amount, debit_account_id, credit_account_id from ledger_transfer where id = ${`alloc:${c.fund_year}:${c.community_code}`}`,
      );
      // A correction takes back part of the allocation, leaving one fen less than is committed.
      await tx.execute(sql`
        insert into ledger_transfer (id, fund_year, kind, code, debit_account_id, credit_account_id, amount, corrects_id, reference, actor_name)
        values ('bad:correction', ${c.fund_year}, 'posted', 'correction', ${alloc.credit_account_id}, ${alloc.debit_account_id}, ${alloc.amount - committed + 1}, ${alloc.id}, 'test', 'test')`);
    });
    expect(failed(results)).toEqual(['commitments_within_allocation']);
    expect(offender(results, 'commitments_within_allocation')).toMatchObject({
      table: 'region',
      id: c.community_code,
      detail: { fundYear: c.fund_year },
    });
  });

  it('flags an opinion from a household of another community, naming the opinion', async () => {
    let opinionId = 0;
    const results = await broken(async (tx) => {
      const o = await one<{ id: number; community_code: string }>(
        tx,
        sql`select o.id, nc.community_code from needs_opinion o join needs_campaign nc on nc.id = o.campaign_id order by o.id limit 1`,
      );
      opinionId = o.id;
      const h = await one<{ id: number }>(
        tx,
        sql`select id from household where community_code <> ${o.community_code} order by id limit 1`,
      );
      await tx.execute(sql`update needs_opinion set household_id = ${h.id} where id = ${o.id}`);
    });
    expect(failed(results)).toEqual(['opinion_household_in_community']);
    expect(offender(results, 'opinion_household_in_community')).toMatchObject({ table: 'needs_opinion', id: String(opinionId) });
  });

  it('flags an objection received after its window ended, naming the objection', async () => {
    let objectionId = 0;
    const results = await broken(async (tx) => {
      const o = await one<{ id: number }>(tx, sql`select id from decision_objection order by id limit 1`);
      objectionId = o.id;
      await tx.execute(
        sql`update decision_objection o set received_on = n.window_end + 1, entered_on = greatest(o.entered_on, n.window_end + 1) from decision_notice n where n.id = o.notice_id and o.id = ${o.id}`,
      );
    });
    expect(failed(results)).toEqual(['objection_within_window']);
    expect(offender(results, 'objection_within_window')).toMatchObject({ table: 'decision_objection', id: String(objectionId) });
  });

  it('flags an objection received before its notice was posted', async () => {
    const results = await broken(async (tx) => {
      await tx.execute(
        sql`update decision_objection o set received_on = n.posted_on - 1 from decision_notice n where n.id = o.notice_id and o.id = (select max(id) from decision_objection)`,
      );
    });
    expect(failed(results)).toEqual(['objection_within_window']);
  });

  // Last: commits a bad row for good.
  it('flags a progress row (read model) that no longer equals its recomputation, naming community, year and field', async () => {
    const results = await broken(async (tx) => {
      const row = await one<{ community_code: string; fund_year: number; answered_households: number }>(
        tx,
        sql`select community_code, fund_year, answered_households from community_progress order by community_code, fund_year limit 1`,
      );
      // A hand edit: the stored count moved, no opinion did.
      await tx.execute(
        sql`update community_progress set answered_households = answered_households + 7 where community_code = ${row.community_code} and fund_year = ${row.fund_year}`,
      );
      offenderAfter.expected = { ...row, stored: row.answered_households + 7 };
    });
    expect(failed(results)).toEqual(['progress_matches_sources']);
    const e = offenderAfter.expected!;
    expect(offender(results, 'progress_matches_sources')).toEqual({
      table: 'community_progress',
      id: `${e.community_code}/${e.fund_year}`,
      detail: {
        communityCode: e.community_code,
        fundYear: e.fund_year,
        field: 'answered_households',
        stored: e.stored,
        recomputed: e.answered_households,
      },
    });
  });
  const offenderAfter: { expected?: { community_code: string; fund_year: number; answered_households: number; stored: number } } = {};

  it('npm run verify: exit code 1, naming the first offending row', async () => {
    const ok = { out: [] as string[], err: [] as string[] };
    const clean = await runVerify(
      ctx.database.db,
      (l) => ok.out.push(l),
      (l) => ok.err.push(l),
    );
    expect(clean.exitCode).toBe(0);
    expect(ok.err).toEqual([]);
    expect(ok.out.at(-1)).toMatch(/^verify OK: 12 checks passed/);

    const [p] = await queryRows<{ id: number; budget_fen: number }>(
      ctx,
      sql`
      select pp.id, pp.budget_fen from plan_project pp join plan p on p.id = pp.plan_id
       where p.status = 'filed' and pp.budget_fen >= 100 and pp.id not in (select plan_project_id from contract_project) order by pp.id limit 1`,
    );
    await ctx.database.db.transaction(async (tx) => {
      await draftContract(tx, p!.id, p!.budget_fen + 1);
    });
    const bad = { out: [] as string[], err: [] as string[] };
    const run = await runVerify(
      ctx.database.db,
      (l) => bad.out.push(l),
      (l) => bad.err.push(l),
    );
    expect(run.exitCode).toBe(1);
    expect(bad.err[0]).toMatch(
      new RegExp(
        `^FAIL contracts_within_project_budget \\[N 4\\.1\\]: .* plan_project ${p!.id} \\{.*"contractedFen":${p!.budget_fen + 1}[,}]`,
      ),
    );
    expect(bad.err.at(-1)).toMatch(new RegExp(`^verify FAILED: 1 of 12 checks; first offending row: plan_project ${p!.id} `));
    expect(bad.out.filter((l) => l.startsWith('OK '))).toHaveLength(11);
  });

  it('includes ledger:verify, naming the account whose balance no longer matches its transfers', async () => {
    const [t] = await queryRows<{ debit_account_id: number; credit_account_id: number; fund_year: number }>(
      ctx,
      sql`
      select debit_account_id, credit_account_id, fund_year from ledger_transfer where code = 'payout' order by seq limit 1`,
    );
    // A transfer written past the ledger service: no balance moved with it.
    await ctx.database.db.execute(sql`
      insert into ledger_transfer (id, fund_year, kind, code, debit_account_id, credit_account_id, amount, reference, actor_name)
      values ('bad:raw-payout', ${t!.fund_year}, 'posted', 'payout', ${t!.debit_account_id}, ${t!.credit_account_id}, 1, 'past the service', 'test')`);
    const report = await verifyAll(ctx.database.db);
    const ledger = report.checks.find((c) => c.name === 'ledger')!;
    expect(ledger.ok).toBe(false);
    expect(ledger.firstOffender).toMatchObject({ table: 'ledger_account', id: String(t!.debit_account_id) });
    expect(report.checks.find((c) => c.name === 'payout_has_one_paid_instalment')!.firstOffender).toMatchObject({
      table: 'ledger_transfer',
      id: 'bad:raw-payout',
    });
  });
});
