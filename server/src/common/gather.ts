import { PgTransaction } from 'drizzle-orm/pg-core';
import type { Executor } from '../db/client.js';

type Loaders<T extends readonly unknown[]> = { readonly [K in keyof T]: () => Promise<T[K]> };

/**
 * Runs independent reads together on a pool, but one after another inside a transaction: a
 * transaction is one connection, which cannot run two queries at once (pg queues them with a
 * deprecation warning today and will refuse them in pg 9).
 */
export async function gather<T extends readonly unknown[]>(db: Executor, loaders: Loaders<T>): Promise<T> {
  if (!(db instanceof PgTransaction)) return Promise.all(loaders.map((load) => load())) as unknown as Promise<T>;
  const results: unknown[] = [];
  for (const load of loaders) results.push(await load());
  return results as unknown as T;
}
