import { requirePermission, type Actor } from '../../common/access.js';
import { DomainError } from '../../common/errors.js';
import { heldOnce } from '../../common/at-most-one.js';
import { IdempotencyService } from '../idempotency/idempotency.service.js';
import type { RegionsService } from '../regions/regions.service.js';
import type { SupervisionContext } from './supervision.context.js';
import type { VisitInput, VisitListView, VisitView } from './supervision.schemas.js';

/** Street supervision visits [N 4.3]: a street office's visit to a community, with the findings it records. */
export class VisitsService {
  private readonly idem = new IdempotencyService();

  constructor(
    private readonly ctx: SupervisionContext,
    private readonly regions: RegionsService,
  ) {}

  async createVisit(actor: Actor, input: VisitInput): Promise<VisitView> {
    requirePermission(actor, 'visits:write');
    const { requestId, ...request } = input;
    const keyed = { scope: 'supervision.visit', key: requestId, userId: actor.userId, request };
    const replayed = await this.idem.replay<VisitView>(this.ctx.db, keyed);
    if (replayed) return replayed;
    const community = await this.regions.requireInScope(actor, input.communityCode);
    if (community.level !== 'community')
      throw new DomainError(
        'NOT_A_COMMUNITY',
        { zh: '督导对象应为社区', en: 'Visits are to communities' },
        { kind: 'invalid', field: 'communityCode' },
      );
    return heldOnce(
      this.ctx.db.transaction(async (tx) =>
        this.idem.once(tx, keyed, 201, async (): Promise<VisitView> => {
          const row = await this.ctx.repo.insertVisit(tx, {
            streetCode: community.parentCode!,
            communityCode: community.code,
            regionPath: community.path,
            visitedOn: input.visitedOn,
            aspects: input.aspects,
            summary: input.summary,
            createdByUserId: actor.userId,
          });
          await this.ctx.audit.record(tx, actor, {
            action: 'visit.create',
            entityType: 'street_visit',
            entityId: String(row.id),
            after: { communityCode: row.communityCode, visitedOn: row.visitedOn, aspects: row.aspects },
          });
          const findings = [];
          for (const f of input.findings ?? [])
            findings.push(
              await this.ctx.insertFinding(
                actor,
                { spotCheckId: null, visitId: row.id },
                community.path,
                { ...f, communityCode: community.code },
                tx,
              ),
            );
          return {
            id: row.id,
            communityCode: row.communityCode,
            communityName: community.name,
            visitedOn: row.visitedOn,
            aspects: row.aspects,
            summary: row.summary,
            findings,
          };
        }),
      ),
    );
  }

  async listVisits(actor: Actor): Promise<VisitListView> {
    requirePermission(actor, 'supervision:read');
    if (!actor.scopePath) return { items: [] };
    const rows = await this.ctx.repo.visits(this.ctx.db, actor.scopePath);
    const findings = await this.ctx.repo.findings(this.ctx.db, { pathPrefix: actor.scopePath, visitIds: rows.map((r) => r.id) });
    const names = await this.regions.byCodes([...new Set(rows.map((r) => r.communityCode))]);
    const views = await this.ctx.findingViews(findings);
    return {
      items: rows.map((r) => ({
        id: r.id,
        communityCode: r.communityCode,
        communityName: names.find((n) => n.code === r.communityCode)?.name ?? r.communityCode,
        visitedOn: r.visitedOn,
        aspects: r.aspects,
        summary: r.summary,
        findings: views.filter((f) => f.visitId === r.id),
      })),
    };
  }
}
