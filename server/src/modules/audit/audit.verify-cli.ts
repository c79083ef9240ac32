import { loadConfig } from '../../config.js';
import { openDatabase } from '../../db/client.js';
import { AuditService } from './audit.service.js';

/** `npm run audit:verify`: exit 0 when the chain is intact, 1 naming the first broken event. */
const config = loadConfig();
const database = await openDatabase(config);
try {
  const result = await new AuditService(database.db).verify();
  if (result.ok && result.headMatches) {
    console.log(`audit chain OK: ${result.count} events, head ${result.headHash}`);
  } else if (result.ok) {
    console.error(`audit chain events are intact (${result.count}) but the stored head does not match them`);
    process.exitCode = 1;
  } else {
    console.error(`audit chain BROKEN at event #${result.brokenSeq}: ${result.reason} (${result.count} events verified before it)`);
    process.exitCode = 1;
  }
} finally {
  await database.close();
}
