import { lazy, type ComponentType } from 'react';
import type { AppRoute } from './routes';

/**
 * The public pages residents open on a phone: the portal [N 4.2], the needs answer page with its
 * poster, and the public notice. They are served by the light portal entry (`portal.html`,
 * `portal-main.tsx`, ADR 0019), which loads none of the console's code (layout, menu, echarts);
 * the console's router (`routes.tsx`) includes the same rows so that in-app links keep working.
 * This file must not import the console's modules (`routes.tsx` only as a type).
 */

/** URL prefixes of the portal entry; the server (`server/src/static.ts`) serves `portal.html` for the same ones. */
export const PORTAL_PREFIXES = ['/portal', '/r/', '/n/'] as const;

export const isPortalPath = (pathname: string): boolean =>
  pathname === '/portal' || PORTAL_PREFIXES.some((p) => pathname.startsWith(p.endsWith('/') ? p : `${p}/`));

/**
 * A page built with Ant Design components: loaded together with Ant Design's provider (Chinese
 * locale, theme) in one step, so that the portal entry needs no antd of its own and the two
 * chunks load in parallel rather than one after the other.
 */
function antdPage(load: () => Promise<{ default: ComponentType }>) {
  return lazy(async () => {
    const [{ AntdProvider }, { default: Page }] = await Promise.all([import('./AntdProvider'), load()]);
    return {
      default: function WithAntd() {
        return (
          <AntdProvider>
            <Page />
          </AntdProvider>
        );
      },
    };
  });
}

const portal = () => import('./pages/portal/PortalPages');
const portalPage = (name: keyof Awaited<ReturnType<typeof portal>>) => lazy(() => portal().then((m) => ({ default: m[name] })));

export const PORTAL_ROUTES: AppRoute[] = [
  // The residents' answer page and its printable QR poster.
  {
    key: 'r',
    path: '/r/:campaignId',
    title: '居民需求征集',
    public: true,
    // Plain markup like the portal (no Ant Design): under 200 KB of JavaScript on a phone (issue 19).
    page: lazy(() => import('./pages/needs/ResidentAnswerPage')),
  },
  {
    key: 'r',
    path: '/r/:campaignId/poster',
    title: '需求征集二维码',
    public: true,
    page: antdPage(() => import('./pages/needs/PosterPage')),
  },
  // The public notice of a decision with the representatives' objection form, printable as an A4 notice.
  { key: 'n', path: '/n/:noticeId', title: '公示', public: true, page: lazy(() => import('./pages/decisions/PublicNoticePage')) },
  // Public portal [N 4.2]: city → district → street → community → project, search, open data, verifiable record.
  { key: 'portal', path: '/portal', title: '信息公开', public: true, page: portalPage('PortalCityPage') },
  {
    key: 'portal',
    path: '/portal/d/:code',
    subPaths: ['/portal/s/:code'],
    title: '区域',
    public: true,
    page: portalPage('PortalRegionPage'),
  },
  { key: 'portal', path: '/portal/c/:code', title: '社区', public: true, page: portalPage('PortalCommunityPage') },
  { key: 'portal', path: '/portal/p/:projectId', title: '项目', public: true, page: portalPage('PortalProjectPage') },
  { key: 'portal', path: '/portal/search', title: '查询', public: true, page: portalPage('PortalSearchPage') },
  { key: 'portal', path: '/portal/open-data', title: '开放数据', public: true, page: portalPage('PortalOpenDataPage') },
  { key: 'portal', path: '/portal/record', title: '可验证记录', public: true, page: portalPage('PortalRecordPage') },
];
