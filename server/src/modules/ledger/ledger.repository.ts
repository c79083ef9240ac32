import { and, asc, desc, eq, gt, inArray, or, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { ledgerAccount, ledgerTransfer } from '../../db/schema/ledger.js';
import { underPath, underPathSql } from '../../common/region-scope.js';
import type { AccountKind, AccountState, TransferRecord } from './ledger.rules.js';

export type AccountRow = typeof ledgerAccount.$inferSelect;
export type TransferRow = typeof ledgerTransfer.$inferSelect;

export interface AccountKey {
  fundYear: number;
  kind: AccountKind;
  ref: string;
}

export const toAccountState = (a: AccountRow): AccountState => ({
  id: a.id,
  kind: a.kind,
  limitFen: a.limitFen,
  debitsPosted: a.debitsPosted,
  creditsPosted: a.creditsPosted,
  debitsPending: a.debitsPending,
  creditsPending: a.creditsPending,
});

export const toTransferRecord = (t: TransferRow): TransferRecord => ({
  id: t.id,
  kind: t.kind,
  code: t.code,
  debitAccountId: t.debitAccountId,
  creditAccountId: t.creditAccountId,
  amount: t.amount,
  pendingId: t.pendingId,
  correctsId: t.correctsId,
  reference: t.reference,
});

export class LedgerRepository {
  /** Creates the accounts that do not exist yet (concurrent creators wait on the unique key). */
  async ensureAccounts(db: Executor, rows: (AccountKey & { regionPath: string; limitFen?: number | null })[]): Promise<void> {
    if (rows.length === 0) return;
    const sorted = [...rows].sort((a, b) => a.fundYear - b.fundYear || a.kind.localeCompare(b.kind) || a.ref.localeCompare(b.ref));
    for (let i = 0; i < sorted.length; i += 500) {
      await db
        .insert(ledgerAccount)
        .values(
          sorted
            .slice(i, i + 500)
            .map((r) => ({ fundYear: r.fundYear, kind: r.kind, ref: r.ref, regionPath: r.regionPath, limitFen: r.limitFen ?? null })),
        )
        .onConflictDoNothing();
    }
  }

  async accountByKey(db: Executor, key: AccountKey): Promise<AccountRow | undefined> {
    const rows = await db
      .select()
      .from(ledgerAccount)
      .where(and(eq(ledgerAccount.fundYear, key.fundYear), eq(ledgerAccount.kind, key.kind), eq(ledgerAccount.ref, key.ref)));
    return rows[0];
  }

  async accountsByKind(db: Executor, fundYear: number, kind: AccountKind, refs: string[]): Promise<AccountRow[]> {
    if (refs.length === 0) return [];
    const out: AccountRow[] = [];
    for (let i = 0; i < refs.length; i += 1000) {
      out.push(
        ...(await db
          .select()
          .from(ledgerAccount)
          .where(
            and(eq(ledgerAccount.fundYear, fundYear), eq(ledgerAccount.kind, kind), inArray(ledgerAccount.ref, refs.slice(i, i + 1000))),
          )),
      );
    }
    return out;
  }

  async accountById(db: Executor, id: number): Promise<AccountRow | undefined> {
    return (await db.select().from(ledgerAccount).where(eq(ledgerAccount.id, id)))[0];
  }

  /** Row locks in ascending id order: every writer takes them in the same order, so none deadlock. */
  async lockAccounts(tx: Executor, ids: number[]): Promise<AccountRow[]> {
    const unique = [...new Set(ids)].sort((a, b) => a - b);
    return tx.select().from(ledgerAccount).where(inArray(ledgerAccount.id, unique)).orderBy(asc(ledgerAccount.id)).for('update');
  }

  async transfer(db: Executor, id: string): Promise<TransferRow | undefined> {
    return (await db.select().from(ledgerTransfer).where(eq(ledgerTransfer.id, id)))[0];
  }

  async transfersByIds(db: Executor, ids: string[]): Promise<TransferRow[]> {
    if (ids.length === 0) return [];
    const out: TransferRow[] = [];
    for (let i = 0; i < ids.length; i += 1000)
      out.push(
        ...(await db
          .select()
          .from(ledgerTransfer)
          .where(inArray(ledgerTransfer.id, ids.slice(i, i + 1000)))),
      );
    return out;
  }

  async allAccounts(db: Executor): Promise<AccountRow[]> {
    return db.select().from(ledgerAccount).orderBy(asc(ledgerAccount.id));
  }

  async transfersPage(db: Executor, afterSeq: number, limit: number): Promise<TransferRow[]> {
    return db.select().from(ledgerTransfer).where(gt(ledgerTransfer.seq, afterSeq)).orderBy(asc(ledgerTransfer.seq)).limit(limit);
  }

  async accountsUnder(db: Executor, fundYear: number, pathPrefix: string, kinds?: AccountKind[]): Promise<AccountRow[]> {
    const conditions: SQL[] = [eq(ledgerAccount.fundYear, fundYear), underPath(ledgerAccount.regionPath, pathPrefix)];
    if (kinds?.length) conditions.push(inArray(ledgerAccount.kind, kinds));
    return db
      .select()
      .from(ledgerAccount)
      .where(and(...conditions))
      .orderBy(asc(ledgerAccount.id));
  }

  /** Per community account: the sum disbursed (posted commitments), to split debits into paid and corrected. */
  async disbursedByAccount(db: Executor, fundYear: number, pathPrefix: string): Promise<Map<number, number>> {
    const rows = await db
      .select({ id: ledgerTransfer.debitAccountId, s: sql<number>`sum(${ledgerTransfer.amount})`.mapWith(Number) })
      .from(ledgerTransfer)
      .innerJoin(ledgerAccount, eq(ledgerAccount.id, ledgerTransfer.debitAccountId))
      .where(
        and(
          eq(ledgerTransfer.fundYear, fundYear),
          eq(ledgerTransfer.code, 'disbursement'),
          eq(ledgerAccount.kind, 'community_available'),
          underPath(ledgerAccount.regionPath, pathPrefix),
        ),
      )
      .groupBy(ledgerTransfer.debitAccountId);
    return new Map(rows.map((r) => [r.id, r.s]));
  }

  /**
   * Community accounts under a path summed per district and star level of `groups`, a relation
   * keyed by community code (community_code, stars, district_code): balances, the amount
   * disbursed, the count and the smallest account id (the order districts are listed in).
   * Accounts of communities missing from `groups` are left out.
   */
  async communityMoneyByDistrictAndStars(db: Executor, fundYear: number, pathPrefix: string, groups: SQL) {
    const result = (await db.execute(sql`
      with acc as (
        select a.id, a.ref, a.credits_posted, a.debits_posted, a.debits_pending from ${ledgerAccount} a
        where a.fund_year = ${fundYear} and a.kind = 'community_available' and ${underPathSql(sql`a.region_path`, pathPrefix)}
      ),
      disbursed as (
        select t.debit_account_id as id, sum(t.amount) as amount from ${ledgerTransfer} t join acc on acc.id = t.debit_account_id
        where t.fund_year = ${fundYear} and t.code = 'disbursement' group by t.debit_account_id
      )
      select g.district_code, g.stars, min(acc.id) as first_id, count(*)::int as communities,
        sum(acc.credits_posted)::bigint as credits_posted, sum(acc.debits_posted)::bigint as debits_posted, sum(acc.debits_pending)::bigint as debits_pending,
        coalesce(sum(d.amount), 0)::bigint as disbursed
      from acc join (${groups}) g on g.community_code = acc.ref left join disbursed d on d.id = acc.id
      group by g.district_code, g.stars`)) as unknown as {
      rows: {
        district_code: string;
        stars: number;
        first_id: number;
        communities: number;
        credits_posted: number;
        debits_posted: number;
        debits_pending: number;
        disbursed: number;
      }[];
    };
    return result.rows.map((r) => ({
      districtCode: r.district_code,
      stars: Number(r.stars),
      firstAccountId: Number(r.first_id),
      communities: Number(r.communities),
      creditsPosted: Number(r.credits_posted),
      debitsPosted: Number(r.debits_posted),
      debitsPending: Number(r.debits_pending),
      disbursed: Number(r.disbursed),
    }));
  }

  /** Transfers touching accounts under a region, newest first, with both accounts' keys. */
  async transfersUnder(db: Executor, filter: { fundYear: number; pathPrefix: string; accountId?: number; limit: number; offset: number }) {
    const accountIds = db
      .select({ id: ledgerAccount.id })
      .from(ledgerAccount)
      .where(
        and(
          eq(ledgerAccount.fundYear, filter.fundYear),
          underPath(ledgerAccount.regionPath, filter.pathPrefix),
          ...(filter.accountId ? [eq(ledgerAccount.id, filter.accountId)] : []),
        ),
      );
    const where = and(
      eq(ledgerTransfer.fundYear, filter.fundYear),
      or(inArray(ledgerTransfer.debitAccountId, accountIds), inArray(ledgerTransfer.creditAccountId, accountIds)),
    );
    const [items, totals] = await Promise.all([
      db.select().from(ledgerTransfer).where(where).orderBy(desc(ledgerTransfer.seq)).limit(filter.limit).offset(filter.offset),
      db
        .select({ total: sql<number>`count(*)`.mapWith(Number) })
        .from(ledgerTransfer)
        .where(where),
    ]);
    return { items, total: totals[0]?.total ?? 0 };
  }

  async accountsByIds(db: Executor, ids: number[]): Promise<AccountRow[]> {
    if (ids.length === 0) return [];
    return db
      .select()
      .from(ledgerAccount)
      .where(inArray(ledgerAccount.id, [...new Set(ids)]));
  }

  async countTransfers(db: Executor, fundYear: number, code: TransferRecord['code']): Promise<number> {
    const rows = await db
      .select({ n: sql<number>`count(*)`.mapWith(Number) })
      .from(ledgerTransfer)
      .where(and(eq(ledgerTransfer.fundYear, fundYear), eq(ledgerTransfer.code, code)));
    return rows[0]?.n ?? 0;
  }
}

/** Bulk balance update (one statement) for many accounts already locked by the caller. */
export async function setManyBalances(tx: Executor, accounts: AccountState[]): Promise<void> {
  for (let i = 0; i < accounts.length; i += 500) {
    const values = accounts
      .slice(i, i + 500)
      .map(
        (a) =>
          sql`(${a.id}::bigint, ${a.debitsPosted}::bigint, ${a.creditsPosted}::bigint, ${a.debitsPending}::bigint, ${a.creditsPending}::bigint)`,
      );
    await tx.execute(sql`update ledger_account as a
      set debits_posted = v.dp, credits_posted = v.cp, debits_pending = v.dpe, credits_pending = v.cpe
      from (values ${sql.join(values, sql`, `)}) as v(id, dp, cp, dpe, cpe)
      where a.id = v.id`);
  }
}

export async function insertTransfers(tx: Executor, rows: (typeof ledgerTransfer.$inferInsert)[]): Promise<number> {
  let n = 0;
  for (let i = 0; i < rows.length; i += 500) {
    n += (
      await tx
        .insert(ledgerTransfer)
        .values(rows.slice(i, i + 500))
        .onConflictDoNothing({ target: ledgerTransfer.id })
        .returning({ id: ledgerTransfer.id })
    ).length;
  }
  return n;
}
