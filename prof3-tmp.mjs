import fs from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
const file = '/tmp/wt-tests-scratch/seeded.tar';
const buf = fs.readFileSync(file);
for (let i = 0; i < 2; i++) {
  const db = await PGlite.create('memory://', { loadDataDir: new Blob([buf]) });
  await db.close();
}
