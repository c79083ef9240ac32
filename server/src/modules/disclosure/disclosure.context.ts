import type { Db } from '../../db/client.js';
import { todayInChina } from '../../common/dates.js';
import type { Now } from '../../common/clock.js';
import { DomainError } from '../../common/errors.js';
import { VersionedCache } from '../../common/versioned-cache.js';
import type { AuditService } from '../audit/audit.service.js';
import type { FundsService } from '../ledger/funds.service.js';
import type { PolicyService } from '../policy/policy.service.js';
import type { RegionsService, RegionSummary } from '../regions/regions.service.js';
import { regionView } from './disclosure.views.js';
import type { PortalRegionView } from './disclosure.schemas.js';

/** Region views kept for breadcrumbs: the city, districts and streets above the pages looked at. */
const ANCESTOR_VIEWS_KEPT = 2_000;

export const notFound = (what: string, en: string) =>
  new DomainError('NOT_FOUND', { zh: `${what}不存在或未公开`, en: `${en} not found` }, { kind: 'not_found' });

/** What the public pages, the open data and the monitoring share: the portal's date, fund years, regions with breadcrumbs, money. */
export class PortalContext {
  constructor(
    readonly db: Db,
    readonly audit: AuditService,
    private readonly regions: RegionsService,
    private readonly policy: PolicyService,
    private readonly funds: FundsService,
    private readonly clock: Now,
  ) {}

  today(): string {
    return todayInChina(this.clock());
  }

  /**
   * What every public page depends on besides its own inputs, read cheaply before a page is built
   * (its ETag, http-cache.ts) and keying the pages kept: the audit version read from the pages' own
   * database handle, and the portal's date (notice countdowns, a campaign's window, the default year).
   */
  async pageVersion(): Promise<string> {
    return `${await this.audit.version(this.db)}|${this.today()}`;
  }

  /** Fund years with a policy, newest first, and the default: the latest not after this year. */
  async years(requested?: number) {
    const all = (await this.policy.listYears()).map((y) => y.year).sort((a, b) => b - a);
    const thisYear = Number(this.today().slice(0, 4));
    const fallback = all.find((y) => y <= thisYear) ?? all[0] ?? thisYear;
    if (requested !== undefined && !all.includes(requested)) throw notFound(`${requested} 年度`, `Fund year ${requested}`);
    return { years: all, fundYear: requested ?? fallback };
  }

  /** A region by code, or 404 (for the open data and monitoring too). */
  async region(code: string): Promise<RegionSummary> {
    const [found] = await this.regions.byCodes([code]);
    if (!found) throw notFound('区域', 'Region');
    return found;
  }

  /**
   * Views of the regions above a page's region, kept like the pages: a view carries its community
   * count, which for the city (or a whole country) counts every community, on every page.
   */
  private readonly ancestorViews = new VersionedCache<{ view: PortalRegionView; depth: number } | null>(
    () => this.pageVersion(),
    ANCESTOR_VIEWS_KEPT,
  );

  /** `version`: the page version the caller read (one read for every ancestor, not one each). */
  async ancestorsOf(r: RegionSummary, version?: string) {
    const codes = r.path.split('/').slice(0, -1);
    const read = version ?? (await this.pageVersion());
    const found = await Promise.all(
      codes.map((code) =>
        this.ancestorViews.get(
          code,
          async () => {
            const [a] = await this.regions.byCodes([code]);
            return a ? { view: regionView(a), depth: a.path.length } : null;
          },
          read,
        ),
      ),
    );
    return found
      .filter((a) => a !== null)
      .sort((a, b) => a.depth - b.depth)
      .map((a) => a.view);
  }

  /** Money figures of the funded communities under a path in a fund year. */
  async moneyUnder(fundYear: number, path: string) {
    const rows = await this.funds.publicFigures(fundYear, path);
    return rows;
  }
}
