import { loadConfig } from './config.js';
import { openDatabase } from './db/client.js';
import { runMigrations } from './db/migrate.js';
import { buildApp } from './app.js';
import { seedDemoCity } from './seed/seed.js';

const startedAt = performance.now();
const config = loadConfig();
const database = await openDatabase(config);
await runMigrations(database);
const app = await buildApp(config, database);
if (config.seedDemo) {
  const seeded = await seedDemoCity(database.db, app.services);
  if (seeded) app.log.info({ seeded }, 'demo city seeded');
}
await app.listen({ port: config.port, host: config.host });
app.log.info(
  `StarFund console on http://${config.host}:${config.port} (${database.kind}${database.kind === 'pglite' ? `, data in ${config.dataDir}` : ''}) ready in ${Math.round(performance.now() - startedAt)} ms`,
);

let closing = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, async () => {
    if (closing) return;
    closing = true;
    await app.close();
    await database.close();
    process.exit(0);
  });
}
