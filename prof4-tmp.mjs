import fs from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const src = '/tmp/wt-tests-scratch/seeded-dir';
const buf = fs.readFileSync('/tmp/wt-tests-scratch/seeded.tar');
async function work(db) {
  const s = cpu();
  for (let i = 0; i < 200; i++) await db.query(`select count(*) from audit_event where seq > ${i}`);
  await db.query('begin'); for (let i = 0; i < 200; i++) await db.query(`update audit_head set hash = hash where id = 1`).catch(()=>{}); await db.query('rollback');
  return cpu() - s;
}
for (let i = 0; i < 2; i++) {
  let s = cpu();
  const dir = `/tmp/wt-tests-scratch/copy-${i}`; fs.rmSync(dir, { recursive: true, force: true });
  fs.cpSync(src, dir, { recursive: true });
  const c = cpu();
  const db = await PGlite.create(dir);
  const o = cpu();
  const w = await work(db);
  await db.close();
  console.log(`nodefs copy ${(c-s).toFixed(0)} open ${(o-c).toFixed(0)} work ${w.toFixed(0)}`);
}
for (let i = 0; i < 2; i++) {
  let s = cpu();
  const db = await PGlite.create('memory://', { loadDataDir: new Blob([buf]) });
  const o = cpu();
  const w = await work(db);
  await db.close();
  console.log(`memfs open ${(o-s).toFixed(0)} work ${w.toFixed(0)}`);
}
