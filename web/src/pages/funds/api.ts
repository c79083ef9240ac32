import { api } from '../../api/client';

/** Types and calls of the ratings and ledger APIs (tags `ratings`, `ledger`). Money is integer fen. */

export interface LevelCount {
  stars: number;
  quota: number;
  count: number;
}

export interface Problem {
  code: string;
  message: string;
  messageEn: string;
  clause?: string;
  details?: unknown;
}

export interface PreviewRow {
  line: number;
  input: { code: string; name: string; district: string; level: string };
  communityCode: string | null;
  communityName: string | null;
  streetName: string | null;
  districtName: string | null;
  stars: number | null;
  problems: Problem[];
}

export interface RatingPreview {
  ok: boolean;
  token: string;
  levels: LevelCount[];
  fileProblems: Problem[];
  rows: PreviewRow[];
}

export interface RatingItem {
  communityCode: string;
  communityName: string;
  streetCode: string;
  streetName: string;
  districtCode: string;
  districtName: string;
  stars: number;
  updatedAt: string;
}

export interface Upload {
  format: 'csv' | 'xlsx';
  content: string;
  previewToken?: string;
}

export interface AllocationReview {
  fundYear: number;
  ratingYear: number;
  budgetFen: number;
  count: number;
  totalFen: number;
  confirmed: boolean;
  postedCount: number;
  postedFen: number;
  levels: { stars: number; quota: number; count: number; amountFen: number; totalFen: number }[];
  districts: { districtCode: string; districtName: string; count: number; totalFen: number; byStars: { stars: number; count: number; totalFen: number }[] }[];
  items: { communityCode: string; communityName: string; streetName: string; districtCode: string; districtName: string; stars: number; amountFen: number; posted: boolean }[];
}

export interface Figures {
  allocated: number;
  committed: number;
  paid: number;
  available: number;
}

export interface FundTable {
  fundYear: number;
  region: { code: string; name: string; level: string; path: string };
  ancestors: { code: string; name: string; level: string }[];
  total: Figures & { communities: number };
  rows: (Figures & { code: string; name: string; level: string; communities: number })[];
  accounts: { id: number; kind: string; kindLabel?: string; ref: string; limitFen: number | null; creditsPosted: number; debitsPosted: number; debitsPending: number }[];
}

export interface ByStars {
  fundYear: number;
  ratingYear: number;
  levels: number[];
  rows: { districtCode: string; districtName: string; total: Figures; byStars: (Figures & { stars: number; communities: number })[] }[];
}

export interface TransferItem {
  id: string;
  seq: number;
  kind: string;
  code: string;
  codeLabel?: string;
  amount: number;
  debit: { kind: string; ref: string };
  credit: { kind: string; ref: string };
  pendingId: string | null;
  correctsId: string | null;
  reference: string;
  actorName: string;
  createdAt: string;
}

export const fundsApi = {
  ratings: (year: number, signal?: AbortSignal) => api.get<{ year: number; levels: LevelCount[]; items: RatingItem[] }>(`/ratings/${year}`, undefined, signal),
  preview: (year: number, body: Upload) => api.post<RatingPreview>(`/ratings/${year}/preview`, body),
  importRatings: (year: number, body: Upload) => api.post<{ imported: number; changed: number; removed: number; levels: LevelCount[] }>(`/ratings/${year}/import`, body),
  setRating: (year: number, code: string, stars: number | null, reason: string) => api.put<{ changed: boolean }>(`/ratings/${year}/communities/${code}`, { stars, reason }),
  allocations: (year: number, signal?: AbortSignal) => api.get<AllocationReview>(`/allocations/${year}`, undefined, signal),
  confirm: (year: number, expectedTotalFen: number) =>
    api.post<{ created: number; existing: number; totalFen: number; createdFen: number }>(`/allocations/${year}/confirm`, { expectedTotalFen }),
  table: (year: number, code: string, signal?: AbortSignal) => api.get<FundTable>(`/funds/${year}/regions/${code}`, undefined, signal),
  byStars: (year: number, code: string, signal?: AbortSignal) => api.get<ByStars>(`/funds/${year}/regions/${code}/by-stars`, undefined, signal),
  transfers: (year: number, code: string, offset: number, signal?: AbortSignal) =>
    api.get<{ total: number; items: TransferItem[] }>(`/funds/${year}/regions/${code}/transfers`, { limit: 20, offset }, signal),
  policyYears: (signal?: AbortSignal) => api.get<{ items: { year: number }[] }>('/policy/years', undefined, signal),
};

export const exportUrl = (year: number, code: string) => `/api/funds/${year}/regions/${code}/export.xlsx`;
export const templateUrl = (format: 'csv' | 'xlsx') => `/api/ratings/template?format=${format}`;

/** Reads an uploaded file: CSV as UTF-8 text, .xlsx as base64. */
export async function readUpload(file: File): Promise<Upload> {
  if (/\.csv$/i.test(file.name)) return { format: 'csv', content: await file.text() };
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return { format: 'xlsx', content: btoa(binary) };
}

export const STAR_LABEL = (s: number) => `${s}星`;
