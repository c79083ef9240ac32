import type { SQL } from 'drizzle-orm';
import type { Db, Executor } from '../../db/client.js';
import { DomainError } from '../../common/errors.js';
import { pathInScope, requirePermission, type Actor } from '../../common/access.js';
import { toAccountState, toTransferRecord, type AccountRow, type LedgerRepository, type TransferRow } from './ledger.repository.js';
import { checkInvariants, recomputeBalances, type AccountKind, type TransferCode, type TransferRecord } from './ledger.rules.js';
import type { LedgerVerificationView } from './ledger.schemas.js';
import { accountView, scopedPrefix, transferView } from './ledger.views.js';

/** What `ledger:verify` and GET /ledger/verify report. */
export type VerifyReport = LedgerVerificationView;

const transferNotFound = () => new DomainError('NOT_FOUND', { zh: '转账不存在', en: 'Transfer not found' }, { kind: 'not_found' });

/** Reading the ledger: accounts and transfers in the caller's scope, the reads of the fund views, and `ledger:verify`. */
export class LedgerQueriesService {
  constructor(
    private readonly db: Db,
    private readonly repo: LedgerRepository,
  ) {}

  async communityAccount(db: Executor, fundYear: number, communityCode: string) {
    return this.repo.accountByKey(db, { fundYear, kind: 'community_available', ref: communityCode });
  }

  /** Transfer ids that already exist among the given ones (e.g. an appropriation's allocations). */
  async existingTransfers(db: Executor, ids: string[]): Promise<TransferRow[]> {
    return this.repo.transfersByIds(db, ids);
  }

  async countTransfers(db: Executor, fundYear: number, code: TransferCode) {
    return this.repo.countTransfers(db, fundYear, code);
  }

  /** For the fund views: accounts of a fund year under a region path, of the given kinds. No access check. */
  async accountsUnder(db: Executor, fundYear: number, pathPrefix: string, kinds?: AccountKind[]): Promise<AccountRow[]> {
    return this.repo.accountsUnder(db, fundYear, pathPrefix, kinds);
  }

  /** For the fund views: the amount disbursed from each account under a region path. No access check. */
  async disbursedByAccount(db: Executor, fundYear: number, pathPrefix: string): Promise<Map<number, number>> {
    return this.repo.disbursedByAccount(db, fundYear, pathPrefix);
  }

  /** For the fund views: community money summed by district and star level (`groups` relates communities to their stars). No access check. */
  async communityMoneyByDistrictAndStars(db: Executor, fundYear: number, pathPrefix: string, groups: SQL) {
    return this.repo.communityMoneyByDistrictAndStars(db, fundYear, pathPrefix, groups);
  }

  async accounts(actor: Actor, fundYear: number, regionPath: string) {
    requirePermission(actor, 'ledger:read');
    const prefix = scopedPrefix(actor, regionPath);
    return (await this.repo.accountsUnder(this.db, fundYear, prefix)).map(accountView);
  }

  /** Transfers touching accounts under a region (or one account), newest first. */
  async transfers(actor: Actor, filter: { fundYear: number; regionPath: string; accountId?: number; limit?: number; offset?: number }) {
    requirePermission(actor, 'ledger:read');
    const prefix = scopedPrefix(actor, filter.regionPath);
    const { items, total } = await this.repo.transfersUnder(this.db, {
      fundYear: filter.fundYear,
      pathPrefix: prefix,
      accountId: filter.accountId,
      limit: Math.min(filter.limit ?? 50, 1000),
      offset: filter.offset ?? 0,
    });
    return { total, items: await this.transferViews(items) };
  }

  async transfer(actor: Actor, id: string) {
    requirePermission(actor, 'ledger:read');
    const t = await this.repo.transfer(this.db, id);
    if (!t) throw transferNotFound();
    const [view] = await this.transferViews([t]);
    if (!pathInScope(actor.scopePath, view!.debit.regionPath) && !pathInScope(actor.scopePath, view!.credit.regionPath))
      throw transferNotFound();
    return view!;
  }

  async transferViews(rows: TransferRow[]) {
    const accounts = new Map(
      (
        await this.repo.accountsByIds(
          this.db,
          rows.flatMap((t) => [t.debitAccountId, t.creditAccountId]),
        )
      ).map((a) => [a.id, a]),
    );
    return rows.map((t) => transferView(t, accounts.get(t.debitAccountId)!, accounts.get(t.creditAccountId)!));
  }

  /** `ledger:verify`: every balance recomputed from the transfers, and every invariant re-checked. */
  async verify(pageSize = 5000): Promise<VerifyReport> {
    const transfers: TransferRecord[] = [];
    for (let after = 0; ;) {
      const page = await this.repo.transfersPage(this.db, after, pageSize);
      if (page.length === 0) break;
      transfers.push(...page.map(toTransferRecord));
      after = page[page.length - 1]!.seq;
    }
    const accounts = (await this.repo.allAccounts(this.db)).map(toAccountState);
    const report = checkInvariants(accounts, transfers);
    // Balances are recomputed above; an account no transfer touches must be all zero.
    const touched = recomputeBalances(transfers);
    for (const a of accounts) {
      if (!touched.has(a.id) && (a.debitsPosted || a.creditsPosted || a.debitsPending || a.creditsPending))
        report.problems.push(`account ${a.id} has balances but no transfers`);
    }
    return {
      ok: report.problems.length === 0,
      accounts: accounts.length,
      transfers: transfers.length,
      problems: report.problems,
      totals: report.totals,
    };
  }
}
