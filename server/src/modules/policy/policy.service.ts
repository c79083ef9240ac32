import type { Db, Executor } from '../../db/client.js';
import { requirePermission, type Actor } from '../../common/access.js';
import { DomainError } from '../../common/errors.js';
import type { AuditActor, AuditService } from '../audit/audit.service.js';
import { PolicyRepository } from './policy.repository.js';
import { unwrap } from '../../common/verdict.js';
import type { LedgerService } from '../ledger/ledger.service.js';
import { appropriatedPolicyEdit, checkPolicyConsistency } from './policy.rules.js';
import type { PolicyDocument, PolicyView, PolicyYearView } from './policy.schemas.js';

export class PolicyService {
  private readonly repo = new PolicyRepository();

  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly ledger: LedgerService,
  ) {}

  async listYears(): Promise<PolicyYearView[]> {
    return (await this.repo.years(this.db)).map((r) => ({ year: r.year, updatedAt: r.updatedAt.toISOString() }));
  }

  /**
   * The fund year the console opens on: the latest year with a policy that has begun by `today`
   * (so the view switches to a new year as soon as its policy exists and the year has started),
   * else the earliest defined; null when no policy exists yet.
   */
  async currentFundYear(today: string): Promise<number | null> {
    const years = (await this.repo.years(this.db)).map((r) => r.year).sort((a, b) => b - a);
    const thisYear = Number(today.slice(0, 4));
    return years.find((y) => y <= thisYear) ?? years[years.length - 1] ?? null;
  }

  /**
   * The policy in force for a fund year; every rule of the notice reads its numbers from here.
   * `lock` holds the row until the caller's transaction ends (the appropriation does, so that an
   * edit and a confirmation of the same year are ordered — ADR 0015).
   */
  async forYear(year: number, db: Executor = this.db, lock = false): Promise<PolicyDocument> {
    const row = await this.repo.get(db, year, lock);
    if (!row) throw policyMissing(year);
    return row.document;
  }

  async get(year: number): Promise<PolicyView> {
    const row = await this.repo.get(this.db, year);
    if (!row) throw policyMissing(year);
    return { year: row.year, document: row.document, updatedAt: row.updatedAt.toISOString() };
  }

  async create(actor: AuditActor, year: number, document: PolicyDocument, tx?: Executor) {
    checkPolicyConsistency(document, year);
    const run = async (t: Executor) => {
      if (await this.repo.get(t, year)) throw policyExists(year);
      await this.repo.insert(t, year, document);
      await this.audit.record(t, actor, { action: 'policy.create', entityType: 'policy_year', entityId: String(year), after: document });
    };
    if (tx) await run(tx);
    else await this.db.transaction(run);
  }

  async update(actor: Actor, year: number, document: PolicyDocument): Promise<PolicyView> {
    requirePermission(actor, 'policy:write');
    checkPolicyConsistency(document, year);
    await this.db.transaction(async (tx) => {
      const before = await this.repo.get(tx, year, true);
      if (!before) throw policyMissing(year);
      // [N 1] ADR 0015: the numbers an appropriation was computed from close with it.
      unwrap(appropriatedPolicyEdit(before.document, document, (await this.ledger.countTransfers(tx, year, 'allocation')) > 0));
      await this.repo.update(tx, year, document);
      await this.audit.record(tx, actor, {
        action: 'policy.update',
        entityType: 'policy_year',
        entityId: String(year),
        before: before.document,
        after: document,
      });
    });
    return this.get(year);
  }

  /** Starts next year's policy from this year's: same numbers, years shifted, then edited. */
  async copy(actor: Actor, fromYear: number, toYear: number): Promise<PolicyView> {
    requirePermission(actor, 'policy:write');
    const source = await this.forYear(fromYear);
    const document: PolicyDocument = { ...structuredClone(source), fundYear: toYear, ratingYear: toYear - 1 };
    await this.db.transaction(async (tx) => {
      if (await this.repo.get(tx, toYear)) throw policyExists(toYear);
      checkPolicyConsistency(document, toYear);
      await this.repo.insert(tx, toYear, document);
      await this.audit.record(tx, actor, {
        action: 'policy.copy',
        entityType: 'policy_year',
        entityId: String(toYear),
        after: { copiedFrom: fromYear, document },
      });
    });
    return this.get(toYear);
  }
}

const policyMissing = (year: number) =>
  new DomainError('POLICY_NOT_FOUND', { zh: `${year} 年度政策尚未制定`, en: `No policy for fund year ${year}` }, { kind: 'not_found' });
const policyExists = (year: number) =>
  new DomainError('POLICY_EXISTS', { zh: `${year} 年度政策已存在`, en: `The ${year} policy already exists` }, { kind: 'conflict' });
