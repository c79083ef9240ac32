import { asc, eq } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { policyYear } from '../../db/schema/policy.js';
import type { PolicyDocument } from './policy.schemas.js';

export class PolicyRepository {
  async years(db: Executor) {
    return db.select({ year: policyYear.year, updatedAt: policyYear.updatedAt }).from(policyYear).orderBy(asc(policyYear.year));
  }

  async get(db: Executor, year: number, forUpdate = false) {
    const q = db.select().from(policyYear).where(eq(policyYear.year, year));
    const rows = forUpdate ? await q.for('update') : await q;
    const row = rows[0];
    return row ? { year: row.year, document: row.document as PolicyDocument, updatedAt: row.updatedAt } : undefined;
  }

  async insert(db: Executor, year: number, document: PolicyDocument) {
    await db.insert(policyYear).values({ year, document });
  }

  async update(db: Executor, year: number, document: PolicyDocument) {
    await db.update(policyYear).set({ document, updatedAt: new Date() }).where(eq(policyYear.year, year));
  }
}
