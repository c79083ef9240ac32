import fs from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
const file = '/tmp/wt-tests-scratch/seeded.tar';
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
for (let i = 0; i < 3; i++) {
  let s = cpu(), w = performance.now();
  const db = await PGlite.create('memory://', { loadDataDir: new Blob([fs.readFileSync(file)]) });
  const a = cpu(), aw = performance.now();
  await db.query('select count(*) from audit_event');
  const b = cpu(), bw = performance.now();
  await db.close();
  console.log(`open cpu ${(a-s).toFixed(0)} wall ${(aw-w).toFixed(0)} | first query cpu ${(b-a).toFixed(0)} wall ${(bw-aw).toFixed(0)}`);
}
{
  let s = cpu(), w = performance.now();
  const db = await PGlite.create('memory://');
  console.log(`empty open cpu ${(cpu()-s).toFixed(0)} wall ${(performance.now()-w).toFixed(0)}`);
  await db.close();
}
