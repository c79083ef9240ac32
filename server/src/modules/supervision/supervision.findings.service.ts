import type { Executor } from '../../db/client.js';
import { pathInScope, requirePermission, type Actor } from '../../common/access.js';
import type { ProvisionalDueDate } from '../calendar/due-dates.js';
import type { ComputedDate } from '../calendar/calendar.rules.js';
import { DomainError } from '../../common/errors.js';
import { heldOnce } from '../../common/at-most-one.js';
import { IdempotencyService } from '../idempotency/idempotency.service.js';
import type { RegionsService } from '../regions/regions.service.js';
import { notFound, type SupervisionContext } from './supervision.context.js';
import { SPOT_CHECK_CLAUSE } from './supervision.rules.js';
import type { FindingInput, FindingView } from './supervision.schemas.js';

/**
 * Findings [N 4.3]: recorded on a sampled unit of a spot check (or during a street visit), with a
 * rectification deadline in working days; the community responds, the inspector closes. Deadlines
 * computed through an unpublished calendar year are rescheduled when it is published (ADR 0009).
 */
export class FindingsService {
  private readonly idem = new IdempotencyService();

  constructor(
    private readonly ctx: SupervisionContext,
    private readonly regions: RegionsService,
  ) {}

  async addSpotCheckFinding(actor: Actor, spotCheckId: number, input: FindingInput): Promise<FindingView> {
    requirePermission(actor, 'spotchecks:write');
    const { requestId, ...finding } = input;
    const keyed = { scope: 'supervision.finding', key: requestId, userId: actor.userId, request: { spotCheckId, ...finding } };
    const replayed = await this.idem.replay<FindingView>(this.ctx.db, keyed);
    if (replayed) return replayed;
    const check = await this.ctx.repo.spotCheck(this.ctx.db, spotCheckId);
    if (!check) throw notFound('抽查', 'Spot check');
    const key = check.unit === 'community' ? input.communityCode : String(input.planProjectId ?? '');
    if (!check.sample.includes(key)) {
      throw new DomainError(
        'NOT_IN_SAMPLE',
        { zh: '问题只能登记在抽中的对象上', en: 'A finding belongs to a sampled unit' },
        { kind: 'invalid', field: check.unit === 'community' ? 'communityCode' : 'planProjectId', clause: SPOT_CHECK_CLAUSE },
      );
    }
    const community = await this.regions.requireInScope(actor, input.communityCode);
    return heldOnce(
      this.ctx.db.transaction(async (tx) =>
        this.idem.once(tx, keyed, 201, () => this.ctx.insertFinding(actor, { spotCheckId, visitId: null }, community.path, finding, tx)),
      ),
    );
  }

  /** Findings not closed whose rectification deadline was computed through an unpublished calendar year (ADR 0009). */
  async provisionalDueDates(db: Executor): Promise<ProvisionalDueDate[]> {
    return (await this.ctx.repo.provisionalFindings(db)).map((f) => ({
      kind: 'finding_deadline' as const,
      id: f.id,
      title: f.description.slice(0, 60),
      regionPath: f.regionPath,
      from: f.foundOn,
      rule: 'workdays' as const,
      days: f.workdays,
      dueOn: f.deadlineOn,
      link: '/supervision',
    }));
  }

  async rescheduleDueDate(db: Executor, item: ProvisionalDueDate, due: ComputedDate) {
    await this.ctx.repo.updateFinding(db, item.id, { deadlineOn: due.date, deadlineProvisional: due.provisional });
  }

  async listFindings(actor: Actor, filter: { status?: 'open' | 'responded' | 'closed' }): Promise<{ items: FindingView[] }> {
    requirePermission(actor, 'supervision:read');
    if (!actor.scopePath) return { items: [] };
    return {
      items: await this.ctx.findingViews(await this.ctx.repo.findings(this.ctx.db, { pathPrefix: actor.scopePath, status: filter.status })),
    };
  }

  private async findingFor(actor: Actor, id: number, db: Executor = this.ctx.db, forUpdate = false) {
    requirePermission(actor, 'supervision:read');
    const f = await this.ctx.repo.finding(db, id, forUpdate);
    if (!f || !pathInScope(actor.scopePath, f.regionPath)) throw notFound('问题', 'Finding');
    return f;
  }

  /** The community answers the rectification demand. */
  async respond(actor: Actor, id: number, input: { response: string }): Promise<FindingView> {
    requirePermission(actor, 'findings:respond');
    await this.findingFor(actor, id);
    return this.ctx.db.transaction(async (tx) => {
      const f = await this.findingFor(actor, id, tx, true);
      if (f.status === 'closed')
        throw new DomainError('FINDING_CLOSED', { zh: '该问题已销号', en: 'The finding is closed' }, { kind: 'conflict' });
      await this.ctx.repo.updateFinding(tx, id, { status: 'responded', response: input.response, respondedOn: this.ctx.today() });
      await this.ctx.audit.record(tx, actor, {
        action: 'finding.respond',
        entityType: 'supervision_finding',
        entityId: String(id),
        before: { status: f.status },
        after: { status: 'responded' },
      });
      return (await this.ctx.findingViews([(await this.ctx.repo.finding(tx, id))!], tx))[0]!;
    });
  }

  /** Whoever raised it closes it: the city bureau a spot check's finding, the street its visit's. */
  async close(actor: Actor, id: number, input: { note: string }): Promise<FindingView> {
    requirePermission(actor, 'findings:close');
    const f = await this.findingFor(actor, id);
    if ((f.spotCheckId !== null) !== (actor.role === 'city_bureau')) {
      throw new DomainError(
        'FORBIDDEN',
        { zh: '由提出问题的单位核查销号', en: 'The finding is closed by whoever raised it' },
        { kind: 'forbidden', clause: SPOT_CHECK_CLAUSE },
      );
    }
    return this.ctx.db.transaction(async (tx) => {
      const locked = (await this.ctx.repo.finding(tx, id, true))!;
      if (locked.status === 'closed')
        throw new DomainError('FINDING_CLOSED', { zh: '该问题已销号', en: 'The finding is closed' }, { kind: 'conflict' });
      if (locked.status !== 'responded')
        throw new DomainError(
          'NO_RESPONSE',
          { zh: '社区尚未反馈整改情况，不能销号', en: 'The community has not responded yet' },
          { kind: 'conflict', clause: SPOT_CHECK_CLAUSE },
        );
      await this.ctx.repo.updateFinding(tx, id, { status: 'closed', closedOn: this.ctx.today(), closingNote: input.note });
      await this.ctx.audit.record(tx, actor, {
        action: 'finding.close',
        entityType: 'supervision_finding',
        entityId: String(id),
        before: { status: locked.status },
        after: { status: 'closed' },
      });
      return (await this.ctx.findingViews([(await this.ctx.repo.finding(tx, id))!], tx))[0]!;
    });
  }
}
