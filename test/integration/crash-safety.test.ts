import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { promisify } from 'node:util';
import pg from 'pg';
import { createTestDatabase, DEMO_PASSWORD } from '../helpers/app.js';
import { householdCsv, makeHouseholds } from '../helpers/factories-needs.js';
import { bundlePath } from '../../scripts/server-bundle.mjs';

/**
 * Crash safety (issue 10): the real server, killed with SIGKILL in the middle of a bulk import and
 * of a payment approval, then restarted, leaves no partial import, no payment without its ledger
 * transfer (nor a transfer without its payment), and a clean `ledger:verify`, `audit:verify` and `verify`.
 *
 * Two ways to kill mid-transaction: after a timed delay (where the request happens to be), and
 * deterministically, by locking the audit inbox (`audit_inbox`, into which every audited write
 * inserts its event as its last step, ADR 0007) against inserts from a second connection, so that
 * the server's transaction has written everything else and is waiting on that lock when the
 * process dies.
 */
/** The server and commands as `npm start` and the npm scripts run them: the bundle (built by the global setup). */
const node = process.execPath;
const run = promisify(execFile);
const COMMUNITY = '210102001001';
const ROWS = 20_000;

let databaseUrl: string;
let drop: (() => Promise<void>) | null = null;
let probe: pg.Client;
/** A second connection that locks the audit inbox (pg_stat_activity is frozen inside a transaction, so not the probe's). */
let locker: pg.Client;
let server: Running | null = null;

interface Running {
  child: ChildProcess;
  baseUrl: string;
  output: () => string;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

async function startServer(): Promise<Running> {
  const port = await freePort();
  // DATABASE_READ_URL (a PostgreSQL run's replica, ADR 0025) names another database: not this test's.
  const env = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    DATABASE_READ_URL: '',
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    SEED_DEMO: '0',
  };
  // Its own process group, so that the SIGKILL reaches every process of the server's tree at once
  // (the server is one node process; a wrapper, should one ever start it, would die with it).
  const child = spawn(node, [bundlePath('main')], { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited early (${child.exitCode}):\n${output}`);
    try {
      if ((await fetch(`${baseUrl}/api/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      process.kill(-child.pid!, 'SIGKILL');
      throw new Error(`server did not start in time:\n${output}`);
    }
    await sleep(100);
  }
  server = { child, baseUrl, output: () => output };
  return server;
}

async function kill(s: Running): Promise<void> {
  if (s.child.exitCode === null && s.child.signalCode === null) {
    const exited = new Promise((r) => s.child.once('exit', r));
    process.kill(-s.child.pid!, 'SIGKILL'); // the whole group: the wrapper and the server itself
    await exited;
  }
  if (server === s) server = null;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function signIn(s: Running, username: string): Promise<string> {
  const res = await fetch(`${s.baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: s.baseUrl },
    body: JSON.stringify({ username, password: DEMO_PASSWORD }),
  });
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('sf_session='));
  if (!cookie) throw new Error('no session cookie');
  return cookie.split(';')[0]!;
}

/** A POST whose outcome is not awaited by the caller (the server may die under it). */
function post(s: Running, cookie: string, url: string, body: unknown): Promise<number | 'died'> {
  return fetch(`${s.baseUrl}${url}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: s.baseUrl, cookie },
    body: JSON.stringify(body),
  }).then(
    (r) => r.status,
    () => 'died' as const,
  );
}

async function scalar<T = number>(text: string, params: unknown[] = []): Promise<T> {
  const r = await probe.query(text, params);
  return Object.values(r.rows[0] as Record<string, unknown>)[0] as T;
}

/** The server's own connections to this database (the killed process's backends linger a moment). */
async function serverBackends(): Promise<number> {
  return scalar<number>(
    `select count(*)::int from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and application_name not like 'sf-crash-test%' and backend_type = 'client backend'`,
  );
}

async function waitForNoServerBackends() {
  const deadline = Date.now() + 15_000;
  while ((await serverBackends()) > 0) {
    if (Date.now() > deadline) throw new Error("the killed server's database sessions did not end");
    await sleep(50);
  }
}

/** Waits until a backend of the server is blocked on a lock in a statement like `query` (by default, inserting its audit event). */
async function waitForBlockedWriter(query = 'insert into "audit_inbox"%', timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const n = await scalar<number>(
      `select count(*)::int from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and application_name not like 'sf-crash-test%' and wait_event_type = 'Lock' and state = 'active' and query ilike $1`,
      [query],
    );
    if (n > 0) return;
    if (Date.now() > deadline) throw new Error(`no server statement like ${query} ever waited on a lock`);
    await sleep(20);
  }
}

/**
 * Locks the audit inbox against inserts (SHARE conflicts with an insert's ROW EXCLUSIVE) from the
 * locker connection until the returned release is called. The server's chainer waits too.
 */
async function holdAuditInbox(): Promise<() => Promise<void>> {
  await locker.query('begin');
  await locker.query('lock table audit_inbox in share mode');
  return async () => {
    await locker.query('rollback');
  };
}

/** Holds the audit chain head (locked FOR UPDATE by the chainer, ADR 0007) until the returned release is called. */
async function holdAuditHead(): Promise<() => Promise<void>> {
  await locker.query('begin');
  expect((await locker.query('select * from audit_head where id = 1 for update')).rowCount).toBe(1);
  return async () => {
    await locker.query('rollback');
  };
}

async function verifyClean() {
  const env = { ...process.env, DATABASE_URL: databaseUrl, DATABASE_READ_URL: '' };
  const [ledger, audit, all] = await Promise.all([
    run(node, [bundlePath('ledger-verify')], { env }),
    run(node, [bundlePath('audit-verify')], { env }),
    // `npm run verify`: the business invariants across tables too (exits 1 naming a row otherwise).
    run(node, [bundlePath('verify')], { env }),
  ]);
  expect(ledger.stdout).toMatch(/^ledger OK:/);
  expect(audit.stdout).toMatch(/^audit chain OK:/);
  expect(all.stdout).toMatch(/^verify OK: \d+ checks passed$/m);
}

beforeAll(async () => {
  if (!process.env.DATABASE_URL) return;
  const created = await createTestDatabase({ fromSeededSnapshot: true });
  databaseUrl = created.databaseUrl!;
  drop = created.drop;
  // Its pool stays idle (drop() closes it and drops the database, with force).
  probe = new pg.Client({ connectionString: databaseUrl, application_name: 'sf-crash-test-probe' });
  await probe.connect();
  locker = new pg.Client({ connectionString: databaseUrl, application_name: 'sf-crash-test-locker' });
  await locker.connect();
});

afterAll(async () => {
  if (server) await kill(server);
  await probe?.end().catch(() => undefined);
  await locker?.end().catch(() => undefined);
  await drop?.();
});

describe.runIf(!!process.env.DATABASE_URL)('crash safety: SIGKILL mid-transaction, then restart', () => {
  it('a bulk household import killed mid-way is all or nothing', async () => {
    let s = await startServer();
    const auditBefore = await scalar<number>(`select count(*)::int from audit_event where action = 'household.import'`);
    const prefixes: string[] = [];

    // Timed kills: wherever the 20,000-row import happens to be after 150 / 400 / 1200 ms.
    for (const [k, delay] of [150, 400, 1200].entries()) {
      const prefix = `KT${k}`;
      prefixes.push(prefix);
      const cookie = await signIn(s, `community-${COMMUNITY}`);
      const outcome = post(s, cookie, `/api/regions/${COMMUNITY}/households/import`, {
        format: 'csv',
        content: householdCsv(makeHouseholds(ROWS, prefix)),
      });
      await sleep(delay);
      await kill(s);
      expect([200, 'died']).toContain(await outcome);
      await waitForNoServerBackends();
      s = await startServer();
    }

    // Deterministic kill: every row written, the transaction waiting to insert its audit event.
    {
      const prefix = 'KL';
      prefixes.push(prefix);
      const cookie = await signIn(s, `community-${COMMUNITY}`);
      const release = await holdAuditInbox();
      const outcome = post(s, cookie, `/api/regions/${COMMUNITY}/households/import`, {
        format: 'csv',
        content: householdCsv(makeHouseholds(ROWS, prefix)),
      });
      try {
        await waitForBlockedWriter();
        await kill(s);
      } finally {
        await release();
      }
      expect(await outcome).toBe('died');
      await waitForNoServerBackends();
      expect(await scalar(`select count(*)::int from household where community_code = $1 and household_no like 'KL-%'`, [COMMUNITY])).toBe(
        0,
      );
      s = await startServer();
    }

    // Never partial: each file's rows are all there (with its one audit event) or none are.
    let complete = 0;
    for (const prefix of prefixes) {
      const n = await scalar<number>(`select count(*)::int from household where community_code = $1 and household_no like $2`, [
        COMMUNITY,
        `${prefix}-%`,
      ]);
      expect([0, ROWS], `${prefix}: ${n} rows`).toContain(n);
      if (n === ROWS) complete++;
    }
    // Chained, or still in the inbox if the kill came between commit and chaining (ADR 7).
    expect(
      await scalar(
        `select ((select count(*) from audit_event where action = 'household.import') + (select count(*) from audit_inbox where action = 'household.import'))::int`,
      ),
    ).toBe(auditBefore + complete);

    // The restarted server still imports, and the chain and ledger are intact.
    const cookie = await signIn(s, `community-${COMMUNITY}`);
    expect(
      await post(s, cookie, `/api/regions/${COMMUNITY}/households/import`, {
        format: 'csv',
        content: householdCsv(makeHouseholds(50, 'AFTER')),
      }),
    ).toBe(200);
    expect(await scalar(`select count(*)::int from household where community_code = $1 and household_no like 'AFTER-%'`, [COMMUNITY])).toBe(
      50,
    );
    await kill(s);
    await verifyClean();
  }, 80_000);

  it('a payment approval killed mid-way leaves no payment without its transfer, and pays once on retry', async () => {
    const request = (
      await probe.query<{ id: number; instalment_id: number; contract_id: number }>(
        `select pr.id, pr.instalment_id, pr.contract_id from payment_request pr where pr.status = 'requested' order by pr.id limit 1`,
      )
    ).rows[0]!;
    expect(request, 'the seed has a payment request awaiting approval').toBeDefined();
    const street = 'street-210115001'; // the seed's contract awaiting approval is in this street

    async function state() {
      const inst = (
        await probe.query<{ status: string; transfer_id: string | null }>(
          `select status, transfer_id from contract_instalment where id = $1`,
          [request.instalment_id],
        )
      ).rows[0]!;
      const req = (
        await probe.query<{ status: string; transfer_id: string | null }>(`select status, transfer_id from payment_request where id = $1`, [
          request.id,
        ])
      ).rows[0]!;
      const commitment = await scalar<string>(`select commitment_transfer_id from contract where id = $1`, [request.contract_id]);
      const disbursements = (
        await probe.query<{ id: string }>(
          `select id from ledger_transfer where pending_id = $1 and code = 'disbursement' and id like '%:instalment-%'`,
          [commitment],
        )
      ).rows;
      const mine = inst.transfer_id ?? disbursements.find((d) => !d.id.endsWith(':payout'))?.id ?? null;
      const own = mine ? disbursements.filter((d) => d.id === mine) : [];
      const payouts = mine
        ? await scalar<number>(`select count(*)::int from ledger_transfer where id = $1 and code = 'payout'`, [`${mine}:payout`])
        : 0;
      // The event is committed with the payment; a kill right after the commit leaves it in the
      // inbox until the next chaining (ADR 7), so both places count.
      const audits = await scalar<number>(
        `select ((select count(*) from audit_event where action = 'payment.approve' and entity_id = $1) + (select count(*) from audit_inbox where action = 'payment.approve' and entity_id = $1))::int`,
        [String(request.id)],
      );
      return { inst, req, own: own.length, payouts, audits, mine };
    }

    function expectConsistent(st: Awaited<ReturnType<typeof state>>) {
      if (st.inst.status === 'paid') {
        expect(st.req).toEqual({ status: 'approved', transfer_id: st.inst.transfer_id });
        expect(st.own).toBe(1);
        expect(st.payouts).toBe(1);
        expect(st.audits).toBe(1);
      } else {
        expect(st.inst).toEqual({ status: 'requested', transfer_id: null });
        expect(st.req).toEqual({ status: 'requested', transfer_id: null });
        expect(st.mine).toBeNull();
        expect(st.payouts).toBe(0);
        expect(st.audits).toBe(0);
      }
    }

    expectConsistent(await state());
    expect((await state()).inst.status).toBe('requested');
    const transfersBefore = await scalar<number>(`select count(*)::int from ledger_transfer`);

    // Deterministic: the transfer and payout are written, the transaction waits to insert its audit event.
    {
      const s = await startServer();
      const cookie = await signIn(s, street);
      const release = await holdAuditInbox();
      const outcome = post(s, cookie, `/api/payment-requests/${request.id}/approve`, {});
      try {
        await waitForBlockedWriter();
        await kill(s);
      } finally {
        await release();
      }
      expect(await outcome).toBe('died');
      await waitForNoServerBackends();
      const st = await state();
      expect(st.inst.status).toBe('requested');
      expectConsistent(st);
      expect(await scalar(`select count(*)::int from ledger_transfer`)).toBe(transfersBefore);
    }

    // Timed kills, wherever the approval happens to be; stop once it has gone through.
    for (const delay of [5, 20, 60]) {
      const s = await startServer();
      const cookie = await signIn(s, street);
      const outcome = post(s, cookie, `/api/payment-requests/${request.id}/approve`, {});
      await sleep(delay);
      await kill(s);
      expect([200, 'died']).toContain(await outcome);
      await waitForNoServerBackends();
      const st = await state();
      expectConsistent(st);
      if (st.inst.status === 'paid') break;
    }

    // After a restart the approval (or its retry) pays exactly once.
    const s = await startServer();
    const cookie = await signIn(s, street);
    expect(await post(s, cookie, `/api/payment-requests/${request.id}/approve`, {})).toBe(200);
    expect(await post(s, cookie, `/api/payment-requests/${request.id}/approve`, {})).toBe(200);
    const st = await state();
    expect(st.inst.status).toBe('paid');
    expectConsistent(st);
    expect(await scalar(`select count(*)::int from ledger_transfer`)).toBe(transfersBefore + 2);
    await kill(s);
    await verifyClean();
  }, 60_000);

  it('a write killed after its commit, before its event was chained, has the event chained at the next start', async () => {
    const code = '210102001002';
    let s = await startServer();
    const cookie = await signIn(s, 'street-210102001');
    const chained = () =>
      scalar<number>(
        `select count(*)::int from audit_event where action = 'community.update_profile' and entity_id = $1 and after->>'address' = 'after-commit'`,
        [code],
      );
    // The chainer waits on the head, so the response (which waits for the chaining) never comes.
    const release = await holdAuditHead();
    const outcome = fetch(`${s.baseUrl}/api/regions/${code}/profile`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', origin: s.baseUrl, cookie },
      body: JSON.stringify({ address: 'after-commit' }),
    }).then(
      (r) => r.status,
      () => 'died' as const,
    );
    try {
      const deadline = Date.now() + 20_000;
      while ((await scalar<number>(`select count(*)::int from audit_inbox where entity_id = $1`, [code])) === 0) {
        if (Date.now() > deadline) throw new Error('the write never committed its event to the inbox');
        await sleep(20);
      }
      await waitForBlockedWriter('%audit_head%');
      await kill(s);
    } finally {
      await release();
    }
    expect(await outcome).toBe('died');
    await waitForNoServerBackends();
    // Committed: the change and its event (in the inbox), not yet on the chain.
    expect(await scalar<string>(`select address from community_profile where community_code = $1`, [code])).toBe('after-commit');
    expect(await chained()).toBe(0);
    s = await startServer();
    expect(await chained()).toBe(1);
    expect(await scalar(`select count(*)::int from audit_inbox`)).toBe(0);
    await kill(s);
    await verifyClean();
  }, 60_000);
});
