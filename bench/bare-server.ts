import Fastify from 'fastify';
import { sql } from 'drizzle-orm';
import { loadConfig } from '../server/src/config.js';
import { openDatabase } from '../server/src/db/client.js';

/**
 * The baselines' server: Fastify with nothing else, on the same database and driver as the app.
 * POST /bare does one INSERT (the opinion-submission baseline); GET /bare/:code one primary-key
 * SELECT (the public-page baseline).
 */
const config = loadConfig();
const database = await openDatabase(config);
const app = Fastify({ logger: false });
app.get('/health', async () => ({ status: 'ok' }));
app.post<{ Body: { householdId: number; choices: string[] } }>('/bare', async (request) => {
  const result = (await database.db.execute(
    sql`insert into bench_bare (household_id, choices) values (${request.body.householdId}, ${JSON.stringify(request.body.choices)}::jsonb) returning id`,
  )) as unknown as { rows: { id: number }[] };
  return { id: result.rows[0]!.id };
});
app.get<{ Params: { code: string } }>('/bare/:code', async (request) => {
  const result = (await database.db.execute(sql`select code, name, path from region where code = ${request.params.code}`)) as unknown as {
    rows: unknown[];
  };
  return result.rows[0] ?? {};
});
await app.listen({ port: config.port, host: config.host });
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, async () => {
    await app.close();
    await database.close();
    process.exit(0);
  });
}
