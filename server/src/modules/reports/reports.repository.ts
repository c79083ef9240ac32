import { and, asc, eq, inArray, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { underPath } from '../../common/region-scope.js';
import { districtReport } from '../../db/schema/reports.js';

export type ReportRow = typeof districtReport.$inferSelect;

export class ReportsRepository {
  async insert(db: Executor, row: typeof districtReport.$inferInsert): Promise<ReportRow | undefined> {
    return (await db.insert(districtReport).values(row).onConflictDoNothing().returning())[0];
  }

  async get(db: Executor, id: number, forUpdate = false): Promise<ReportRow | undefined> {
    const q = db.select().from(districtReport).where(eq(districtReport.id, id));
    return (forUpdate ? await q.for('update') : await q)[0];
  }

  async update(db: Executor, id: number, patch: Partial<typeof districtReport.$inferInsert>) {
    await db.update(districtReport).set(patch).where(eq(districtReport.id, id));
  }

  async list(db: Executor, filter: { pathPrefix: string; fundYear?: number; kind?: string; status?: string[] }): Promise<ReportRow[]> {
    const c: SQL[] = [underPath(districtReport.regionPath, filter.pathPrefix)];
    if (filter.fundYear) c.push(eq(districtReport.fundYear, filter.fundYear));
    if (filter.kind) c.push(eq(districtReport.kind, filter.kind as ReportRow['kind']));
    if (filter.status?.length) c.push(inArray(districtReport.status, filter.status as ReportRow['status'][]));
    return db
      .select()
      .from(districtReport)
      .where(and(...c))
      .orderBy(asc(districtReport.fundYear), asc(districtReport.districtCode), asc(districtReport.kind));
  }
}
