import { loadConfig } from '../config.js';
import { openDatabase } from './client.js';
import { runMigrations } from './migrate.js';

const config = loadConfig();
const database = await openDatabase(config);
await runMigrations(database);
await database.close();
console.log(`migrations applied (${database.kind}${database.kind === 'pglite' ? `, ${config.dataDir}` : ''})`);
