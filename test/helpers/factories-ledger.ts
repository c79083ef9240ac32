import { expect } from 'vitest';
import { sql } from 'drizzle-orm';
import type { App } from '../../server/src/app.js';
import type { Database, Tx } from '../../server/src/db/client.js';
import { DomainError } from '../../server/src/common/errors.js';

/** Runs a ledger call as another module would: inside its own transaction on the given app. */
export function inTx<T>(app: App, fn: (tx: Tx, ledger: App['services']['ledger']) => Promise<T>): Promise<T> {
  return app.database.db.transaction((tx) => fn(tx as Tx, app.services.ledger));
}

/** Communities with a posted allocation in a fund year, largest first (seed: 2026 is appropriated). */
export async function allocatedCommunities(
  database: Database,
  fundYear: number,
): Promise<{ code: string; path: string; allocated: number }[]> {
  const result = (await database.db.execute(sql`
    select ref as code, region_path as path, credits_posted as allocated from ledger_account
    where fund_year = ${fundYear} and kind = 'community_available' order by credits_posted desc, ref`)) as unknown as {
    rows: { code: string; path: string; allocated: number | string }[];
  };
  return result.rows.map((r) => ({ code: r.code, path: r.path, allocated: Number(r.allocated) }));
}

/** Awaits a rejection and checks it is the domain error expected (status and code). */
export async function expectRefusal(promise: Promise<unknown>, status: number, code?: string): Promise<DomainError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, 'expected a refusal').toBeInstanceOf(DomainError);
  const d = error as DomainError;
  expect(d.status).toBe(status);
  if (code) expect(d.code).toBe(code);
  return d;
}
