import type { Db, Executor } from '../../db/client.js';
import { pathInScope, requirePermission, type Actor } from '../../common/access.js';
import { todayInChina } from '../../common/dates.js';
import type { Now } from '../../common/clock.js';
import { DomainError, notFoundOrHidden } from '../../common/errors.js';
import { heldOnce } from '../../common/at-most-one.js';
import { IdempotencyService } from '../idempotency/idempotency.service.js';
import type { AuditService } from '../audit/audit.service.js';
import type { PlansService } from '../plans/plans.service.js';
import type { RegionsService } from '../regions/regions.service.js';
import { ModelCasesRepository, type ModelCaseRow } from './model-cases.repository.js';
import { MODEL_CASE_CLAUSE } from './supervision.rules.js';
import type { ModelCaseInput, ModelCaseListView, ModelCaseView, PublicModelCaseListView } from './supervision.schemas.js';

export type { ModelCaseInput } from './supervision.schemas.js';

/** [N 4.4] Model cases: curated write-ups of good projects, published on the portal. */
export class ModelCasesService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly regions: RegionsService,
    private readonly plans: PlansService,
    private readonly clock: Now,
  ) {}

  private readonly repo = new ModelCasesRepository();
  private readonly idem = new IdempotencyService();

  today(): string {
    return todayInChina(this.clock());
  }

  /**
   * The version the public model cases are computed from (their ETag, http-cache.ts): the audit version
   * read on this service's own database handle, and today's date. One small read, before the answer is built.
   */
  async publicVersion(): Promise<string> {
    return `${await this.audit.version(this.db)}|${this.today()}`;
  }

  async list(actor: Actor, filter: { fundYear?: number; published?: boolean }): Promise<ModelCaseListView> {
    requirePermission(actor, 'cases:read');
    if (!actor.scopePath) return { items: [] };
    // The city's and districts' curated cases are visible across the scope's branch; drafts only within it.
    const rows = await this.repo.modelCases(this.db, {
      pathPrefix: actor.scopePath,
      fundYear: filter.fundYear,
      published: filter.published,
      limit: 500,
      offset: 0,
    });
    return { items: await this.views(rows) };
  }

  async get(actor: Actor, id: number): Promise<ModelCaseView> {
    requirePermission(actor, 'cases:read');
    const row = await this.repo.modelCase(this.db, id);
    if (!row || !pathInScope(actor.scopePath, row.regionPath)) throw notFoundOrHidden({ zh: '典型案例', en: 'Model case' });
    return (await this.views([row]))[0]!;
  }

  async create(actor: Actor, input: ModelCaseInput): Promise<ModelCaseView> {
    requirePermission(actor, 'cases:write');
    const { requestId, ...request } = input;
    const keyed = { scope: 'supervision.model_case', key: requestId, userId: actor.userId, request };
    const replayed = await this.idem.replay<ModelCaseView>(this.db, keyed);
    if (replayed) return replayed;
    const project = await this.plans.getProject(this.db, input.planProjectId);
    if (!project || project.status !== 'filed' || !pathInScope(actor.scopePath, project.regionPath)) {
      throw new DomainError(
        'PROJECT_NOT_FOUND',
        { zh: '案例须关联本辖区已备案方案中的项目', en: 'A case links to a filed project in scope' },
        { kind: 'invalid', field: 'planProjectId', clause: MODEL_CASE_CLAUSE },
      );
    }
    return heldOnce(
      this.db.transaction(async (tx) =>
        this.idem.once(tx, keyed, 201, async () => {
          const row = await this.repo.insertCase(tx, {
            planProjectId: project.projectId,
            fundYear: project.fundYear,
            communityCode: project.communityCodes[0] ?? '',
            regionPath: project.regionPath,
            title: input.title,
            body: input.body,
            results: input.results ?? '',
            photos: input.photos ?? [],
            authorUserId: actor.userId,
          });
          await this.audit.record(tx, actor, {
            action: 'model_case.create',
            entityType: 'model_case',
            entityId: String(row.id),
            after: { title: row.title, planProjectId: row.planProjectId },
          });
          return (await this.views([row], tx))[0]!;
        }),
      ),
    );
  }

  async setPublished(actor: Actor, id: number, published: boolean): Promise<ModelCaseView> {
    requirePermission(actor, 'cases:write');
    await this.get(actor, id);
    return this.db.transaction(async (tx) => {
      const before = (await this.repo.modelCase(tx, id, true))!;
      await this.repo.updateCase(tx, id, { published, publishedOn: published ? (before.publishedOn ?? this.today()) : null });
      await this.audit.record(tx, actor, {
        action: published ? 'model_case.publish' : 'model_case.unpublish',
        entityType: 'model_case',
        entityId: String(id),
        before: { published: before.published },
        after: { published },
      });
      return (await this.views([(await this.repo.modelCase(tx, id))!], tx))[0]!;
    });
  }

  /** For the public portal: published cases, newest first. No access check (published content only). */
  async published(
    db: Executor,
    filter: { pathPrefix?: string; fundYear?: number; communityCode?: string; limit?: number; offset?: number } = {},
  ): Promise<ModelCaseView[]> {
    const rows = await this.repo.modelCases(db, {
      ...filter,
      published: true,
      limit: Math.min(filter.limit ?? 50, 200),
      offset: filter.offset ?? 0,
    });
    return this.views(rows, db);
  }

  /** The public list of published cases: names only, the portal links communities through its own pages. */
  async publicList(filter: { fundYear?: number; limit?: number; offset?: number }): Promise<PublicModelCaseListView> {
    return { items: (await this.published(this.db, filter)).map(({ communityCode: _code, ...c }) => c) };
  }

  /** For the demo seed: a case as written, inside the seed's transaction. */
  async insertSeeded(tx: Executor, row: Parameters<ModelCasesRepository['insertCase']>[1]) {
    return this.repo.insertCase(tx, row);
  }

  private async views(rows: ModelCaseRow[], db: Executor = this.db): Promise<ModelCaseView[]> {
    const names = await this.regions.byCodes([...new Set(rows.map((r) => r.communityCode))], db);
    const out = [];
    for (const r of rows) {
      const p = await this.plans.getProject(db, r.planProjectId);
      out.push({
        id: r.id,
        planProjectId: r.planProjectId,
        projectTitle: p?.title ?? '',
        fundYear: r.fundYear,
        communityCode: r.communityCode,
        communityName: names.find((n) => n.code === r.communityCode)?.name ?? r.communityCode,
        title: r.title,
        body: r.body,
        results: r.results,
        photos: r.photos,
        published: r.published,
        publishedOn: r.publishedOn,
      });
    }
    return out;
  }
}
