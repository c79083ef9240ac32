import type { Db, Executor } from '../../db/client.js';
import type { Actor } from '../../common/access.js';
import { todayInChina } from '../../common/dates.js';
import type { Now } from '../../common/clock.js';
import { notFoundOrHidden } from '../../common/errors.js';
import type { AuditService } from '../audit/audit.service.js';
import type { CalendarService } from '../calendar/calendar.service.js';
import type { RegionsService } from '../regions/regions.service.js';
import type { FindingRow, SupervisionRepository } from './supervision.repository.js';
import type { FindingInput, FindingView } from './supervision.schemas.js';

export const notFound = (zh: string, en: string) => notFoundOrHidden({ zh, en });
const STATUS_LABELS = { open: '整改中', responded: '已反馈待核查', closed: '已销号' } as const;

/** What the supervision use cases share [N 4.3]: recording a finding with its deadline in working days, and the findings' views. */
export class SupervisionContext {
  constructor(
    readonly db: Db,
    readonly repo: SupervisionRepository,
    readonly audit: AuditService,
    private readonly regions: RegionsService,
    private readonly calendar: CalendarService,
    private readonly clock: Now,
  ) {}

  today(): string {
    return todayInChina(this.clock());
  }

  async insertFinding(
    actor: Actor,
    source: { spotCheckId: number | null; visitId: number | null },
    regionPath: string,
    input: Omit<FindingInput, 'requestId'>,
    tx?: Executor,
  ): Promise<FindingView> {
    const run = async (t: Executor) => {
      const foundOn = this.today();
      const { date: deadlineOn, provisional: deadlineProvisional } = await this.calendar.addWorkdaysDetailed(foundOn, input.workdays, t);
      const row = await this.repo.insertFinding(t, {
        ...source,
        communityCode: input.communityCode,
        planProjectId: input.planProjectId ?? null,
        regionPath,
        description: input.description,
        demand: input.demand,
        foundOn,
        workdays: input.workdays,
        deadlineOn,
        deadlineProvisional,
        createdByUserId: actor.userId,
      });
      await this.audit.record(t, actor, {
        action: 'finding.create',
        entityType: 'supervision_finding',
        entityId: String(row.id),
        after: { ...source, communityCode: row.communityCode, deadlineOn, deadlineProvisional },
      });
      return (await this.findingViews([row], t))[0]!;
    };
    return tx ? run(tx) : this.db.transaction(run);
  }

  /** Region names by code (no access check), e.g. to name a spot check's strata. */
  regionNames(codes: string[], db: Executor = this.db) {
    return this.regions.namesOf(codes, db);
  }

  async findingViews(rows: FindingRow[], db: Executor = this.db): Promise<FindingView[]> {
    const today = this.today();
    const names = await this.regions.byCodes([...new Set(rows.map((f) => f.communityCode))], db);
    return rows.map((f) => ({
      id: f.id,
      spotCheckId: f.spotCheckId,
      visitId: f.visitId,
      source: f.spotCheckId !== null ? ('spot_check' as const) : ('street_visit' as const),
      communityCode: f.communityCode,
      communityName: names.find((n) => n.code === f.communityCode)?.name ?? f.communityCode,
      planProjectId: f.planProjectId,
      description: f.description,
      demand: f.demand,
      foundOn: f.foundOn,
      workdays: f.workdays,
      deadlineOn: f.deadlineOn,
      deadlineProvisional: f.deadlineProvisional,
      status: f.status,
      statusLabel: STATUS_LABELS[f.status],
      overdue: f.status !== 'closed' && today > f.deadlineOn,
      response: f.response,
      respondedOn: f.respondedOn,
      closedOn: f.closedOn,
      closingNote: f.closingNote,
    }));
  }
}
