import fs from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const buf = fs.readFileSync('/tmp/wt-tests-scratch/seeded.tar');
class Preloaded extends Blob { constructor(b) { super([]); this.b = b; } arrayBuffer() { const c = this.b.slice(); return Promise.resolve(c.buffer); } }
for (const mode of ['blob', 'pre', 'blob', 'pre']) {
  const s = cpu(), w = performance.now();
  const db = await PGlite.create('memory://', { loadDataDir: mode === 'blob' ? new Blob([buf]) : new Preloaded(buf) });
  const o = cpu(), ow = performance.now();
  const r = await db.query('select count(*) from audit_event');
  await db.close();
  console.log(mode, `open cpu ${(o-s).toFixed(0)} wall ${(ow-w).toFixed(0)}`, r.rows[0]);
}
