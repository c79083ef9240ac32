import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { buildApp } from '../../server/src/app.js';
import { loadConfig, loadDatabaseUrl } from '../../server/src/config.js';
import { openDatabase, type Database } from '../../server/src/db/client.js';
import { runMigrations } from '../../server/src/db/migrate.js';
import { seedDemoCity } from '../../server/src/seed/seed.js';
import { parseClockSetting } from '../../server/src/common/clock.js';
import { TEST_NOW } from './test-clock.js';
import { ensureServerBundle } from '../../scripts/server-bundle.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A PGlite data directory dump of the migrated, seeded demo city. */
    pgliteSnapshot?: string;
    /** A PostgreSQL database holding the migrated, seeded demo city, to clone as a template. */
    templateDatabase?: string;
  }
}

async function migrateAndSeed(database: Database) {
  await runMigrations(database);
  const app = await buildApp(
    { ...loadConfig({}), logLevel: 'silent', webDir: null, seedDemo: false, now: parseClockSetting(TEST_NOW) },
    database,
  );
  await seedDemoCity(database.db, app.services);
  await app.close();
}

/**
 * Builds the server bundle when stale. Seeds the demo city once per run and hands every test file a copy: a PGlite dump loads in a
 * fraction of the time the seed takes, and PostgreSQL clones a template database. The copy is
 * the same real, migrated database each file would otherwise build itself.
 */
export default async function setup(project: TestProject) {
  // Tests that start the server or a command start the bundle, as `npm start` and the npm scripts
  // do (ADR 0020): built here once, and only when a source changed since the last build.
  await ensureServerBundle();
  const serverUrl = loadDatabaseUrl();
  if (serverUrl) {
    const name = `sf_template_${process.pid}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.query(`create database ${name}`);
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    const database = await openDatabase({ databaseUrl: url.toString(), dataDir: '' });
    await migrateAndSeed(database);
    await database.close();
    project.provide('templateDatabase', name);
    return async () => {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    };
  }
  const database = await openDatabase({ databaseUrl: null, dataDir: 'memory://' });
  await migrateAndSeed(database);
  const dump = await database.pglite!.dumpDataDir('none');
  await database.close();
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sf-snapshot-')), 'seeded.tar');
  fs.writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  project.provide('pgliteSnapshot', file);
  return () => fs.rmSync(path.dirname(file), { recursive: true, force: true });
}
