import { loadConfig } from '../config.js';
import { openDatabase } from '../db/client.js';
import { runVerify } from './verify.js';

/**
 * `npm run verify`: ledger:verify, audit:verify and every cross-table business rule
 * (docs/invariants.md); exit 1 naming the first offending row (table, id, values).
 */
const config = loadConfig();
const database = await openDatabase(config);
try {
  const { exitCode } = await runVerify(database.db);
  process.exitCode = exitCode;
} catch (e) {
  const error = e as Error & { cause?: Error };
  console.error(`verify failed: ${error.message}${error.cause?.message ? ` — ${error.cause.message}` : ''}`);
  process.exitCode = 1;
} finally {
  await database.close();
}
