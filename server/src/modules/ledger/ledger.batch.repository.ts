import { and, asc, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { ledgerAccount, ledgerTransfer } from '../../db/schema/ledger.js';
import type { AccountKey, AccountRow, TransferRow } from './ledger.repository.js';

/** A transfer decided by the engine, ready to be written. */
export type NewTransferRow = Omit<typeof ledgerTransfer.$inferInsert, 'seq' | 'createdAt'> & { id: string };

export type AccountSeed = AccountKey & { regionPath: string; limitFen: number | null };

/** What the batch learns after the locks: transfers that appeared while it waited, and the sums it decides against. */
export interface LockedFacts {
  twins: string[];
  resolved: Map<string, number>;
  corrected: Map<string, number>;
}

export interface Applied {
  inserted: TransferRow[];
  /** Accounts whose balances the statement had to move, and those it moved (its WHERE restates every invariant). */
  accountsToMove: number;
  accountsMoved: number;
}

const keyCondition = (k: AccountKey) =>
  and(eq(ledgerAccount.fundYear, k.fundYear), eq(ledgerAccount.kind, k.kind), eq(ledgerAccount.ref, k.ref))!;

const PAGE = 500;

/**
 * The set-based statements of the ledger engine (ledger.engine.service.ts): each reads or writes
 * every transfer of a batch at once, so a batch of any size costs the same few round trips.
 */
export class LedgerBatchRepository {
  /** Stored transfers among the ids, each with its credit account's region (a commitment's contract: where its paid-out lives). */
  async transfersWithCreditRegion(db: Executor, ids: string[]): Promise<{ transfer: TransferRow; creditRegionPath: string }[]> {
    if (ids.length === 0) return [];
    const out: { transfer: TransferRow; creditRegionPath: string }[] = [];
    for (let i = 0; i < ids.length; i += PAGE) {
      out.push(
        ...(await db
          .select({ transfer: ledgerTransfer, creditRegionPath: ledgerAccount.regionPath })
          .from(ledgerTransfer)
          .innerJoin(ledgerAccount, eq(ledgerAccount.id, ledgerTransfer.creditAccountId))
          .where(inArray(ledgerTransfer.id, ids.slice(i, i + PAGE)))),
      );
    }
    return out;
  }

  async transfersByIds(db: Executor, ids: string[]): Promise<TransferRow[]> {
    if (ids.length === 0) return [];
    return db.select().from(ledgerTransfer).where(inArray(ledgerTransfer.id, ids));
  }

  /** Accounts by key, without locking (to learn ids and regions before the locks). */
  async accountsByKeys(db: Executor, keys: AccountKey[]): Promise<AccountRow[]> {
    if (keys.length === 0) return [];
    const out: AccountRow[] = [];
    for (let i = 0; i < keys.length; i += PAGE)
      out.push(
        ...(await db
          .select()
          .from(ledgerAccount)
          .where(or(...keys.slice(i, i + PAGE).map(keyCondition)))),
      );
    return out;
  }

  /**
   * Creates the accounts that do not exist yet, in key order (concurrent creators wait on the
   * unique key in the same order); answers the ids of those this statement created.
   */
  async createMissingAccounts(db: Executor, seeds: AccountSeed[]): Promise<number[]> {
    if (seeds.length === 0) return [];
    const sorted = [...seeds].sort((a, b) => a.fundYear - b.fundYear || a.kind.localeCompare(b.kind) || a.ref.localeCompare(b.ref));
    const created: number[] = [];
    for (let i = 0; i < sorted.length; i += PAGE) {
      const rows = await db
        .insert(ledgerAccount)
        .values(sorted.slice(i, i + PAGE))
        .onConflictDoNothing()
        .returning({ id: ledgerAccount.id });
      created.push(...rows.map((r) => r.id));
    }
    return created;
  }

  /** One statement: row locks on every account of the batch, by id or key, taken in ascending id order (no deadlock between writers). */
  async lockAccounts(tx: Executor, ids: number[], keys: AccountKey[]): Promise<AccountRow[]> {
    const conditions: SQL[] = [];
    const unique = [...new Set(ids)];
    if (unique.length) conditions.push(inArray(ledgerAccount.id, unique));
    conditions.push(...keys.map(keyCondition));
    if (conditions.length === 0) return [];
    return tx
      .select()
      .from(ledgerAccount)
      .where(or(...conditions))
      .orderBy(asc(ledgerAccount.id))
      .for('update');
  }

  /**
   * One statement after the locks: which of the batch's ids another writer stored meanwhile, and
   * how much of each pending transfer is already posted or voided, of each corrected one corrected.
   */
  async lockedFacts(tx: Executor, ids: string[], pendingIds: string[], correctedIds: string[]): Promise<LockedFacts> {
    const parts: SQL[] = [];
    if (ids.length)
      parts.push(sql`select 't' as k, id as ref, 0::bigint as n from ledger_transfer where ${inArray(ledgerTransfer.id, ids)}`);
    if (pendingIds.length)
      parts.push(
        sql`select 'r', pending_id, sum(amount)::bigint from ledger_transfer where ${inArray(ledgerTransfer.pendingId, pendingIds)} group by pending_id`,
      );
    if (correctedIds.length)
      parts.push(
        sql`select 'c', corrects_id, sum(amount)::bigint from ledger_transfer where ${inArray(ledgerTransfer.correctsId, correctedIds)} group by corrects_id`,
      );
    const facts: LockedFacts = { twins: [], resolved: new Map(), corrected: new Map() };
    if (parts.length === 0) return facts;
    const result = (await tx.execute(sql.join(parts, sql` union all `))) as unknown as {
      rows: { k: string; ref: string; n: number | string }[];
    };
    for (const r of result.rows) {
      if (r.k === 't') facts.twins.push(r.ref);
      else (r.k === 'r' ? facts.resolved : facts.corrected).set(r.ref, Number(r.n));
    }
    return facts;
  }

  /**
   * The batch applied in one statement: the transfers inserted in decision order (ON CONFLICT on
   * the id: a twin another writer stored is skipped, not overwritten), and every account moved by
   * exactly the transfers inserted — deltas, never absolute values — under a WHERE that restates
   * each account invariant (no overdraft of a community, a contract within its amount, no
   * negative balance), so the database itself refuses what the rules would. `unusedAccounts`,
   * created by the batch for requests that were refused, are removed in the same statement.
   */
  async applyTransfers(tx: Executor, rows: NewTransferRow[], unusedAccounts: number[]): Promise<Applied> {
    const dropped = unusedAccounts.length
      ? sql`, dropped as (delete from ledger_account where ${inArray(ledgerAccount.id, unusedAccounts)} returning id)`
      : sql``;
    if (rows.length === 0) {
      if (unusedAccounts.length) await tx.execute(sql`with x as (select 1) ${dropped} select count(*) from dropped`);
      return { inserted: [], accountsToMove: 0, accountsMoved: 0 };
    }
    const values = rows.map(
      (r, i) =>
        sql`(${i}::int, ${r.id}::text, ${r.fundYear}::int, ${r.kind}::text, ${r.code}::text, ${r.debitAccountId}::bigint, ${r.creditAccountId}::bigint, ${r.amount}::bigint, ${r.pendingId ?? null}::text, ${r.correctsId ?? null}::text, ${r.reference ?? ''}::text, ${r.actorName}::text)`,
    );
    const result = (await tx.execute(sql`
      with v (ord, id, fund_year, kind, code, debit_account_id, credit_account_id, amount, pending_id, corrects_id, reference, actor_name) as (
        values ${sql.join(values, sql`, `)}
      ),
      ins as (
        insert into ledger_transfer (id, fund_year, kind, code, debit_account_id, credit_account_id, amount, pending_id, corrects_id, reference, actor_name)
        select id, fund_year, kind, code, debit_account_id, credit_account_id, amount, pending_id, corrects_id, reference, actor_name from v order by ord
        on conflict (id) do nothing
        returning *
      ),
      moved as (
        select m.account_id, sum(m.dp) as dp, sum(m.cp) as cp, sum(m.dpe) as dpe, sum(m.cpe) as cpe
        from ins cross join lateral (values
          (ins.debit_account_id,
           case when ins.kind in ('posted', 'post_pending') then ins.amount else 0 end, 0::bigint,
           case ins.kind when 'pending' then ins.amount when 'post_pending' then -ins.amount when 'void_pending' then -ins.amount else 0 end, 0::bigint),
          (ins.credit_account_id,
           0::bigint, case when ins.kind in ('posted', 'post_pending') then ins.amount else 0 end,
           0::bigint, case ins.kind when 'pending' then ins.amount when 'post_pending' then -ins.amount when 'void_pending' then -ins.amount else 0 end)
        ) as m (account_id, dp, cp, dpe, cpe)
        group by m.account_id
      ),
      upd as (
        update ledger_account a
           set debits_posted = a.debits_posted + m.dp, credits_posted = a.credits_posted + m.cp,
               debits_pending = a.debits_pending + m.dpe, credits_pending = a.credits_pending + m.cpe
          from moved m
         where a.id = m.account_id
           and a.debits_posted + m.dp >= 0 and a.credits_posted + m.cp >= 0 and a.debits_pending + m.dpe >= 0 and a.credits_pending + m.cpe >= 0
           and (a.kind <> 'community_available' or (a.debits_posted + m.dp) + (a.debits_pending + m.dpe) <= a.credits_posted + m.cp)
           and (a.kind <> 'contract' or (a.limit_fen is not null
                and (a.credits_posted + m.cp) + (a.credits_pending + m.cpe) <= a.limit_fen
                and (a.debits_posted + m.dp) + (a.debits_pending + m.dpe) <= a.credits_posted + m.cp))
           and (a.kind <> 'fund_pool' or (a.credits_posted + m.cp) + (a.credits_pending + m.cpe) <= a.debits_posted + m.dp)
        returning a.id
      )${dropped}
      select ins.id, ins.seq, ins.fund_year, ins.kind, ins.code, ins.debit_account_id, ins.credit_account_id, ins.amount,
             ins.pending_id, ins.corrects_id, ins.reference, ins.actor_name, ins.created_at,
             (select count(*) from moved)::int as to_move, (select count(*) from upd)::int as moved_n
        from ins order by ins.seq`)) as unknown as { rows: RawTransfer[] };
    const first = result.rows[0];
    return {
      inserted: result.rows.map(fromRaw),
      accountsToMove: first ? Number(first.to_move) : 0,
      accountsMoved: first ? Number(first.moved_n) : 0,
    };
  }
}

interface RawTransfer {
  id: string;
  seq: number | string;
  fund_year: number;
  kind: TransferRow['kind'];
  code: TransferRow['code'];
  debit_account_id: number | string;
  credit_account_id: number | string;
  amount: number | string;
  pending_id: string | null;
  corrects_id: string | null;
  reference: string;
  actor_name: string;
  created_at: Date | string;
  to_move: number | string;
  moved_n: number | string;
}

const fromRaw = (r: RawTransfer): TransferRow => ({
  id: r.id,
  seq: Number(r.seq),
  fundYear: Number(r.fund_year),
  kind: r.kind,
  code: r.code,
  debitAccountId: Number(r.debit_account_id),
  creditAccountId: Number(r.credit_account_id),
  amount: Number(r.amount),
  pendingId: r.pending_id,
  correctsId: r.corrects_id,
  reference: r.reference,
  actorName: r.actor_name,
  createdAt: r.created_at instanceof Date ? r.created_at : new Date(r.created_at),
});
