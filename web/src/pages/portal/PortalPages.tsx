/**
 * The public portal [N 4.2]: no login, mobile-first, in Chinese; city → district → street →
 * community → project, search, open data and the verifiable record. One file per page; this module
 * gathers them for the routes (`web/src/routes.tsx`).
 */
export { PortalCityPage, PortalRegionPage } from './PortalRegionPages';
export { PortalCommunityPage } from './PortalCommunityPage';
export { PortalProjectPage } from './PortalProjectPage';
export { PortalSearchPage } from './PortalSearchPage';
export { PortalOpenDataPage } from './PortalOpenDataPage';
export { PortalRecordPage } from './PortalRecordPage';
