import type { Db, Executor } from '../../db/client.js';
import type { SampleUnit } from '../../db/schema/supervision.js';
import { pathInScope, requirePermission, type Actor } from '../../common/access.js';
import { todayInChina } from '../../common/dates.js';
import type { Now } from '../../common/clock.js';
import type { ProvisionalDueDate } from '../calendar/due-dates.js';
import type { ComputedDate } from '../calendar/calendar.rules.js';
import { DomainError } from '../../common/errors.js';
import { heldOnce } from '../../common/at-most-one.js';
import { IdempotencyService } from '../idempotency/idempotency.service.js';
import type { AuditService } from '../audit/audit.service.js';
import type { CalendarService } from '../calendar/calendar.service.js';
import type { PlansService } from '../plans/plans.service.js';
import type { PolicyService } from '../policy/policy.service.js';
import type { RatingsService } from '../ratings/ratings.service.js';
import type { RegionsService } from '../regions/regions.service.js';
import { SupervisionRepository, type FindingRow, type SpotCheckRow } from './supervision.repository.js';
import { drawSample, SAMPLING_ALGORITHM, SPOT_CHECK_CLAUSE, stratumOf } from './supervision.rules.js';
import type {
  FindingInput,
  FindingView,
  PublicSpotCheckView,
  SpotCheckInput,
  SpotCheckListView,
  SpotCheckSummary,
  SpotCheckView,
  VisitInput,
  VisitListView,
  VisitView,
} from './supervision.schemas.js';

export type { FindingInput, SpotCheckInput } from './supervision.schemas.js';

const notFound = (zh: string, en: string) =>
  new DomainError('NOT_FOUND', { zh: `${zh}不存在或无权查看`, en: `${en} not found` }, { kind: 'not_found' });
const STATUS_LABELS = { open: '整改中', responded: '已反馈待核查', closed: '已销号' } as const;

/**
 * Supervision [N 4.3]: the city bureau's spot checks (a sample drawn from a published seed that
 * anyone can redraw), street supervision visits, findings with rectification deadlines in working
 * days, the community's response and closure.
 */
export class SupervisionService {
  private readonly repo = new SupervisionRepository();
  private readonly idem = new IdempotencyService();

  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly regions: RegionsService,
    private readonly policy: PolicyService,
    private readonly calendar: CalendarService,
    private readonly ratings: RatingsService,
    private readonly plans: PlansService,
    private readonly clock: Now,
  ) {}

  today(): string {
    return todayInChina(this.clock());
  }

  // ---------------------------------------------------------------- spot checks

  /** The population of a spot check: funded (rated) communities, or projects of filed plans, of the fund year. */
  async population(db: Executor, fundYear: number, unit: 'community' | 'project'): Promise<SampleUnit[]> {
    const policy = await this.policy.forYear(fundYear, db);
    const root = (await this.regions.byCodes(['2101'], db))[0]?.path ?? '2101';
    const rated = await this.ratings.ratingsUnder(db, policy.ratingYear, root);
    const info = new Map(rated.map((r) => [r.communityCode, r]));
    if (unit === 'community') {
      return rated
        .map((r) => ({
          key: r.communityCode,
          label: `${r.districtName}${r.streetName}${r.communityName}`,
          districtCode: r.districtCode,
          stars: r.stars,
          regionPath: r.path,
        }))
        .sort((a, b) => a.key.localeCompare(b.key));
    }
    const projects = await this.plans.filedProjects(db, { fundYear });
    return projects
      .map((p) => {
        const c = info.get(p.communityCodes[0] ?? '');
        return {
          key: String(p.projectId),
          label: `${c?.communityName ?? ''} · ${p.title}`,
          districtCode: p.regionPath.split('/')[1] ?? '',
          stars: c?.stars ?? null,
          regionPath: p.regionPath,
        };
      })
      .sort((a, b) => Number(a.key) - Number(b.key));
  }

  async createSpotCheck(actor: Actor, input: SpotCheckInput): Promise<SpotCheckView> {
    requirePermission(actor, 'spotchecks:write');
    const { requestId, ...request } = input;
    const keyed = { scope: 'supervision.spot_check', key: requestId, userId: actor.userId, request };
    const replayed = await this.idem.replay<SpotCheckView>(this.db, keyed);
    if (replayed) return replayed;
    if ((input.size ?? null) === null && (input.sharePercent ?? null) === null) {
      throw new DomainError(
        'SAMPLE_SIZE_REQUIRED',
        { zh: '请填写抽查数量或抽查比例', en: 'Give a sample size or a share' },
        { kind: 'invalid', field: 'size', clause: SPOT_CHECK_CLAUSE },
      );
    }
    const population = await this.population(this.db, input.fundYear, input.unit);
    if (!population.length) {
      throw new DomainError(
        'EMPTY_POPULATION',
        { zh: '该年度没有可抽查的对象', en: 'Nothing to sample in that fund year' },
        { kind: 'rule', clause: SPOT_CHECK_CLAUSE },
      );
    }
    const drawn = drawSample(population, input);
    return heldOnce(
      this.db.transaction(async (tx) =>
        this.idem.once(tx, keyed, 201, async () => {
          const row = await this.repo.insertSpotCheck(tx, {
            fundYear: input.fundYear,
            title: input.title,
            unit: input.unit,
            seed: input.seed,
            size: input.size ?? null,
            sharePercent: input.size ? null : (input.sharePercent ?? null),
            stratifyByDistrict: input.stratifyByDistrict ?? false,
            stratifyByStars: input.stratifyByStars ?? false,
            population,
            sample: drawn.sample,
            drawnOn: this.today(),
            createdByUserId: actor.userId,
          });
          await this.audit.record(tx, actor, {
            action: 'spotcheck.draw',
            entityType: 'spot_check',
            entityId: String(row.id),
            after: { seed: row.seed, unit: row.unit, population: population.length, sample: drawn.sample },
          });
          return this.spotCheckView(row, []);
        }),
      ),
    );
  }

  async listSpotChecks(actor: Actor, fundYear?: number): Promise<SpotCheckListView> {
    requirePermission(actor, 'supervision:read');
    const rows = await this.repo.spotChecks(this.db, fundYear);
    const findings = actor.scopePath ? await this.repo.findings(this.db, { pathPrefix: actor.scopePath }) : [];
    return {
      items: rows.map((r) => ({
        ...this.summary(r),
        findings: findings.filter((f) => f.spotCheckId === r.id).length,
        openFindings: findings.filter((f) => f.spotCheckId === r.id && f.status !== 'closed').length,
      })),
    };
  }

  async getSpotCheck(actor: Actor, id: number): Promise<SpotCheckView> {
    requirePermission(actor, 'supervision:read');
    const row = await this.repo.spotCheck(this.db, id);
    if (!row) throw notFound('抽查', 'Spot check');
    const findings = actor.scopePath ? await this.repo.findings(this.db, { pathPrefix: actor.scopePath, spotCheckId: id }) : [];
    const view = this.spotCheckView(row, await this.findingViews(findings));
    if (actor.scopePath?.includes('/')) {
      // A district, street or community sees the sampled units in its own area (the whole sample is on the public page).
      const district = actor.scopePath.split('/')[1]!;
      const units = new Map(row.population.map((u) => [u.key, u]));
      return {
        ...view,
        sample: view.sample.filter((u) => pathInScope(actor.scopePath, units.get(u.key)!.regionPath)),
        strata: view.strata.filter((s) => s.stratum === 'all' || s.stratum.startsWith(district)),
      };
    }
    return view;
  }

  private summary(r: SpotCheckRow): SpotCheckSummary {
    return {
      id: r.id,
      fundYear: r.fundYear,
      title: r.title,
      unit: r.unit,
      seed: r.seed,
      size: r.size,
      sharePercent: r.sharePercent,
      stratifyByDistrict: r.stratifyByDistrict,
      stratifyByStars: r.stratifyByStars,
      populationSize: r.population.length,
      sampleSize: r.sample.length,
      drawnOn: r.drawnOn,
    };
  }

  private spotCheckView(r: SpotCheckRow, findings: FindingView[]): SpotCheckView {
    const byKey = new Map(r.population.map((u) => [u.key, u]));
    const redrawn = drawSample(r.population, r);
    return {
      ...this.summary(r),
      algorithm: SAMPLING_ALGORITHM,
      strata: redrawn.strata,
      sample: r.sample.map((k) => {
        const u = byKey.get(k)!;
        return { key: k, label: u.label, districtCode: u.districtCode, stars: u.stars, stratum: stratumOf(u, r) };
      }),
      findings,
    };
  }

  /** Public [N 4.3]: the published seed, population and sample of a check, with the sample redrawn now (by any seed given). */
  async publicSpotCheck(id: number, seed?: string): Promise<PublicSpotCheckView> {
    const row = await this.repo.spotCheck(this.db, id);
    if (!row) throw notFound('抽查', 'Spot check');
    const redrawn = drawSample(row.population, { ...row, seed: seed ?? row.seed });
    return {
      ...this.summary(row),
      algorithm: SAMPLING_ALGORITHM,
      population: row.population.map((u) => ({ key: u.key, label: u.label, stratum: stratumOf(u, row) })),
      sample: row.sample,
      redraw: {
        seed: seed ?? row.seed,
        sample: redrawn.sample,
        strata: redrawn.strata,
        matchesPublished: redrawn.sample.join(',') === row.sample.join(','),
      },
    };
  }

  // ---------------------------------------------------------------- findings

  async addSpotCheckFinding(actor: Actor, spotCheckId: number, input: FindingInput): Promise<FindingView> {
    requirePermission(actor, 'spotchecks:write');
    const { requestId, ...finding } = input;
    const keyed = { scope: 'supervision.finding', key: requestId, userId: actor.userId, request: { spotCheckId, ...finding } };
    const replayed = await this.idem.replay<FindingView>(this.db, keyed);
    if (replayed) return replayed;
    const check = await this.repo.spotCheck(this.db, spotCheckId);
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
      this.db.transaction(async (tx) =>
        this.idem.once(tx, keyed, 201, () => this.insertFinding(actor, { spotCheckId, visitId: null }, community.path, finding, tx)),
      ),
    );
  }

  private async insertFinding(
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

  /** Findings not closed whose rectification deadline was computed through an unpublished calendar year (ADR 0009). */
  async provisionalDueDates(db: Executor): Promise<ProvisionalDueDate[]> {
    return (await this.repo.provisionalFindings(db)).map((f) => ({
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
    await this.repo.updateFinding(db, item.id, { deadlineOn: due.date, deadlineProvisional: due.provisional });
  }

  async listFindings(actor: Actor, filter: { status?: 'open' | 'responded' | 'closed' }): Promise<{ items: FindingView[] }> {
    requirePermission(actor, 'supervision:read');
    if (!actor.scopePath) return { items: [] };
    return { items: await this.findingViews(await this.repo.findings(this.db, { pathPrefix: actor.scopePath, status: filter.status })) };
  }

  private async findingFor(actor: Actor, id: number, db: Executor = this.db, forUpdate = false) {
    requirePermission(actor, 'supervision:read');
    const f = await this.repo.finding(db, id, forUpdate);
    if (!f || !pathInScope(actor.scopePath, f.regionPath)) throw notFound('问题', 'Finding');
    return f;
  }

  /** The community answers the rectification demand. */
  async respond(actor: Actor, id: number, input: { response: string }): Promise<FindingView> {
    requirePermission(actor, 'findings:respond');
    await this.findingFor(actor, id);
    return this.db.transaction(async (tx) => {
      const f = await this.findingFor(actor, id, tx, true);
      if (f.status === 'closed')
        throw new DomainError('FINDING_CLOSED', { zh: '该问题已销号', en: 'The finding is closed' }, { kind: 'conflict' });
      await this.repo.updateFinding(tx, id, { status: 'responded', response: input.response, respondedOn: this.today() });
      await this.audit.record(tx, actor, {
        action: 'finding.respond',
        entityType: 'supervision_finding',
        entityId: String(id),
        before: { status: f.status },
        after: { status: 'responded' },
      });
      return (await this.findingViews([(await this.repo.finding(tx, id))!], tx))[0]!;
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
    return this.db.transaction(async (tx) => {
      const locked = (await this.repo.finding(tx, id, true))!;
      if (locked.status === 'closed')
        throw new DomainError('FINDING_CLOSED', { zh: '该问题已销号', en: 'The finding is closed' }, { kind: 'conflict' });
      if (locked.status !== 'responded')
        throw new DomainError(
          'NO_RESPONSE',
          { zh: '社区尚未反馈整改情况，不能销号', en: 'The community has not responded yet' },
          { kind: 'conflict', clause: SPOT_CHECK_CLAUSE },
        );
      await this.repo.updateFinding(tx, id, { status: 'closed', closedOn: this.today(), closingNote: input.note });
      await this.audit.record(tx, actor, {
        action: 'finding.close',
        entityType: 'supervision_finding',
        entityId: String(id),
        before: { status: locked.status },
        after: { status: 'closed' },
      });
      return (await this.findingViews([(await this.repo.finding(tx, id))!], tx))[0]!;
    });
  }

  private async findingViews(rows: FindingRow[], db: Executor = this.db): Promise<FindingView[]> {
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

  // ---------------------------------------------------------------- street visits

  async createVisit(actor: Actor, input: VisitInput): Promise<VisitView> {
    requirePermission(actor, 'visits:write');
    const { requestId, ...request } = input;
    const keyed = { scope: 'supervision.visit', key: requestId, userId: actor.userId, request };
    const replayed = await this.idem.replay<VisitView>(this.db, keyed);
    if (replayed) return replayed;
    const community = await this.regions.requireInScope(actor, input.communityCode);
    if (community.level !== 'community')
      throw new DomainError(
        'NOT_A_COMMUNITY',
        { zh: '督导对象应为社区', en: 'Visits are to communities' },
        { kind: 'invalid', field: 'communityCode' },
      );
    return heldOnce(
      this.db.transaction(async (tx) =>
        this.idem.once(tx, keyed, 201, async (): Promise<VisitView> => {
          const row = await this.repo.insertVisit(tx, {
            streetCode: community.parentCode!,
            communityCode: community.code,
            regionPath: community.path,
            visitedOn: input.visitedOn,
            aspects: input.aspects,
            summary: input.summary,
            createdByUserId: actor.userId,
          });
          await this.audit.record(tx, actor, {
            action: 'visit.create',
            entityType: 'street_visit',
            entityId: String(row.id),
            after: { communityCode: row.communityCode, visitedOn: row.visitedOn, aspects: row.aspects },
          });
          const findings = [];
          for (const f of input.findings ?? [])
            findings.push(
              await this.insertFinding(
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
    const rows = await this.repo.visits(this.db, actor.scopePath);
    const findings = await this.repo.findings(this.db, { pathPrefix: actor.scopePath, visitIds: rows.map((r) => r.id) });
    const names = await this.regions.byCodes([...new Set(rows.map((r) => r.communityCode))]);
    const views = await this.findingViews(findings);
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

  // ---------------------------------------------------------------- for the dashboard

  async overdueFindings(db: Executor, pathPrefix: string): Promise<FindingView[]> {
    return this.findingViews(await this.repo.overdueFindings(db, pathPrefix, this.today()), db);
  }

  // ---------------------------------------------------------------- for the demo seed

  /** For the demo seed: a spot check as drawn, inside the seed's transaction. */
  async insertSpotCheckSeeded(tx: Executor, row: Parameters<SupervisionRepository['insertSpotCheck']>[1]) {
    return this.repo.insertSpotCheck(tx, row);
  }

  /** For the demo seed: a finding as recorded, inside the seed's transaction. */
  async insertFindingSeeded(tx: Executor, row: Parameters<SupervisionRepository['insertFinding']>[1]) {
    return this.repo.insertFinding(tx, row);
  }
}
