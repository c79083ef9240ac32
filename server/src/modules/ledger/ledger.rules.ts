/**
 * The fund ledger's rules, in the spirit of TigerBeetle (spec §2): accounts with four running
 * balances, immutable transfers in integer fen, pending transfers (commitments) that are later
 * posted in whole or in part, or voided. Pure: the service locks the accounts, asks
 * `decideTransfer`, and writes what it answers; the property tests drive the same functions
 * through `LedgerModel`; `ledger:verify` recomputes with `recomputeBalances` / `checkInvariants`.
 *
 * Deviation from TigerBeetle, on purpose: a pending transfer may be posted in several parts (one
 * per contract instalment, [N 3.3]) until it is fully posted or the rest is voided.
 *
 * By topic: accounts and balances (ledger.accounts.rules.ts), the decision on a transfer
 * (ledger.transfers.rules.ts), verification and the in-memory model (ledger.verification.rules.ts).
 */
export * from './ledger.accounts.rules.js';
export * from './ledger.transfers.rules.js';
export * from './ledger.verification.rules.js';
