import type { Db, Executor } from '../../db/client.js';
import { pathInScope, pathVisible, requirePermission, type Actor } from '../../common/access.js';
import { todayInChina } from '../../common/dates.js';
import type { Now } from '../../common/clock.js';
import { DomainError, notFoundOrHidden } from '../../common/errors.js';
import type { AuditService } from '../audit/audit.service.js';
import type { EvaluationRepository, AssignmentRow, RoundRow } from './evaluation.repository.js';
import type { EvaluationViews } from './evaluation.views.js';
import type { RoundView } from './evaluation.schemas.js';

export const notFound = (zh: string, en: string) => notFoundOrHidden({ zh, en });
const roundNotFound = () => notFound('评估轮次', 'Evaluation round');
const assignmentNotFound = () => notFound('评估任务', 'Evaluation assignment');

/** What the evaluation use cases share: the repository, the audit, the views, and the round or assignment in the actor's scope. */
export class EvaluationContext {
  constructor(
    readonly db: Db,
    readonly repo: EvaluationRepository,
    readonly audit: AuditService,
    readonly views: EvaluationViews,
    private readonly clock: Now,
  ) {}

  /** Today's date in China by the service's clock. */
  today(): string {
    return todayInChina(this.clock());
  }

  seesRound(actor: Actor, r: RoundRow) {
    return pathVisible(actor.scopePath, r.regionPath);
  }

  seesAssignment(actor: Actor, a: AssignmentRow) {
    if (actor.role === 'evaluator') return a.evaluatorOrgId !== null && a.evaluatorOrgId === actor.orgId;
    return pathInScope(actor.scopePath, a.regionPath);
  }

  async roundFor(actor: Actor, id: number, db: Executor = this.db, forUpdate = false) {
    requirePermission(actor, 'evaluations:read');
    const r = await this.repo.round(db, id, forUpdate);
    if (!r) throw roundNotFound();
    if (actor.role === 'evaluator') {
      const mine = await this.repo.assignments(db, { roundIds: [id], orgId: actor.orgId ?? -1 });
      if (!mine.length) throw roundNotFound();
    } else if (!this.seesRound(actor, r)) throw roundNotFound();
    return r;
  }

  requireDistrictOf(actor: Actor, r: RoundRow) {
    if (!pathInScope(actor.scopePath, r.regionPath)) {
      throw new DomainError(
        'FORBIDDEN',
        { zh: '只有本区民政局可以管理本区的评估', en: 'Only the district bureau manages its evaluations' },
        { kind: 'forbidden' },
      );
    }
  }

  async assignmentFor(actor: Actor, id: number, db: Executor = this.db, forUpdate = false) {
    requirePermission(actor, 'evaluations:read');
    const a = await this.repo.assignment(db, id, forUpdate);
    if (!a || !this.seesAssignment(actor, a)) throw assignmentNotFound();
    return a;
  }

  /** Round views counting only the assignments the actor sees. */
  async roundViews(actor: Actor, rows: RoundRow[], db: Executor = this.db): Promise<RoundView[]> {
    const all = await this.repo.assignments(db, { roundIds: rows.map((r) => r.id) });
    const counts = all
      .filter((a) => this.seesAssignment(actor, a))
      .map((a) => ({ roundId: a.roundId, status: a.status, grade: a.grade, n: 1 }));
    return this.views.roundViewsOf(rows, counts, db);
  }
}
