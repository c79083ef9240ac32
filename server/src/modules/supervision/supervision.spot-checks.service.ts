import type { Executor } from '../../db/client.js';
import type { SampleUnit } from '../../db/schema/supervision.js';
import { pathInScope, requirePermission, type Actor } from '../../common/access.js';
import { DomainError } from '../../common/errors.js';
import { heldOnce } from '../../common/at-most-one.js';
import { IdempotencyService } from '../idempotency/idempotency.service.js';
import type { PlansService } from '../plans/plans.service.js';
import type { PolicyService } from '../policy/policy.service.js';
import type { RatingsService } from '../ratings/ratings.service.js';
import type { RegionsService } from '../regions/regions.service.js';
import type { SpotCheckRow } from './supervision.repository.js';
import { notFound, type SupervisionContext } from './supervision.context.js';
import {
  drawSample,
  SAMPLING_ALGORITHM,
  SAMPLING_ALGORITHM_EN,
  SAMPLING_ALGORITHM_ZH,
  SPOT_CHECK_CLAUSE,
  stratumLabel,
  stratumOf,
} from './supervision.rules.js';
import type {
  FindingView,
  PublicSpotCheckView,
  SpotCheckInput,
  SpotCheckListView,
  SpotCheckSummary,
  SpotCheckView,
} from './supervision.schemas.js';

/**
 * Spot checks [N 4.3]: the city bureau draws a sample of funded communities or filed projects from
 * a published seed that anyone can redraw; the public view of a check proves the draw.
 */
export class SpotChecksService {
  private readonly idem = new IdempotencyService();

  constructor(
    private readonly ctx: SupervisionContext,
    private readonly regions: RegionsService,
    private readonly policy: PolicyService,
    private readonly ratings: RatingsService,
    private readonly plans: PlansService,
  ) {}

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
    const replayed = await this.idem.replay<SpotCheckView>(this.ctx.db, keyed);
    if (replayed) return replayed;
    if ((input.size ?? null) === null && (input.sharePercent ?? null) === null) {
      throw new DomainError(
        'SAMPLE_SIZE_REQUIRED',
        { zh: '请填写抽查数量或抽查比例', en: 'Give a sample size or a share' },
        { kind: 'invalid', field: 'size', clause: SPOT_CHECK_CLAUSE },
      );
    }
    const population = await this.population(this.ctx.db, input.fundYear, input.unit);
    if (!population.length) {
      throw new DomainError(
        'EMPTY_POPULATION',
        { zh: '该年度没有可抽查的对象', en: 'Nothing to sample in that fund year' },
        { kind: 'rule', clause: SPOT_CHECK_CLAUSE },
      );
    }
    const drawn = drawSample(population, input);
    return heldOnce(
      this.ctx.db.transaction(async (tx) =>
        this.idem.once(tx, keyed, 201, async () => {
          const row = await this.ctx.repo.insertSpotCheck(tx, {
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
            drawnOn: this.ctx.today(),
            createdByUserId: actor.userId,
          });
          await this.ctx.audit.record(tx, actor, {
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
    const rows = await this.ctx.repo.spotChecks(this.ctx.db, fundYear);
    const findings = actor.scopePath ? await this.ctx.repo.findings(this.ctx.db, { pathPrefix: actor.scopePath }) : [];
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
    const row = await this.ctx.repo.spotCheck(this.ctx.db, id);
    if (!row) throw notFound('抽查', 'Spot check');
    const findings = actor.scopePath ? await this.ctx.repo.findings(this.ctx.db, { pathPrefix: actor.scopePath, spotCheckId: id }) : [];
    const view = await this.withStratumLabels(this.spotCheckView(row, await this.ctx.findingViews(findings)));
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

  /** The strata named by their districts (not codes), for the console. */
  private async withStratumLabels(view: SpotCheckView): Promise<SpotCheckView> {
    const codes = [...view.strata.map((s) => s.stratum), ...view.sample.map((u) => u.stratum)]
      .flatMap((s) => s.split('/'))
      .filter((p) => /^\d+$/.test(p));
    const names = await this.ctx.regionNames(codes);
    const nameOf = (code: string) => names.get(code)?.name;
    return {
      ...view,
      strata: view.strata.map((s) => ({ ...s, label: stratumLabel(s.stratum, nameOf) })),
      sample: view.sample.map((u) => ({ ...u, stratumLabel: stratumLabel(u.stratum, nameOf) })),
    };
  }

  private spotCheckView(r: SpotCheckRow, findings: FindingView[]): SpotCheckView {
    const byKey = new Map(r.population.map((u) => [u.key, u]));
    const redrawn = drawSample(r.population, r);
    return {
      ...this.summary(r),
      algorithm: SAMPLING_ALGORITHM_ZH,
      algorithmEn: SAMPLING_ALGORITHM_EN,
      strata: redrawn.strata,
      sample: r.sample.map((k) => {
        const u = byKey.get(k)!;
        // A finding is recorded on the unit's community: the community itself, or a project's community
        // (the last segment of its region path; the street for an area plan).
        const communityCode = r.unit === 'community' ? k : (u.regionPath.split('/').pop() ?? '');
        return { key: k, label: u.label, districtCode: u.districtCode, communityCode, stars: u.stars, stratum: stratumOf(u, r) };
      }),
      findings,
    };
  }

  /** Public [N 4.3]: the published seed, population and sample of a check, with the sample redrawn now (by any seed given). */
  async publicSpotCheck(id: number, seed?: string): Promise<PublicSpotCheckView> {
    const row = await this.ctx.repo.spotCheck(this.ctx.db, id);
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
}
