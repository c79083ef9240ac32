import { pathInScope } from '../../common/access.js';
import { CITY_CODE } from '../../seed/demo-city.js';
import type { RegionsService, RegionSummary } from '../regions/regions.service.js';
import type { PortalContext } from './disclosure.context.js';
import { regionView } from './disclosure.views.js';
import { notFound } from './disclosure.context.js';
import type { RegionPageView, SearchView } from './disclosure.schemas.js';

/** [N 4.2] The portal's city, district and street pages (money per child region) and the community search. */
export class RegionPagesService {
  constructor(
    private readonly ctx: PortalContext,
    private readonly regions: RegionsService,
  ) {}

  /** 沈阳市: its districts with community counts and allocation totals for a fund year. */
  async city(year?: number): Promise<RegionPageView> {
    const { years, fundYear } = await this.ctx.years(year);
    const city = await this.ctx.region(CITY_CODE);
    return { ...(await this.regionPage(city, fundYear)), years, fundYear };
  }

  /** A district (its streets) or a street (its communities), with money per child. */
  async regionOverview(code: string, year?: number): Promise<RegionPageView> {
    const { years, fundYear } = await this.ctx.years(year);
    const r = await this.ctx.region(code);
    if (r.level === 'community') throw notFound('区域', 'Region');
    return { ...(await this.regionPage(r, fundYear)), years, fundYear };
  }

  private async regionPage(r: RegionSummary, fundYear: number) {
    const [ancestors, children, money] = await Promise.all([
      this.ctx.ancestorsOf(r),
      this.regions.childrenOf(r.code),
      this.ctx.moneyUnder(fundYear, r.path),
    ]);
    const sum = (prefix: string) => {
      const t = { allocatedFen: 0, committedFen: 0, paidFen: 0, communities: 0 };
      for (const m of money) {
        if (!pathInScope(prefix, m.path)) continue;
        t.allocatedFen += m.figures.allocated;
        t.committedFen += m.figures.committed;
        t.paidFen += m.figures.paid;
        t.communities++;
      }
      return t;
    };
    const total = sum(r.path);
    return {
      region: regionView(r),
      ancestors,
      totals: {
        allocatedFen: total.allocatedFen,
        committedFen: total.committedFen,
        paidFen: total.paidFen,
        fundedCommunities: total.communities,
      },
      children: children
        .sort((a, b) => a.code.localeCompare(b.code))
        .map((c) => {
          const t = sum(c.path);
          return {
            ...regionView(c),
            allocatedFen: t.allocatedFen,
            committedFen: t.committedFen,
            paidFen: t.paidFen,
            fundedCommunities: t.communities,
          };
        }),
    };
  }

  async search(q: string): Promise<SearchView> {
    const query = q.trim();
    if (!query) return { items: [] };
    const city = await this.ctx.region(CITY_CODE);
    const rows = await this.regions.searchCommunities(city.path, query, 30);
    return {
      items: rows.map((r) => ({
        code: r.code,
        name: r.name,
        streetCode: r.streetCode,
        streetName: r.streetName,
        districtCode: r.districtCode,
        districtName: r.districtName,
      })),
    };
  }
}
