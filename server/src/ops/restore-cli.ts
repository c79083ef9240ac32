import path from 'node:path';
import { loadConfig } from '../config.js';
import { openDatabase } from '../db/client.js';
import { restoreFromFile, RestoreRefused } from './backup.js';
import { AuditService } from '../modules/audit/audit.service.js';

/**
 * `npm run restore -- <file> [--force]`: restores into DATA_DIR (PGlite) or DATABASE_URL. The
 * database must be empty unless --force (which replaces everything). Stop the server first.
 */
const args = process.argv.slice(2);
const force = args.includes('--force');
const file = args.find((a) => !a.startsWith('--'));
if (!file) {
  console.error('usage: npm run restore -- <file> [--force]');
  process.exit(2);
}
const config = loadConfig();
const database = await openDatabase(config);
try {
  const counts = await restoreFromFile(database, path.resolve(file), { force });
  const rows = Object.values(counts).reduce((a, b) => a + b, 0);
  const audit = await new AuditService(database.db).verify();
  console.log(`restored ${Object.keys(counts).length} tables, ${rows} rows from ${file} (${database.kind})`);
  if (audit.ok && audit.headMatches) console.log(`audit chain OK: ${audit.count} events`);
  else {
    console.error('audit chain does NOT verify after the restore');
    process.exitCode = 1;
  }
} catch (e) {
  console.error(`restore refused: ${(e as Error).message}`);
  if (!(e instanceof RestoreRefused)) console.error(e);
  process.exitCode = 1;
} finally {
  await database.close();
}
