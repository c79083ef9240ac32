import type { Db, Executor } from '../../db/client.js';
import { ProgressRepository, type ProgressDifference } from './progress.repository.js';

export type { ProgressDifference, ProgressRow } from './progress.repository.js';

/**
 * The read model of the procedure (ADR 0023): one row per rated community and fund year — funnel
 * step, coverage, decision, plan, contracted and paid money, grades, due dates — kept by the
 * database in the transaction of every write to its source tables (the triggers of migration 0019,
 * so no writer can forget it). The dashboard, money by stars and the reports read these rows.
 * No access check here: callers check the caller's scope and pass a path under it.
 */
export class ProgressService {
  private readonly repo = new ProgressRepository();

  constructor(private readonly db: Db) {}

  /** Recomputes one community-year from the source tables, inside the caller's transaction (repairs, tests). */
  refresh(tx: Executor, communityCode: string, fundYear: number) {
    return this.repo.refresh(tx, fundYear, [communityCode]);
  }

  /** Recomputes every row (after a bulk load made with the triggers off, or to repair). */
  rebuild(db: Executor = this.db) {
    return this.repo.rebuild(db);
  }

  /** For a bulk load: the triggers off while rows are copied in, then on again and every row rebuilt. */
  async bulkLoad<T>(db: Executor, load: () => Promise<T>): Promise<T> {
    await this.repo.setTriggers(db, false);
    try {
      return await load();
    } finally {
      await this.repo.setTriggers(db, true);
      await this.repo.rebuild(db);
    }
  }

  /** Stored rows that differ from the source tables, field by field (`npm run verify`). */
  differences(db: Executor = this.db, limit = 100): Promise<ProgressDifference[]> {
    return this.repo.differences(db, limit);
  }

  row(communityCode: string, fundYear: number, db: Executor = this.db) {
    return this.repo.get(db, communityCode, fundYear);
  }

  funnelByDistrict(fundYear: number, pathPrefix: string, db: Executor = this.db) {
    return this.repo.funnelByDistrict(db, fundYear, pathPrefix);
  }

  funnelCommunities(fundYear: number, pathPrefix: string, db: Executor = this.db) {
    return this.repo.funnelCommunities(db, fundYear, pathPrefix);
  }

  moneyByDistrictAndStars(fundYear: number, pathPrefix: string, db: Executor = this.db) {
    return this.repo.moneyByDistrictAndStars(db, fundYear, pathPrefix);
  }

  gradeTotals(fundYear: number, pathPrefix: string, db: Executor = this.db) {
    return this.repo.gradeTotals(db, fundYear, pathPrefix);
  }
}
