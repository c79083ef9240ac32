import type { Now } from '../../common/clock.js';
import { todayInChina } from '../../common/dates.js';
import type { Db, Executor } from '../../db/client.js';
import { pathInScope, pathVisible, requirePermission, type Actor } from '../../common/access.js';
import { DomainError, invalidField } from '../../common/errors.js';
import type { AuditService } from '../audit/audit.service.js';
import type { CommunityView, ProfilePatch, RegionDetailView, RegionView } from './regions.schemas.js';
import { RegionsRepository, type RatedYear, type RegionSummary } from './regions.repository.js';
export type { RegionSummary };

/** What regions reads of the ratings module: a community's stars by year, for its page and lists. */
export interface RegionRatings {
  ofCommunity(communityCode: string, db?: Executor): Promise<{ year: number; stars: number }[]>;
  latestYear(db?: Executor): Promise<number | null>;
  yearRelation(year: number): RatedYear;
}

const regionNotFound = () => new DomainError('NOT_FOUND', { zh: '区域不存在或无权查看', en: 'Region not found' }, { kind: 'not_found' });

export class RegionsService {
  private readonly repo = new RegionsRepository();

  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly ratings: RegionRatings,
    private readonly clock: Now,
  ) {}

  async scopeRoot(actor: Actor): Promise<RegionView> {
    requirePermission(actor, 'regions:read');
    const code = actor.scopePath?.split('/').pop();
    const root = code ? await this.repo.get(this.db, code) : undefined;
    if (!root) throw regionNotFound();
    return toView(root);
  }

  /** A region, its visible ancestors (for breadcrumbs) and its children within the caller's scope. */
  async get(actor: Actor, code: string): Promise<RegionDetailView> {
    requirePermission(actor, 'regions:read');
    const found = await this.repo.get(this.db, code);
    if (!found || !pathVisible(actor.scopePath, found.path)) throw regionNotFound();
    const ancestorCodes = found.path.split('/').slice(0, -1);
    const ancestors = (await this.repo.getMany(this.db, ancestorCodes)).sort((a, b) => a.path.length - b.path.length);
    const children =
      found.level === 'community'
        ? []
        : (await this.repo.children(this.db, found.code)).filter((c) => pathVisible(actor.scopePath, c.path));
    let community: CommunityView | null = null;
    if (found.level === 'community') {
      const [profile, ratings] = await Promise.all([this.repo.profile(this.db, code), this.ratings.ofCommunity(code, this.db)]);
      community = {
        code: found.code,
        name: found.name,
        residentHouseholds: profile?.residentHouseholds ?? 0,
        representatives: profile?.representatives ?? 0,
        councilMembers: profile?.councilMembers ?? 0,
        address: profile?.address ?? null,
        contactPhone: profile?.contactPhone ?? null,
        ratings,
      };
    }
    return { region: toView(found), ancestors: ancestors.map(toView), children: children.map(toView), community };
  }

  async communities(
    actor: Actor,
    code: string,
    query: { q?: string; ratingYear?: number; stars?: number; limit?: number; offset?: number },
  ) {
    requirePermission(actor, 'regions:read');
    const found = await this.repo.get(this.db, code);
    if (!found || !pathVisible(actor.scopePath, found.path)) throw regionNotFound();
    // Asked at an ancestor of the caller's region: list only the caller's own communities.
    const pathPrefix = pathInScope(actor.scopePath, found.path) ? found.path : actor.scopePath!;
    const ratingYear = query.ratingYear ?? (await this.ratings.latestYear(this.db)) ?? Number(todayInChina(this.clock()).slice(0, 4)) - 1;
    const result = await this.repo.communities(this.db, this.ratings.yearRelation(ratingYear), {
      pathPrefix,
      q: query.q?.trim() || undefined,
      stars: query.stars,
      limit: Math.min(query.limit ?? 50, 1000),
      offset: query.offset ?? 0,
    });
    return { ratingYear, ...result };
  }

  /** Corrects a community's denominators and rosters; audited, within the caller's scope. */
  async updateProfile(actor: Actor, code: string, patch: ProfilePatch): Promise<CommunityView> {
    requirePermission(actor, 'regions:write');
    const found = await this.repo.get(this.db, code);
    if (!found || !pathInScope(actor.scopePath, found.path)) throw regionNotFound();
    if (found.level !== 'community') throw invalidField('code', '只能修改社区的信息', 'only a community has a profile');
    await this.db.transaction(async (tx) => {
      const before = await this.repo.profile(tx, code);
      await this.repo.updateProfile(tx, code, patch);
      const after = await this.repo.profile(tx, code);
      await this.audit.record(tx, actor, {
        action: 'community.update_profile',
        entityType: 'community',
        entityId: code,
        regionPath: found.path,
        before: before && {
          residentHouseholds: before.residentHouseholds,
          representatives: before.representatives,
          councilMembers: before.councilMembers,
          address: before.address,
          contactPhone: before.contactPhone,
        },
        after: after && {
          residentHouseholds: after.residentHouseholds,
          representatives: after.representatives,
          councilMembers: after.councilMembers,
          address: after.address,
          contactPhone: after.contactPhone,
        },
      });
    });
    return (await this.get(actor, code)).community!;
  }

  /**
   * For other modules: as `requireInScope(actor, code)`, or `scopeRoot(actor)` without a code, but
   * without the community count, which for a whole country's root means counting every community.
   */
  async inScopePlain(actor: Actor, code?: string) {
    if (code === undefined) requirePermission(actor, 'regions:read');
    const wanted = code ?? actor.scopePath?.split('/').pop();
    const found = wanted ? await this.repo.getPlain(this.db, wanted) : undefined;
    if (!found || (code !== undefined && !pathInScope(actor.scopePath, found.path))) throw regionNotFound();
    return found;
  }

  /** For other modules: a region by code, or 404 when it lies outside the caller's scope. */
  async requireInScope(actor: Actor, code: string): Promise<RegionSummary> {
    const found = await this.repo.get(this.db, code);
    if (!found || !pathInScope(actor.scopePath, found.path)) throw regionNotFound();
    return found;
  }

  /** For other modules: one region by code, without an access check (callers check scope). */
  async find(code: string, db: Executor = this.db): Promise<RegionSummary | undefined> {
    return this.repo.get(db, code);
  }

  /** For other modules: a community's profile (households, roster sizes), without an access check. */
  async profileOf(code: string, db: Executor = this.db) {
    return this.repo.profile(db, code);
  }

  /** For other modules (plans, issue 6): regions by code, without an access check. */
  async byCodes(codes: string[], db: Executor = this.db): Promise<RegionSummary[]> {
    return this.repo.getMany(db, codes);
  }

  /** For other modules: names and list order of regions by code (no counts), without an access check. */
  async namesOf(codes: string[], db: Executor = this.db) {
    return new Map((await this.repo.names(db, [...new Set(codes)])).map((r) => [r.code, r]));
  }

  /** For other modules: a region's children, without an access check. */
  async childrenOf(code: string, db: Executor = this.db): Promise<RegionSummary[]> {
    return this.repo.children(db, code);
  }

  /** For the public portal (disclosure module): communities whose name contains `q`, with street and district. No access check. */
  async searchCommunities(pathPrefix: string, q: string, limit = 20, ratingYear = 0) {
    return (
      await this.repo.communities(this.db, this.ratings.yearRelation(ratingYear), {
        pathPrefix,
        q: q.trim() || undefined,
        limit: Math.min(limit, 100),
        offset: 0,
      })
    ).items;
  }

  /** For the seed: the division tree and community profiles, inside the seed's transaction (existing rows kept). */
  async insertSeeded(
    tx: Executor,
    rows: { regions: Parameters<RegionsRepository['insertRegions']>[1]; profiles: Parameters<RegionsRepository['insertProfiles']>[1] },
  ) {
    await this.repo.insertRegions(tx, rows.regions);
    await this.repo.insertProfiles(tx, rows.profiles);
  }
}

function toView(r: RegionSummary): RegionView {
  return {
    code: r.code,
    name: r.name,
    level: r.level,
    kind: r.kind,
    path: r.path,
    parentCode: r.parentCode,
    communityCount: r.communityCount,
  };
}
