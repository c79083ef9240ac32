import { loadConfig } from '../../config.js';
import { openDatabase } from '../../db/client.js';
import { formatFen, fen } from '../../common/money.js';
import { LedgerService } from './ledger.service.js';

/** `npm run ledger:verify`: recomputes every balance from the transfers; exit 1 on any difference. */
const config = loadConfig();
const database = await openDatabase(config);
try {
  const report = await new LedgerService(database.db).verify();
  const t = report.totals;
  if (report.ok) {
    console.log(
      `ledger OK: ${report.accounts} accounts, ${report.transfers} transfers; posted ${formatFen(fen(t.debitsPosted))} = ${formatFen(fen(t.creditsPosted))}, pending ${formatFen(fen(t.debitsPending))} = ${formatFen(fen(t.creditsPending))}`,
    );
  } else {
    console.error(`ledger has ${report.problems.length} problem(s) (${report.accounts} accounts, ${report.transfers} transfers):`);
    for (const p of report.problems) console.error(`  - ${p}`);
    process.exitCode = 1;
  }
} finally {
  await database.close();
}
