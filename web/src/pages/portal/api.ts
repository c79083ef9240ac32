import { client, data } from '../../api/client';
import type { ApiResponse, Item } from '../../api/paths';

/** Types of the public portal API, from the generated schema (server/src/modules/disclosure/disclosure.schemas.ts). */
export type RegionPage = ApiResponse<'/api/public/portal/city', 'get'>;
export type RegionView = RegionPage['region'];
export type CommunityPage = ApiResponse<'/api/public/portal/communities/{code}', 'get'>;
export type ProjectPage = ApiResponse<'/api/public/portal/projects/{id}', 'get'>;
export type DisclosureItem = Item<CommunityPage['disclosures']>;
export type PublicContract = Item<CommunityPage['contracts']>;
export type PublicPayment = Item<CommunityPage['payments']>;
export type PublicNoticeRow = Item<CommunityPage['notices']>;
export type Evaluation = Item<CommunityPage['evaluations']>;
export type ModelCase = Item<CommunityPage['modelCases']>;
export type SearchResult = ApiResponse<'/api/public/portal/search', 'get'>;
export type OpenDataIndex = ApiResponse<'/api/public/open-data', 'get'>;
export type AuditDays = ApiResponse<'/api/public/audit/daily-heads', 'get'>;

const q = (year?: number) => (year ? { year } : undefined);
export const portalApi = {
  city: (year?: number, signal?: AbortSignal) => data(client.GET('/api/public/portal/city', { params: { query: q(year) }, signal })),
  region: (code: string, year?: number, signal?: AbortSignal) =>
    data(client.GET('/api/public/portal/regions/{code}', { params: { path: { code }, query: q(year) }, signal })),
  community: (code: string, year?: number, signal?: AbortSignal) =>
    data(client.GET('/api/public/portal/communities/{code}', { params: { path: { code }, query: q(year) }, signal })),
  project: (id: number, signal?: AbortSignal) => data(client.GET('/api/public/portal/projects/{id}', { params: { path: { id } }, signal })),
  search: (text: string, signal?: AbortSignal) => data(client.GET('/api/public/portal/search', { params: { query: { q: text } }, signal })),
  openData: (signal?: AbortSignal) => data(client.GET('/api/public/open-data', { signal })),
  auditDays: (signal?: AbortSignal) => data(client.GET('/api/public/audit/daily-heads', { signal })),
};
