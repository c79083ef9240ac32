import { client, data } from '../../api/client';
import type { ApiBody, ApiResponse, Item } from '../../api/paths';

/** Types and calls of the ratings and ledger APIs (tags `ratings`, `ledger`). Money is integer fen. */

export type RatingList = ApiResponse<'/api/ratings/{year}', 'get'>;
export type RatingItem = Item<RatingList['items']>;
export type LevelCount = Item<RatingList['levels']>;
export type RatingPreview = ApiResponse<'/api/ratings/{year}/preview', 'post'>;
export type PreviewRow = Item<RatingPreview['rows']>;
export type Problem = Item<RatingPreview['fileProblems']>;
export type Upload = ApiBody<'/api/ratings/{year}/preview', 'post'>;
export type AllocationReview = ApiResponse<'/api/allocations/{year}', 'get'>;
export type FundTable = ApiResponse<'/api/funds/{year}/regions/{code}', 'get'>;
export type Figures = FundTable['total'];
export type ByStars = ApiResponse<'/api/funds/{year}/regions/{code}/by-stars', 'get'>;
export type TransferItem = Item<ApiResponse<'/api/funds/{year}/regions/{code}/transfers', 'get'>['items']>;

export const fundsApi = {
  ratings: (year: number, signal?: AbortSignal) => data(client.GET('/api/ratings/{year}', { params: { path: { year } }, signal })),
  preview: (year: number, body: Upload) => data(client.POST('/api/ratings/{year}/preview', { params: { path: { year } }, body })),
  importRatings: (year: number, body: ApiBody<'/api/ratings/{year}/import', 'post'>) =>
    data(client.POST('/api/ratings/{year}/import', { params: { path: { year } }, body })),
  setRating: (year: number, code: string, stars: number | null, reason: string) =>
    data(client.PUT('/api/ratings/{year}/communities/{code}', { params: { path: { year, code } }, body: { stars, reason } })),
  allocations: (year: number, signal?: AbortSignal) => data(client.GET('/api/allocations/{year}', { params: { path: { year } }, signal })),
  confirm: (year: number, expectedTotalFen: number) =>
    data(client.POST('/api/allocations/{year}/confirm', { params: { path: { year } }, body: { expectedTotalFen } })),
  table: (year: number, code: string, signal?: AbortSignal) =>
    data(client.GET('/api/funds/{year}/regions/{code}', { params: { path: { year, code } }, signal })),
  byStars: (year: number, code: string, signal?: AbortSignal) =>
    data(client.GET('/api/funds/{year}/regions/{code}/by-stars', { params: { path: { year, code } }, signal })),
  transfers: (year: number, code: string, offset: number, signal?: AbortSignal) =>
    data(
      client.GET('/api/funds/{year}/regions/{code}/transfers', { params: { path: { year, code }, query: { limit: 20, offset } }, signal }),
    ),
  policyYears: (signal?: AbortSignal) => data(client.GET('/api/policy/years', { signal })),
};

export const exportUrl = (year: number, code: string) => `/api/funds/${year}/regions/${code}/export.xlsx`;
export const templateUrl = (format: 'csv' | 'xlsx') => `/api/ratings/template?format=${format}`;
export const ratingsExportUrl = (year: number) => `/api/ratings/${year}/export.xlsx`;

export const STAR_LABEL = (s: number) => `${s}星`;
