import { sql } from 'drizzle-orm';
import { bigint, bigserial, check, index, integer, pgTable, text, timestamp, uniqueIndex, type AnyPgColumn } from 'drizzle-orm/pg-core';

/**
 * Ledger accounts per fund year (spec §2, TigerBeetle's model): the fund pool, one available
 * account per community, one per contract, paid-out, and the non-fund evaluation-fee accounts
 * ([N 3.12]). The four running balances are kept by the ledger service under row locks; the
 * CHECK constraints are the database's own backstop of the same invariants.
 */
export const ledgerAccount = pgTable(
  'ledger_account',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    fundYear: integer('fund_year').notNull(),
    kind: text('kind', { enum: ['fund_pool', 'community_available', 'contract', 'paid_out', 'evaluation_fee'] }).notNull(),
    /** '' for the year's pool; the community code (available and paid-out); the contract reference; 'source'/'spent' for fees. */
    ref: text('ref').notNull(),
    /** Region the account belongs to (community path for community and contract accounts), for scope. */
    regionPath: text('region_path').notNull(),
    /** A contract's amount ([N 3.3]); null for other kinds. */
    limitFen: bigint('limit_fen', { mode: 'number' }),
    debitsPosted: bigint('debits_posted', { mode: 'number' }).notNull().default(0),
    creditsPosted: bigint('credits_posted', { mode: 'number' }).notNull().default(0),
    debitsPending: bigint('debits_pending', { mode: 'number' }).notNull().default(0),
    creditsPending: bigint('credits_pending', { mode: 'number' }).notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('ledger_account_key_idx').on(t.fundYear, t.kind, t.ref),
    index('ledger_account_region_idx').on(t.regionPath.op('text_pattern_ops')),
    check(
      'ledger_account_nonnegative_chk',
      sql`${t.debitsPosted} >= 0 and ${t.creditsPosted} >= 0 and ${t.debitsPending} >= 0 and ${t.creditsPending} >= 0`,
    ),
    // [N 1] a community's commitments + payments never exceed its allocation.
    check(
      'ledger_account_community_chk',
      sql`${t.kind} <> 'community_available' or ${t.debitsPosted} + ${t.debitsPending} <= ${t.creditsPosted}`,
    ),
    // [N 3.3] a contract never receives more than its amount, nor pays out more than it received.
    check(
      'ledger_account_contract_chk',
      sql`${t.kind} <> 'contract' or (${t.limitFen} is not null and ${t.creditsPosted} + ${t.creditsPending} <= ${t.limitFen} and ${t.debitsPosted} + ${t.debitsPending} <= ${t.creditsPosted})`,
    ),
    check('ledger_account_pool_chk', sql`${t.kind} <> 'fund_pool' or ${t.creditsPosted} + ${t.creditsPending} <= ${t.debitsPosted}`),
    check('ledger_account_limit_chk', sql`${t.limitFen} is null or ${t.limitFen} > 0`),
  ],
);

/**
 * Immutable, append-only transfers (a trigger refuses UPDATE and DELETE). The id is the caller's
 * idempotency key: a retry finds its first result by primary key.
 */
export const ledgerTransfer = pgTable(
  'ledger_transfer',
  {
    id: text('id').primaryKey(),
    /** Insertion order, for listing and for recomputing balances in order. */
    seq: bigserial('seq', { mode: 'number' }).notNull(),
    fundYear: integer('fund_year').notNull(),
    kind: text('kind', { enum: ['posted', 'pending', 'post_pending', 'void_pending'] }).notNull(),
    code: text('code', {
      enum: ['allocation', 'commitment', 'disbursement', 'payout', 'release', 'correction', 'evaluation_fee'],
    }).notNull(),
    debitAccountId: bigint('debit_account_id', { mode: 'number' })
      .notNull()
      .references(() => ledgerAccount.id),
    creditAccountId: bigint('credit_account_id', { mode: 'number' })
      .notNull()
      .references(() => ledgerAccount.id),
    amount: bigint('amount', { mode: 'number' }).notNull(),
    pendingId: text('pending_id').references((): AnyPgColumn => ledgerTransfer.id),
    correctsId: text('corrects_id').references((): AnyPgColumn => ledgerTransfer.id),
    /** What the money is for: contract, instalment, appropriation … (free text of the caller). */
    reference: text('reference').notNull().default(''),
    actorName: text('actor_name').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('ledger_transfer_seq_idx').on(t.seq),
    index('ledger_transfer_debit_idx').on(t.debitAccountId),
    index('ledger_transfer_credit_idx').on(t.creditAccountId),
    index('ledger_transfer_pending_idx').on(t.pendingId),
    index('ledger_transfer_corrects_idx').on(t.correctsId),
    // Sums per account of one code (disbursed per community account) read from the index alone.
    index('ledger_transfer_year_code_debit_idx').on(t.fundYear, t.code, t.debitAccountId, t.amount),
    check('ledger_transfer_amount_chk', sql`${t.amount} > 0`),
    check('ledger_transfer_accounts_chk', sql`${t.debitAccountId} <> ${t.creditAccountId}`),
    check('ledger_transfer_id_chk', sql`length(${t.id}) between 1 and 200`),
    check('ledger_transfer_pending_chk', sql`(${t.kind} in ('post_pending', 'void_pending')) = (${t.pendingId} is not null)`),
  ],
);
