import { and, desc, eq, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { underPath } from '../../common/region-scope.js';
import { modelCase } from '../../db/schema/supervision.js';

export type ModelCaseRow = typeof modelCase.$inferSelect;

/** The model_case table [N 4.4]: written and read by ModelCasesService only. */
export class ModelCasesRepository {
  async insertCase(db: Executor, row: typeof modelCase.$inferInsert) {
    return (await db.insert(modelCase).values(row).returning())[0]!;
  }

  async modelCase(db: Executor, id: number, forUpdate = false): Promise<ModelCaseRow | undefined> {
    const q = db.select().from(modelCase).where(eq(modelCase.id, id));
    return (forUpdate ? await q.for('update') : await q)[0];
  }

  async updateCase(db: Executor, id: number, patch: Partial<typeof modelCase.$inferInsert>) {
    await db.update(modelCase).set(patch).where(eq(modelCase.id, id));
  }

  async modelCases(
    db: Executor,
    filter: { pathPrefix?: string; published?: boolean; fundYear?: number; communityCode?: string; limit: number; offset: number },
  ): Promise<ModelCaseRow[]> {
    const c: SQL[] = [];
    if (filter.pathPrefix) c.push(underPath(modelCase.regionPath, filter.pathPrefix));
    if (filter.published !== undefined) c.push(eq(modelCase.published, filter.published));
    if (filter.fundYear) c.push(eq(modelCase.fundYear, filter.fundYear));
    if (filter.communityCode) c.push(eq(modelCase.communityCode, filter.communityCode));
    return db
      .select()
      .from(modelCase)
      .where(and(...c))
      .orderBy(desc(modelCase.publishedOn), desc(modelCase.id))
      .limit(filter.limit)
      .offset(filter.offset);
  }
}
