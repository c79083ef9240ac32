import path from 'node:path';
import { loadConfig } from '../config.js';
import { openDatabase } from '../db/client.js';
import { backupToFile } from './backup.js';
import { AuditService } from '../modules/audit/audit.service.js';

/** `npm run backup -- <file>`: a consistent logical backup of DATA_DIR (PGlite) or DATABASE_URL. */
const file = process.argv[2];
if (!file) {
  console.error('usage: npm run backup -- <file>');
  process.exit(2);
}
const config = loadConfig();
const database = await openDatabase(config);
try {
  // Chain what is waiting in the audit inbox first (ADR 0007); rows still there are backed up too.
  await new AuditService(database.db).flushIfPending();
  const counts = await backupToFile(database, path.resolve(file));
  const rows = Object.values(counts).reduce((a, b) => a + b, 0);
  console.log(`backup written to ${file}: ${Object.keys(counts).length} tables, ${rows} rows (${database.kind})`);
} catch (e) {
  console.error(`backup failed: ${(e as Error).message}`);
  process.exitCode = 1;
} finally {
  await database.close();
}
