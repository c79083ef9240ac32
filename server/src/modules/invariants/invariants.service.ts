/**
 * BOUNDARY EXEMPTION — the invariant verifier reads every module's tables by design: it checks the
 * business rules that span modules (contracts against plans and the ledger, opinions against the
 * household registry, …) straight from the rows, so that a bug in a module's own code cannot hide
 * a broken rule. It is read-only (it writes nothing, in any table) and no module depends on it; the
 * module-boundary lint rules exempt `modules/invariants/**` for this reason (docs/invariants.md).
 */
import type { Db, Executor } from '../../db/client.js';
import { AuditService } from '../audit/audit.service.js';
import { LedgerService } from '../ledger/ledger.service.js';
import { InvariantsRepository, OFFENDER_LIMIT, type Offender } from './invariants.repository.js';

export interface CheckResult {
  name: string;
  clause: string;
  ok: boolean;
  /** What the check verifies, or (failed) what the first offending row breaks. */
  message: string;
  /** The first row that breaks the rule (table, id, values). */
  firstOffender?: Offender;
  /** Offending rows found (at most OFFENDER_LIMIT are read). */
  offenders: number;
  /** How long the check took. */
  ms?: number;
}

export interface VerifyAllReport {
  ok: boolean;
  checks: CheckResult[];
}

interface CrossTableCheck {
  name: string;
  clause: string;
  rule: string;
  run(repo: InvariantsRepository, db: Executor): Promise<Offender[]>;
}

/** The cross-table rules, in the order they are reported (docs/invariants.md). */
export const CROSS_TABLE_CHECKS: readonly CrossTableCheck[] = [
  {
    name: 'one_live_contract_per_project',
    clause: '[N 4.1]',
    rule: 'at most one live contract per project',
    run: (r, db) => r.projectsWithSeveralLiveContracts(db),
  },
  {
    name: 'contracts_within_project_budget',
    clause: '[N 4.1]',
    rule: 'live contract amounts of a project ≤ its planned budget',
    run: (r, db) => r.projectsOverBudget(db),
  },
  {
    name: 'paid_within_contract_amount',
    clause: '[N 3.3]',
    rule: 'paid ≤ contract amount (instalments and ledger)',
    run: (r, db) => r.contractsOverpaid(db),
  },
  {
    name: 'instalments_sum_to_contract_amount',
    clause: '[N 3.3]',
    rule: "a contract's instalments sum to its amount",
    run: (r, db) => r.contractsWithInstalmentsNotSummingToAmount(db),
  },
  {
    name: 'paid_instalment_has_one_transfer',
    clause: '[N 3.3]',
    rule: 'every paid instalment has exactly one ledger disbursement (and payout), every disbursement one paid instalment',
    run: (r, db) => r.instalmentsWithoutTheirTransfer(db),
  },
  {
    name: 'payout_has_one_paid_instalment',
    clause: '[N 3.3]',
    rule: 'every payout transfer pays exactly one paid instalment',
    run: (r, db) => r.payoutsWithoutPaidInstalment(db),
  },
  {
    name: 'commitments_within_allocation',
    clause: '[N 1]',
    rule: "a community's commitments ≤ its allocation",
    run: (r, db) => r.communitiesOverAllocation(db),
  },
  {
    name: 'opinion_household_in_community',
    clause: '[N 3.1.1(1)]',
    rule: "every opinion's household registered in that community",
    run: (r, db) => r.opinionsFromOtherCommunities(db),
  },
  {
    name: 'objection_within_window',
    clause: '[N 3.1.2(1)]',
    rule: 'no objection outside its window by its received date',
    run: (r, db) => r.objectionsOutsideWindow(db),
  },
  {
    name: 'progress_matches_sources',
    clause: 'ADR 0023',
    rule: 'every progress row (read model) equals its recomputation from the source tables',
    run: (r, db) => r.progressRowsDifferingFromSources(db),
  },
];

export const describeOffender = (o: Offender) => `${o.table} ${o.id} ${JSON.stringify(o.detail)}`;

/**
 * `npm run verify`: the ledger (`ledger:verify`), the audit chain (`audit:verify`) and every
 * cross-table business rule, each reported with the first row that breaks it.
 */
export class InvariantsService {
  private readonly repo = new InvariantsRepository();

  constructor(
    private readonly db: Db,
    private readonly ledger: LedgerService,
    private readonly audit: AuditService,
  ) {}

  async verifyAll(): Promise<VerifyAllReport> {
    const checks: CheckResult[] = [
      await timed(() => this.ledgerCheck()),
      await timed(() => this.auditCheck()),
      ...(await this.crossTableChecks()),
    ];
    return { ok: checks.every((c) => c.ok), checks };
  }

  /** The cross-table checks alone, on a handle or inside a transaction (tests). */
  async crossTableChecks(db: Executor = this.db): Promise<CheckResult[]> {
    const out: CheckResult[] = [];
    for (const check of CROSS_TABLE_CHECKS) out.push(await timed(() => this.crossTable(check, db)));
    return out;
  }

  /** One cross-table check by name. */
  async check(name: string, db: Executor = this.db): Promise<CheckResult> {
    const check = CROSS_TABLE_CHECKS.find((c) => c.name === name);
    if (!check) throw new Error(`no invariant check named ${name}`);
    return this.crossTable(check, db);
  }

  private async crossTable(check: CrossTableCheck, db: Executor = this.db): Promise<CheckResult> {
    const found = await check.run(this.repo, db);
    const base = { name: check.name, clause: check.clause, offenders: found.length };
    if (found.length === 0) return { ...base, ok: true, message: check.rule };
    const first = found[0]!;
    const more = found.length >= OFFENDER_LIMIT ? ` (${OFFENDER_LIMIT}+ rows)` : found.length > 1 ? ` (${found.length} rows)` : '';
    return { ...base, ok: false, firstOffender: first, message: `${check.rule} — broken by ${describeOffender(first)}${more}` };
  }

  private async ledgerCheck(): Promise<CheckResult> {
    const report = await this.ledger.verify();
    const base = { name: 'ledger', clause: '[N 1] [N 3.3]', offenders: report.problems.length };
    if (report.ok)
      return { ...base, ok: true, message: `ledger:verify — ${report.accounts} accounts, ${report.transfers} transfers recomputed` };
    return {
      ...base,
      ok: false,
      firstOffender: ledgerOffender(report.problems[0]!),
      message: `ledger:verify — ${report.problems[0]}${report.problems.length > 1 ? ` (${report.problems.length} problems)` : ''}`,
    };
  }

  private async auditCheck(): Promise<CheckResult> {
    const result = await this.audit.verify();
    const base = { name: 'audit_chain', clause: 'spec §5', offenders: result.ok && result.headMatches ? 0 : 1 };
    if (result.ok && result.headMatches) return { ...base, ok: true, message: `audit:verify — ${result.count} events chained` };
    if (result.ok)
      return {
        ...base,
        ok: false,
        firstOffender: { table: 'audit_head', id: '1', detail: { events: result.count } },
        message: 'audit:verify — the events are intact but the stored head does not match them',
      };
    return {
      ...base,
      ok: false,
      firstOffender: { table: 'audit_event', id: String(result.brokenSeq), detail: { reason: result.reason } },
      message: `audit:verify — chain broken at event #${result.brokenSeq}: ${result.reason}`,
    };
  }
}

async function timed(run: () => Promise<CheckResult>): Promise<CheckResult> {
  const t0 = performance.now();
  const result = await run();
  return { ...result, ms: Math.round(performance.now() - t0) };
}

/** The row a `ledger:verify` problem names: an account, a transfer (or a pending one), else the ledger as a whole. */
function ledgerOffender(problem: string): Offender {
  const account = /^account (\d+)/.exec(problem);
  if (account) return { table: 'ledger_account', id: account[1]!, detail: { problem } };
  const transfer = /^(?:transfer|pending|evaluation fee) (\S+)/.exec(problem);
  if (transfer) return { table: 'ledger_transfer', id: transfer[1]!, detail: { problem } };
  return { table: 'ledger_transfer', id: '*', detail: { problem } };
}

/** Every check on a database, with services of its own (tests, benchmarks, the CLI). */
export function verifyAll(db: Db): Promise<VerifyAllReport> {
  return new InvariantsService(db, new LedgerService(db), new AuditService(db)).verifyAll();
}

/** The report as printed by `npm run verify`: one line per check, then the verdict. */
export function formatReport(report: VerifyAllReport): string[] {
  const lines = report.checks.map(
    (c) => `${c.ok ? 'OK  ' : 'FAIL'} ${c.name} ${c.clause}: ${c.message}${c.ms !== undefined ? ` (${c.ms} ms)` : ''}`,
  );
  const failed = report.checks.filter((c) => !c.ok);
  lines.push(
    failed.length === 0
      ? `verify OK: ${report.checks.length} checks passed`
      : `verify FAILED: ${failed.length} of ${report.checks.length} checks; first offending row: ${failed[0]!.firstOffender ? describeOffender(failed[0]!.firstOffender) : failed[0]!.name}`,
  );
  return lines;
}
