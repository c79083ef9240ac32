import { and, asc, eq, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { underPath } from '../../common/region-scope.js';
import { disclosureRecord } from '../../db/schema/disclosure.js';

export type DisclosureRecordRow = typeof disclosureRecord.$inferSelect;

export class DisclosureRepository {
  async records(db: Executor, filter: { pathPrefix: string; fundYear?: number }): Promise<DisclosureRecordRow[]> {
    const conditions: SQL[] = [underPath(disclosureRecord.regionPath, filter.pathPrefix)];
    if (filter.fundYear) conditions.push(eq(disclosureRecord.fundYear, filter.fundYear));
    return db
      .select()
      .from(disclosureRecord)
      .where(and(...conditions))
      .orderBy(asc(disclosureRecord.id));
  }

  /** Inserts once per community, fund year and kind; undefined when one exists already. */
  async insertOnce(db: Executor, row: typeof disclosureRecord.$inferInsert): Promise<DisclosureRecordRow | undefined> {
    const rows = await db.insert(disclosureRecord).values(row).onConflictDoNothing().returning();
    return rows[0];
  }
}
