import { client, data } from '../../api/client';
import type { ApiBody, ApiResponse, Item } from '../../api/paths';

/** Types of the households API, from the generated schema (server/src/modules/households). */
export type HouseholdList = ApiResponse<'/api/regions/{code}/households', 'get'>;
export type Household = Item<HouseholdList['items']>;
export type HouseholdMember = Item<Household['members']>;
export type Roster = ApiResponse<'/api/regions/{code}/roster', 'get'>;
export type HouseholdCreate = ApiBody<'/api/regions/{code}/households', 'post'>;
export type MemberInput = Item<NonNullable<HouseholdCreate['members']>>;
export type HouseholdPatch = ApiBody<'/api/households/{id}', 'patch'>;
export type ImportResult = ApiResponse<'/api/regions/{code}/households/import', 'post'>;

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
  /** CSV goes as UTF-8 text, .xlsx as base64 (ImportBody.content). All or nothing. */
  importFile: (code: string, body: ApiBody<'/api/regions/{code}/households/import', 'post'>) =>
    data(client.POST('/api/regions/{code}/households/import', { params: { path: { code } }, body })),
};

/** Reads an upload for the import body: .xlsx as base64 (data URL stripped), .csv as UTF-8 text. */
export function readImportFile(file: File): Promise<{ format: 'csv' | 'xlsx'; content: string }> {
  const format = file.name.toLowerCase().endsWith('.xlsx') ? 'xlsx' : 'csv';
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onerror = () => reject(new Error('无法读取文件'));
    reader.onload = () => {
      const result = String(reader.result ?? '');
      resolve({ format, content: format === 'xlsx' ? result.slice(result.indexOf(',') + 1) : result });
    };
    if (format === 'xlsx') reader.readAsDataURL(file);
    else reader.readAsText(file, 'utf-8');
  });
}

/** The row-level report of a rejected import, if the error carries one. */
export function importErrorsOf(error: unknown): ImportRowError[] | null {
  const details = (error as { details?: { errors?: unknown } } | null)?.details;
  return Array.isArray(details?.errors) ? (details.errors as ImportRowError[]) : null;
}
