import { client, data } from '../../api/client';
import type { ApiBody, ApiResponse, Item } from '../../api/paths';
import { readFileForUpload } from '../../utils/file-upload';

/** Types of the households API, from the generated schema (server/src/modules/households). */
export type HouseholdList = ApiResponse<'/api/regions/{code}/households', 'get'>;
export type Household = Item<HouseholdList['items']>;
export type HouseholdMember = Item<Household['members']>;
export type Roster = ApiResponse<'/api/regions/{code}/roster', 'get'>;
export type HouseholdCreate = ApiBody<'/api/regions/{code}/households', 'post'>;
export type MemberInput = Item<NonNullable<HouseholdCreate['members']>>;
export type HouseholdPatch = ApiBody<'/api/households/{id}', 'patch'>;
export type ImportResult = ApiResponse<'/api/regions/{code}/households/import', 'post'>;
export type RosterTerms = ApiResponse<'/api/regions/{code}/roster-terms', 'get'>;
export type RosterTerm = Item<RosterTerms['history']>;
export type AddTerm = ApiBody<'/api/regions/{code}/roster-terms', 'post'>;
export type EndTerm = ApiBody<'/api/roster-terms/{id}/end', 'post'>;
export type ReplaceTerm = ApiBody<'/api/roster-terms/{id}/replace', 'post'>;
export type RosterImport = ApiResponse<'/api/regions/{code}/roster-terms/import', 'post'>;
export type Upload = { format: 'csv' | 'xlsx'; content: string; contentEncoding: 'base64' };

/** One problem of a rejected import (details.errors): row 1 is the header, row 0 the whole file. */
export interface ImportRowError {
  row: number;
  column: string;
  message: string;
  messageEn: string;
}

export const PAGE_SIZE = 20;

export const householdsApi = {
  list: (code: string, query: { q?: string; offset: number }, signal?: AbortSignal) =>
    data(
      client.GET('/api/regions/{code}/households', {
        params: { path: { code }, query: { q: query.q, limit: PAGE_SIZE, offset: query.offset } },
        signal,
      }),
    ),
  roster: (code: string, signal?: AbortSignal) => data(client.GET('/api/regions/{code}/roster', { params: { path: { code } }, signal })),
  get: (id: number, signal?: AbortSignal) => data(client.GET('/api/households/{id}', { params: { path: { id } }, signal })),
  create: (code: string, body: HouseholdCreate) =>
    data(client.POST('/api/regions/{code}/households', { params: { path: { code } }, body })),
  update: (id: number, body: HouseholdPatch) => data(client.PATCH('/api/households/{id}', { params: { path: { id } }, body })),
  /** The file's bytes in base64 (CSV in UTF-8 or GBK, detected; .xlsx). All or nothing. */
  importFile: (code: string, body: ApiBody<'/api/regions/{code}/households/import', 'post'>) =>
    data(client.POST('/api/regions/{code}/households/import', { params: { path: { code } }, body })),
  rosterTerms: (code: string, on: string | undefined, signal?: AbortSignal) =>
    data(client.GET('/api/regions/{code}/roster-terms', { params: { path: { code }, query: { on } }, signal })),
  addTerm: (code: string, body: AddTerm) => data(client.POST('/api/regions/{code}/roster-terms', { params: { path: { code } }, body })),
  endTerm: (id: number, body: EndTerm) => data(client.POST('/api/roster-terms/{id}/end', { params: { path: { id } }, body })),
  replaceTerm: (id: number, body: ReplaceTerm) => data(client.POST('/api/roster-terms/{id}/replace', { params: { path: { id } }, body })),
  importRoster: (code: string, body: Upload & { dryRun: boolean }) =>
    data(client.POST('/api/regions/{code}/roster-terms/import', { params: { path: { code } }, body })),
};

export const rosterTemplateUrl = (format: 'csv' | 'xlsx') => `/api/roster-terms/template?format=${format}`;

/** Reads an upload for an import body: the file's bytes in base64 (a CSV in UTF-8 or GBK is detected by the server). */
export const readImportFile = (file: File): Promise<Upload> => readFileForUpload(file);

/** The row-level report of a rejected import, if the error carries one. */
export function importErrorsOf(error: unknown): ImportRowError[] | null {
  const details = (error as { details?: { errors?: unknown } } | null)?.details;
  return Array.isArray(details?.errors) ? (details.errors as ImportRowError[]) : null;
}
