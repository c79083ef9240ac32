import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  LedgerModel,
  checkInvariants,
  decideTransfer,
  recomputeBalances,
  type TransferRecord,
  type TransferRequest,
} from './ledger.rules.js';
import { accountLabel } from './ledger.account-label.js';

/** A small ledger: one pool, three communities, four contracts, paid-out and two fee accounts. */
function fixture() {
  const m = new LedgerModel();
  const pool = m.openAccount('fund_pool');
  const communities = [m.openAccount('community_available'), m.openAccount('community_available'), m.openAccount('community_available')];
  const contracts = [
    m.openAccount('contract', 30_000),
    m.openAccount('contract', 50_000),
    m.openAccount('contract', 80_000),
    m.openAccount('contract', 10_000),
  ];
  const paidOut = m.openAccount('paid_out');
  const feeSource = m.openAccount('evaluation_fee');
  const feeSpent = m.openAccount('evaluation_fee');
  return { m, pool, communities, contracts, paidOut, feeSource, feeSpent };
}

type Op =
  | { t: 'allocate'; c: number; amount: number }
  | { t: 'commit'; c: number; k: number; amount: number }
  | { t: 'post'; p: number; amount: number | null }
  | { t: 'void'; p: number }
  | { t: 'payout'; k: number; amount: number }
  | { t: 'fee'; onFund: boolean; amount: number }
  | { t: 'correct'; p: number; amount: number }
  | { t: 'retry'; p: number; alter: boolean };

const amount = fc.integer({ min: 1, max: 60_000 });
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ t: fc.constant('allocate' as const), c: fc.nat(2), amount }),
  fc.record({ t: fc.constant('commit' as const), c: fc.nat(2), k: fc.nat(3), amount }),
  fc.record({ t: fc.constant('post' as const), p: fc.nat(50), amount: fc.option(amount, { nil: null }) }),
  fc.record({ t: fc.constant('void' as const), p: fc.nat(50) }),
  fc.record({ t: fc.constant('payout' as const), k: fc.nat(3), amount }),
  fc.record({ t: fc.constant('fee' as const), onFund: fc.boolean(), amount }),
  fc.record({ t: fc.constant('correct' as const), p: fc.nat(50), amount }),
  fc.record({ t: fc.constant('retry' as const), p: fc.nat(50), alter: fc.boolean() }),
);

/** An oracle written independently of the rules: sums per account straight from the transfers. */
function independentCheck(f: ReturnType<typeof fixture>) {
  const ts = f.m.transfers;
  const byId = new Map(ts.map((t) => [t.id, t]));
  for (const c of f.communities) {
    const allocated =
      ts.filter((t) => t.code === 'allocation' && t.creditAccountId === c).reduce((s, t) => s + t.amount, 0) -
      ts.filter((t) => t.code === 'correction' && t.debitAccountId === c).reduce((s, t) => s + t.amount, 0);
    const committed = ts.filter((t) => t.kind === 'pending' && t.debitAccountId === c).reduce((s, t) => s + t.amount, 0);
    const released = ts.filter((t) => t.kind === 'void_pending' && t.debitAccountId === c).reduce((s, t) => s + t.amount, 0);
    // commitments (outstanding + paid) never exceed the allocation
    expect(committed - released).toBeLessThanOrEqual(allocated);
    expect(allocated).toBeGreaterThanOrEqual(0);
  }
  for (const k of f.contracts) {
    const limit = f.m.accounts.get(k)!.limitFen!;
    const paidIn = ts.filter((t) => t.kind === 'post_pending' && t.creditAccountId === k).reduce((s, t) => s + t.amount, 0);
    const paidOut = ts.filter((t) => t.code === 'payout' && t.debitAccountId === k).reduce((s, t) => s + t.amount, 0);
    expect(paidIn).toBeLessThanOrEqual(limit);
    expect(paidOut).toBeLessThanOrEqual(paidIn);
  }
  for (const t of ts) {
    if (t.pendingId) {
      const resolved = ts.filter((x) => x.pendingId === t.pendingId).reduce((s, x) => s + x.amount, 0);
      expect(resolved).toBeLessThanOrEqual(byId.get(t.pendingId)!.amount);
    }
    const touchesFee = [t.debitAccountId, t.creditAccountId].some((a) => a === f.feeSource || a === f.feeSpent);
    expect(t.code === 'evaluation_fee' || (t.code === 'correction' && byId.get(t.correctsId!)!.code === 'evaluation_fee')).toBe(touchesFee);
  }
  let debits = 0;
  let credits = 0;
  for (const a of f.m.accounts.values()) {
    debits += a.debitsPosted + a.debitsPending;
    credits += a.creditsPosted + a.creditsPending;
  }
  expect(debits).toBe(credits);
}

describe('ledger model, random sequences (fast-check)', () => {
  it('keeps every invariant after every step of allocate/commit/post/void/payout/fee/correct/retry', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 60 }), (ops) => {
        const f = fixture();
        const requests: TransferRequest[] = [];
        let n = 0;
        for (const o of ops) {
          const id = `t${++n}`;
          let request: TransferRequest | null = null;
          const pendings = f.m.transfers.filter((t) => t.kind === 'pending');
          const posted = f.m.transfers.filter((t) => t.kind === 'posted' && t.code !== 'correction');
          switch (o.t) {
            case 'allocate':
              request = {
                id,
                kind: 'posted',
                code: 'allocation',
                debitAccountId: f.pool,
                creditAccountId: f.communities[o.c]!,
                amount: o.amount,
                reference: 'a',
              };
              break;
            case 'commit':
              request = {
                id,
                kind: 'pending',
                code: 'commitment',
                debitAccountId: f.communities[o.c]!,
                creditAccountId: f.contracts[o.k]!,
                amount: o.amount,
                reference: 'c',
              };
              break;
            case 'post':
              if (pendings.length)
                request = {
                  id,
                  kind: 'post_pending',
                  code: 'disbursement',
                  pendingId: pendings[o.p % pendings.length]!.id,
                  ...(o.amount === null ? {} : { amount: o.amount }),
                  reference: 'p',
                };
              break;
            case 'void':
              if (pendings.length)
                request = { id, kind: 'void_pending', code: 'release', pendingId: pendings[o.p % pendings.length]!.id, reference: 'v' };
              break;
            case 'payout':
              request = {
                id,
                kind: 'posted',
                code: 'payout',
                debitAccountId: f.contracts[o.k]!,
                creditAccountId: f.paidOut,
                amount: o.amount,
                reference: 'o',
              };
              break;
            case 'fee':
              request = o.onFund
                ? {
                    id,
                    kind: 'posted',
                    code: 'evaluation_fee',
                    debitAccountId: f.communities[0]!,
                    creditAccountId: f.paidOut,
                    amount: o.amount,
                    reference: 'f',
                  }
                : {
                    id,
                    kind: 'posted',
                    code: 'evaluation_fee',
                    debitAccountId: f.feeSource,
                    creditAccountId: f.feeSpent,
                    amount: o.amount,
                    reference: 'f',
                  };
              break;
            case 'correct':
              if (posted.length) {
                const target = posted[o.p % posted.length]!;
                request = {
                  id,
                  kind: 'posted',
                  code: 'correction',
                  debitAccountId: target.creditAccountId,
                  creditAccountId: target.debitAccountId,
                  amount: o.amount,
                  correctsId: target.id,
                  reference: 'x',
                };
              }
              break;
            case 'retry': {
              if (requests.length) {
                const first = requests[o.p % requests.length]!;
                const stored = f.m.transfer(first.id);
                const before = JSON.stringify([...f.m.accounts.values()]);
                const count = f.m.transfers.length;
                const again = o.alter ? { ...first, reference: `${first.reference}-changed` } : first;
                const result = f.m.submit(again);
                if (!stored) {
                  // The first attempt was refused; a retry is decided afresh and must keep the invariants.
                  expect(result.status).not.toBe('exists');
                } else if (stored.reference !== again.reference) {
                  expect(result.status).toBe('refused');
                  expect(result.status === 'refused' && result.violation.code).toBe('IDEMPOTENCY_CONFLICT');
                  expect(f.m.transfers.length).toBe(count);
                  expect(JSON.stringify([...f.m.accounts.values()])).toBe(before);
                } else {
                  expect(result).toEqual({ status: 'exists', transfer: stored });
                  expect(f.m.transfers.length).toBe(count);
                  expect(JSON.stringify([...f.m.accounts.values()])).toBe(before);
                }
              }
              break;
            }
          }
          if (request) {
            requests.push(request);
            const before = JSON.stringify([...f.m.accounts.values()]);
            const result = f.m.submit(request);
            if (result.status === 'refused') {
              expect(JSON.stringify([...f.m.accounts.values()])).toBe(before);
              if (o.t === 'fee' && o.onFund) expect(result.violation.clause).toBe('[N 3.12]');
            }
            if (o.t === 'fee' && o.onFund) expect(result.status).toBe('refused');
          }
          const report = f.m.check();
          expect(report.problems).toEqual([]);
          independentCheck(f);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('ledger decisions', () => {
  it('refuses a commitment beyond the allocation, naming [N 1]', () => {
    const f = fixture();
    expect(
      f.m.submit({
        id: 'a',
        kind: 'posted',
        code: 'allocation',
        debitAccountId: f.pool,
        creditAccountId: f.communities[0]!,
        amount: 20_000,
        reference: '',
      }).status,
    ).toBe('created');
    const r = f.m.submit({
      id: 'c',
      kind: 'pending',
      code: 'commitment',
      debitAccountId: f.communities[0]!,
      creditAccountId: f.contracts[2]!,
      amount: 20_001,
      reference: '',
    });
    expect(r.status === 'refused' && [r.violation.code, r.violation.clause]).toEqual(['ALLOCATION_EXCEEDED', '[N 1]']);
  });

  it('posts a commitment in parts, then voids the rest, and refuses a further post with PENDING_RESOLVED', () => {
    const f = fixture();
    f.m.submit({
      id: 'a',
      kind: 'posted',
      code: 'allocation',
      debitAccountId: f.pool,
      creditAccountId: f.communities[0]!,
      amount: 100_000,
      reference: '',
    });
    f.m.submit({
      id: 'c',
      kind: 'pending',
      code: 'commitment',
      debitAccountId: f.communities[0]!,
      creditAccountId: f.contracts[1]!,
      amount: 50_000,
      reference: '',
    });
    expect(f.m.submit({ id: 'p1', kind: 'post_pending', code: 'disbursement', pendingId: 'c', amount: 20_000, reference: '' }).status).toBe(
      'created',
    );
    const over = f.m.submit({ id: 'p2', kind: 'post_pending', code: 'disbursement', pendingId: 'c', amount: 30_001, reference: '' });
    expect(over.status === 'refused' && over.violation.code).toBe('PENDING_AMOUNT_EXCEEDED');
    const v = f.m.submit({ id: 'v', kind: 'void_pending', code: 'release', pendingId: 'c', reference: '' });
    expect(v.status === 'created' && v.transfer.amount).toBe(30_000);
    const again = f.m.submit({ id: 'p3', kind: 'post_pending', code: 'disbursement', pendingId: 'c', reference: '' });
    expect(again.status === 'refused' && again.violation.kind).toBe('conflict');
    const community = f.m.accounts.get(f.communities[0]!)!;
    expect([community.creditsPosted, community.debitsPosted, community.debitsPending]).toEqual([100_000, 20_000, 0]);
  });

  it('refuses money leaving the fund other than along its route ([N 4.1])', () => {
    const f = fixture();
    const accounts = f.m.accounts;
    const d = decideTransfer(
      {
        id: 'x',
        kind: 'posted',
        code: 'allocation',
        debitAccountId: f.communities[0]!,
        creditAccountId: f.paidOut,
        amount: 1,
        reference: '',
      },
      { accounts },
    );
    expect(!d.ok && d.violation.clause).toBe('[N 4.1]');
  });

  it('recomputes balances from transfers alone and detects a tampered balance', () => {
    const f = fixture();
    f.m.submit({
      id: 'a',
      kind: 'posted',
      code: 'allocation',
      debitAccountId: f.pool,
      creditAccountId: f.communities[1]!,
      amount: 500,
      reference: '',
    });
    const recomputed = recomputeBalances(f.m.transfers);
    expect(recomputed.get(f.communities[1]!)!.creditsPosted).toBe(500);
    const tampered = [...f.m.accounts.values()].map((a) => (a.id === f.pool ? { ...a, debitsPosted: 400 } : a));
    const report = checkInvariants(tampered, f.m.transfers as TransferRecord[]);
    expect(report.ok).toBe(false);
    expect(report.problems.join('\n')).toMatch(/stored 400, recomputed 500/);
  });
});

describe('accountLabel: accounts named, not coded (issue 19)', () => {
  const names: Record<string, string> = { '210115001004': '长江社区', '210102021003': '红星城社区' };
  const nameOf = (c: string) => names[c];
  it('names a community account by its community and a contract share by its contract and community', () => {
    expect(accountLabel({ kind: 'community_available', ref: '210115001004' }, nameOf)).toBe('社区可用额度 · 长江社区');
    expect(accountLabel({ kind: 'contract', ref: 'HT2026-000004/210102021003' }, nameOf)).toBe('合同 · HT2026-000004 · 红星城社区');
    expect(accountLabel({ kind: 'paid_out', ref: '210102021003' }, nameOf)).toBe('已拨付 · 红星城社区');
  });
  it('keeps the pool without a ref, and the code when no name is known', () => {
    expect(accountLabel({ kind: 'fund_pool', ref: '' }, nameOf)).toBe('专项资金池');
    expect(accountLabel({ kind: 'community_available', ref: '210199999999' }, nameOf)).toBe('社区可用额度 · 210199999999');
  });
});
