import {
  type AccountKind,
  type AccountState,
  type Balances,
  type TransferRecord,
  type TransferRequest,
  type Violation,
  accountViolation,
  applyBalances,
  isFundAccount,
  zeroBalances,
} from './ledger.accounts.rules.js';
import { decideTransfer, idempotencyConflict, sameRequest } from './ledger.transfers.rules.js';

/** The ledger verified (spec §2): balances recomputed from the transfers, every invariant re-checked, and the in-memory model of the property tests. */

/** [N 4.1] Balances of every account recomputed from the transfers alone, in order. */
export function recomputeBalances(
  transfers: Iterable<Pick<TransferRecord, 'kind' | 'debitAccountId' | 'creditAccountId' | 'amount'>>,
): Map<number, Balances> {
  const out = new Map<number, Balances>();
  const get = (id: number) => {
    let b = out.get(id);
    if (!b) out.set(id, (b = zeroBalances()));
    return b;
  };
  for (const t of transfers) {
    const [d, c] = applyBalances(get(t.debitAccountId), get(t.creditAccountId), t.kind, t.amount);
    out.set(t.debitAccountId, d);
    out.set(t.creditAccountId, c);
  }
  return out;
}

export interface InvariantReport {
  ok: boolean;
  problems: string[];
  totals: Balances;
}

/** [N 4.1, 3.3] Every invariant of the ledger, for the property tests and for `ledger:verify`. */
export function checkInvariants(accounts: Iterable<AccountState>, transfers: readonly TransferRecord[]): InvariantReport {
  const problems: string[] = [];
  const totals = zeroBalances();
  const recomputed = recomputeBalances(transfers);
  const byId = new Map<number, AccountState>();
  for (const a of accounts) {
    byId.set(a.id, a);
    totals.debitsPosted += a.debitsPosted;
    totals.creditsPosted += a.creditsPosted;
    totals.debitsPending += a.debitsPending;
    totals.creditsPending += a.creditsPending;
    const r = recomputed.get(a.id) ?? zeroBalances();
    for (const field of ['debitsPosted', 'creditsPosted', 'debitsPending', 'creditsPending'] as const) {
      if (r[field] !== a[field]) problems.push(`account ${a.id} ${field}: stored ${a[field]}, recomputed ${r[field]}`);
    }
    const v = accountViolation(a);
    if (v) problems.push(`account ${a.id} (${a.kind}): ${v.code}`);
  }
  for (const id of recomputed.keys()) if (!byId.has(id)) problems.push(`transfers name account ${id}, which does not exist`);
  if (totals.debitsPosted !== totals.creditsPosted)
    problems.push(`posted debits ${totals.debitsPosted} ≠ posted credits ${totals.creditsPosted}`);
  if (totals.debitsPending !== totals.creditsPending)
    problems.push(`pending debits ${totals.debitsPending} ≠ pending credits ${totals.creditsPending}`);

  const transfersById = new Map(transfers.map((t) => [t.id, t]));
  const resolved = new Map<string, number>();
  const corrected = new Map<string, number>();
  for (const t of transfers) {
    if (t.amount <= 0) problems.push(`transfer ${t.id} has amount ${t.amount}`);
    const debit = byId.get(t.debitAccountId);
    const credit = byId.get(t.creditAccountId);
    if (debit && credit) {
      const feeSide = !isFundAccount(debit.kind) || !isFundAccount(credit.kind);
      if (t.code === 'evaluation_fee' && (isFundAccount(debit.kind) || isFundAccount(credit.kind)))
        problems.push(`evaluation fee ${t.id} touches a fund account [N 3.12]`);
      if (feeSide && t.code !== 'evaluation_fee' && t.code !== 'correction')
        problems.push(`transfer ${t.id} (${t.code}) touches the evaluation-fee account [N 3.12]`);
    }
    if (t.pendingId) {
      const p = transfersById.get(t.pendingId);
      if (!p || p.kind !== 'pending') problems.push(`transfer ${t.id} resolves ${t.pendingId}, which is not a pending transfer`);
      resolved.set(t.pendingId, (resolved.get(t.pendingId) ?? 0) + t.amount);
    }
    if (t.correctsId) corrected.set(t.correctsId, (corrected.get(t.correctsId) ?? 0) + t.amount);
  }
  for (const [id, sum] of resolved) {
    const p = transfersById.get(id);
    if (p && sum > p.amount) problems.push(`pending ${id} resolved ${sum} > its amount ${p.amount}`);
  }
  for (const [id, sum] of corrected) {
    const p = transfersById.get(id);
    if (p && sum > p.amount) problems.push(`transfer ${id} corrected by ${sum} > its amount ${p.amount}`);
  }
  return { ok: problems.length === 0, problems, totals };
}

export type SubmitResult =
  | { status: 'created'; transfer: TransferRecord }
  | { status: 'exists'; transfer: TransferRecord }
  | { status: 'refused'; violation: Violation };

/**
 * The whole ledger in memory, for the property tests: the same decisions as the service, with
 * idempotency by id. The service is this, with rows locked in PostgreSQL instead of a Map.
 */
export class LedgerModel {
  readonly accounts = new Map<number, AccountState>();
  readonly transfers: TransferRecord[] = [];
  private readonly byId = new Map<string, TransferRecord>();
  private nextAccountId = 1;

  openAccount(kind: AccountKind, limitFen: number | null = null): number {
    const id = this.nextAccountId++;
    this.accounts.set(id, { id, kind, limitFen, ...zeroBalances() });
    return id;
  }

  transfer(id: string) {
    return this.byId.get(id);
  }

  resolvedOf(pendingId: string): number {
    return this.transfers.filter((t) => t.pendingId === pendingId).reduce((s, t) => s + t.amount, 0);
  }

  submit(request: TransferRequest): SubmitResult {
    const existing = this.byId.get(request.id);
    if (existing)
      return sameRequest(existing, request)
        ? { status: 'exists', transfer: existing }
        : { status: 'refused', violation: idempotencyConflict(request.id) };
    const pending = request.pendingId ? (this.byId.get(request.pendingId) ?? null) : null;
    const corrected = request.correctsId ? (this.byId.get(request.correctsId) ?? null) : null;
    const decision = decideTransfer(request, {
      accounts: this.accounts,
      pending,
      pendingResolved: pending ? this.resolvedOf(pending.id) : 0,
      corrected,
      correctedSoFar: corrected ? this.transfers.filter((t) => t.correctsId === corrected.id).reduce((s, t) => s + t.amount, 0) : 0,
    });
    if (!decision.ok) return { status: 'refused', violation: decision.violation };
    this.accounts.set(decision.debit.id, decision.debit);
    this.accounts.set(decision.credit.id, decision.credit);
    this.transfers.push(decision.transfer);
    this.byId.set(decision.transfer.id, decision.transfer);
    return { status: 'created', transfer: decision.transfer };
  }

  check(): InvariantReport {
    return checkInvariants(this.accounts.values(), this.transfers);
  }
}
