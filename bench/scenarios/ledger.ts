import { sql } from 'drizzle-orm';
import { exec, openTarget, rowsOf, targetEnv } from '../database.js';
import { startServer } from '../processes.js';
import { buildServices } from '../../server/src/services.js';
import { appEnv, auditCheck, fmt, ms, pct, percentile, ratio, type BenchContext, type Check, type ResultRow } from './common.js';

const WRITERS = 16;
/** Fen: each operation commits ¥1,000.00 of a community's allocation and pays ¥300.00 of it. */
const COMMIT_FEN = 100_000;
const PAY_FEN = 30_000;

// ---------------------------------------------------------------- 5. ledger writes

/**
 * 16 writers, each repeatedly signing a commitment (pending community → contract) and paying its
 * first instalment (post-pending + payout): three transfers in two ledger calls, through the
 * ledger service with every invariant checked under row locks — grouped by its group commit
 * (ADR 0021), then once more each call in a transaction of the caller's own. Runs on the next fund year, topped
 * up by an allocation of its own, so that repeated runs never run out of money.
 */
export async function ledgerBenchmark(ctx: BenchContext): Promise<ResultRow> {
  const database = await openTarget(ctx.target, WRITERS + 4);
  const services = buildServices(database.db);
  const year = ctx.fundYear + 1;
  const checks: Check[] = [];
  try {
    const communities = await rowsOf<{ code: string; path: string }>(
      database,
      `select code, path from region where level = 'community' order by md5(code) limit 2000`,
    );
    const perCommunity = Math.ceil((WRITERS * ctx.seconds * 2_000) / communities.length) * COMMIT_FEN;
    await database.db.transaction((tx) =>
      services.ledger.allocateMany(
        tx,
        year,
        communities.map((c) => ({
          id: `bench:${ctx.runId}:alloc:${c.code}`,
          communityCode: c.code,
          communityPath: c.path,
          amount: perCommunity,
          reference: '基准测试额度',
        })),
      ),
    );

    const run = async (operation: (writer: number, n: number) => Promise<void>) => {
      const deadline = performance.now() + ctx.seconds * 1000;
      let operations = 0;
      let refused = 0;
      let firstError = '';
      const latencies: number[] = [];
      await Promise.all(
        Array.from({ length: WRITERS }, async (_, writer) => {
          for (let n = 0; performance.now() < deadline; n++) {
            const t0 = performance.now();
            try {
              await operation(writer, n);
              operations++;
              latencies.push(performance.now() - t0);
            } catch (err) {
              refused++;
              firstError ||= (err as Error).message;
            }
          }
        }),
      );
      return { operations, refused, firstError, transfersPerSecond: (operations * 3) / ctx.seconds, p99: percentile(latencies, 99) };
    };

    // Each writer's calls go through the ledger's group commit (made with the database handle, not
    // in a transaction of the caller's): what one writer asks while a batch is in flight is applied
    // with the other writers' requests in the next transaction.
    const operation = (prefix: string, inCallerTransaction: boolean) => async (writer: number, n: number) => {
      const community = communities[(writer * 7919 + n * 104_729) % communities.length]!;
      const ref = `BENCH-${ctx.runId}-${prefix}${writer}-${n}`;
      const commitment = { id: `${ref}:commitment`, fundYear: year, communityCode: community.code, contractRef: ref, amount: COMMIT_FEN };
      const payment = { id: `${ref}:instalment-1`, pendingId: `${ref}:commitment`, amount: PAY_FEN };
      if (inCallerTransaction) {
        await database.db.transaction((tx) => services.ledger.commit(tx, commitment));
        await database.db.transaction((tx) => services.ledger.postPending(tx, payment));
      } else {
        await services.ledger.commit(database.db, commitment);
        await services.ledger.postPending(database.db, payment);
      }
    };
    const product = await run(operation('', false));
    // The same through a caller's own transaction per call (as procurement pays an instalment):
    // no grouping, one operation per transaction, each still set-based.
    const inCallerTransaction = await run(operation('tx-', true));
    ctx.log(`ledger: ${fmt(product.operations)} operations, ${product.refused} refused`);
    ctx.log(`ledger in callers' transactions: ${fmt(inCallerTransaction.operations)} operations, ${inCallerTransaction.refused} refused`);

    // Baseline: the same three rows per operation, plain INSERTs into a table with no rules.
    await exec(database, 'drop table if exists bench_bare_transfer');
    await exec(
      database,
      'create table bench_bare_transfer (id text primary key, debit text not null, credit text not null, amount bigint not null, created_at timestamptz not null default now())',
    );
    const bare = await run(async (writer, n) => {
      const ref = `BARE-${writer}-${n}`;
      await database.db.transaction((tx) =>
        tx.execute(sql.raw(`insert into bench_bare_transfer (id, debit, credit, amount) values ('${ref}:c', 'a', 'b', ${COMMIT_FEN})`)),
      );
      await database.db.transaction((tx) =>
        tx.execute(
          sql.raw(
            `insert into bench_bare_transfer (id, debit, credit, amount) values ('${ref}:p', 'a', 'b', ${PAY_FEN}), ('${ref}:o', 'b', 'c', ${PAY_FEN})`,
          ),
        ),
      );
    });
    await exec(database, 'drop table if exists bench_bare_transfer');

    await recordContracts(database, ctx);

    const [created] = await rowsOf<{ n: number }>(
      database,
      `select count(*)::int as n from ledger_transfer where id like 'BENCH-${ctx.runId}-%'`,
    );
    const verify = await services.ledger.verify();
    checks.push({
      name: 'no operation refused',
      ok: product.refused === 0 && inCallerTransaction.refused === 0,
      detail: product.firstError || inCallerTransaction.firstError || undefined,
    });
    checks.push({
      name: 'three transfers stored per operation',
      ok: created!.n === (product.operations + inCallerTransaction.operations) * 3,
      detail: `${fmt(created!.n)} transfers`,
    });
    checks.push({
      name: 'ledger:verify recomputes every balance',
      ok: verify.ok,
      detail: verify.ok ? `${fmt(verify.transfers)} transfers, ${fmt(verify.accounts)} accounts` : verify.problems.slice(0, 3).join('; '),
    });
    checks.push({ name: 'baseline inserts all succeeded', ok: bare.refused === 0, detail: bare.firstError || undefined });
    checks.push(await auditCheck(database));

    const r = ratio(product.transfersPerSecond, bare.transfersPerSecond);
    const met = product.transfersPerSecond >= 1_000 && verify.ok;
    return {
      id: 'ledger-writes',
      scale: ctx.scale.name,
      title: `5. 账本：合同占用与拨付 Ledger commitments + payments (${WRITERS} writers)`,
      metrics: {
        transfersPerSecond: product.transfersPerSecond,
        operations: product.operations,
        p99: product.p99,
        baselineTransfersPerSecond: bare.transfersPerSecond,
        ratio: r,
        inCallerTransactionTransfersPerSecond: inCallerTransaction.transfersPerSecond,
        inCallerTransactionRatio: ratio(inCallerTransaction.transfersPerSecond, bare.transfersPerSecond),
      },
      result: `${fmt(product.transfersPerSecond)} transfers/s grouped (operation p99 ${ms(product.p99)}); ${fmt(inCallerTransaction.transfersPerSecond)} transfers/s in callers' transactions`,
      baseline: `plain INSERTs: ${fmt(bare.transfersPerSecond)} rows/s`,
      ratio: pct(r),
      target: {
        text: '≥ 1,000 transfers/s, no invariant broken',
        met,
        why: met
          ? undefined
          : 'a batch is six statements and a commit whatever its size (transfers read, accounts by key, accounts created, one lock statement, what changed while it waited, one apply), against one INSERT per row and a commit per transaction for the baseline; the 2-core machine runs both PostgreSQL and the writers',
      },
      checks,
    };
  } finally {
    await database.close();
  }
}

/**
 * The benchmark times the ledger alone; in the product a commitment is a signed contract and a
 * payment its paid instalment. So that what the benchmark leaves keeps every rule `npm run verify`
 * checks (each payout pays one paid instalment, instalments sum to the contract's amount), the
 * contracts and instalments its transfers stand for are recorded afterwards, untimed, in bulk.
 */
async function recordContracts(database: Awaited<ReturnType<typeof openTarget>>, ctx: BenchContext) {
  const like = `BENCH-${ctx.runId}-%:commitment`;
  await exec(
    database,
    `
    insert into contract (fund_year, procurement_id, purchaser_kind, purchaser_code, community_code, region_path, provider_id, title, amount_fen, starts_on, ends_on, deliverables, status, signed_on, commitment_transfer_id)
    select t.fund_year, p.id, p.purchaser_kind, p.purchaser_code, a.ref, a.region_path, p.selected_provider_id, '基准测试合同 ' || split_part(t.id, ':', 1), t.amount,
           '${ctx.today}', '${ctx.today}', '[]'::jsonb, 'signed', '${ctx.today}', t.id
      from ledger_transfer t
      join ledger_account a on a.id = t.debit_account_id
      cross join (select id, purchaser_kind, purchaser_code, selected_provider_id from procurement order by id limit 1) p
     where t.id like '${like}' and t.kind = 'pending'
     order by t.seq`,
  );
  // Instalment 1 (paid when its post went through) and the rest of the amount as instalment 2.
  await exec(
    database,
    `
    insert into contract_instalment (contract_id, seq, condition, amount_fen, status, transfer_id, paid_on)
    select c.id, 1, 'on_signing', ${PAY_FEN}, case when t.id is null then 'open' else 'paid' end, t.id, case when t.id is null then null else '${ctx.today}'::date end
      from contract c left join ledger_transfer t on t.id = split_part(c.commitment_transfer_id, ':', 1) || ':instalment-1'
     where c.commitment_transfer_id like '${like}'
    union all
    select c.id, 2, 'after_final_passed', c.amount_fen - ${PAY_FEN}, 'open', null, null
      from contract c
     where c.commitment_transfer_id like '${like}' and c.amount_fen > ${PAY_FEN}`,
  );
}

// ---------------------------------------------------------------- 6. cold start and memory

export async function startBenchmark(ctx: BenchContext): Promise<ResultRow> {
  const runs = ctx.startRuns;
  const app: { readyMs: number; rss: number }[] = [];
  const bare: { readyMs: number; rss: number }[] = [];
  for (let i = 0; i < runs; i++) {
    // Both from the bundle with plain node (bench/processes.ts), as `npm start` runs the app.
    const s = await startServer('app', appEnv(ctx));
    // Memory once it has served: the first public page and the dashboard's data are in its caches.
    await fetch(`${s.url}/api/public/portal/city?year=${ctx.fundYear}`).catch(() => undefined);
    app.push({ readyMs: s.readyMs, rss: s.rssBytes() });
    await s.stop();
    const b = await startServer('bare', targetEnv(ctx.target));
    await fetch(`${b.url}/health`).catch(() => undefined);
    bare.push({ readyMs: b.readyMs, rss: b.rssBytes() });
    await b.stop();
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const readyMs = median(app.map((a) => a.readyMs));
  const rssMb = median(app.map((a) => a.rss)) / 1024 / 1024;
  const bareMs = median(bare.map((b) => b.readyMs));
  const bareRssMb = median(bare.map((b) => b.rss)) / 1024 / 1024;
  const met = readyMs < 1_000 && rssMb < 150;
  return {
    id: 'cold-start',
    scale: ctx.scale.name,
    title: '6. 冷启动与常驻内存 Cold start to first 200, resident memory',
    metrics: { readyMs, rssMb, bareReadyMs: bareMs, bareRssMb, ratio: ratio(readyMs, bareMs) },
    result: `${ms(readyMs)} to first 200; RSS ${fmt(rssMb)} MB`,
    baseline: `bare Fastify on the same database, bundled and started the same way: ${ms(bareMs)}, RSS ${fmt(bareRssMb)} MB`,
    ratio: `${fmt(ratio(readyMs, bareMs), 1)}×`,
    target: {
      text: 'cold start < 1 s, RSS < 150 MB after serving',
      met,
      why: met
        ? undefined
        : "the bundle still loads Fastify, TypeBox, Drizzle, the chosen driver and every module's routes and services before listening (route schemas compile at first use, ADR 0020); see the bare server's time for what node and Fastify alone cost on this machine",
    },
    checks: [{ name: `started and answered ${runs} time(s)`, ok: app.length === runs && bare.length === runs }],
  };
}
