import fs from 'node:fs';
import { Session } from 'node:inspector/promises';
import { buildApp } from './server/src/app.js';
import { loadConfig } from './server/src/config.js';
import { openDatabase } from './server/src/db/client.js';
import { runMigrations } from './server/src/db/migrate.js';
import { parseClockSetting } from './server/src/common/clock.js';
const NOW = '2026-12-07T10:00:00+08:00';
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const buf = fs.readFileSync('/tmp/wt-tests-scratch/seeded.tar');
const session = new Session(); session.connect();
for (let round = 0; round < 2; round++) {
  const database = await openDatabase({ databaseUrl: null, dataDir: 'memory://', loadDataDir: new Blob([buf]) });
  await runMigrations(database);
  if (round === 1) { await session.post('Profiler.enable'); await session.post('Profiler.start'); }
  let s = cpu();
  const app = await buildApp({ ...loadConfig({}), logLevel: 'silent', webDir: null, seedDemo: false, now: parseClockSetting(NOW) }, database);
  const b = cpu();
  await app.ready();
  const r = cpu();
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'city', password: 'Demo12345!' } });
  const l = cpu();
  console.log(`round ${round} build ${(b-s).toFixed(0)} ready ${(r-b).toFixed(0)} login ${(l-r).toFixed(0)} ${res.statusCode}`);
  if (round === 1) { const { profile } = await session.post('Profiler.stop'); fs.writeFileSync('/tmp/wt-tests-scratch/ready.cpuprofile', JSON.stringify(profile)); }
  await app.close(); await database.close();
}
