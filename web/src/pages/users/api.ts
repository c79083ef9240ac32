import { client, data, serializeQuery } from '../../api/client';
import type { ApiBody, ApiQuery, ApiResponse, Item } from '../../api/paths';
import { readFileForUpload } from '../../utils/file-upload';

/** Types of the account administration API (server/src/modules/auth), from the generated schema. */
export type AccountList = ApiResponse<'/api/auth/users', 'get'>;
export type Account = Item<AccountList['items']>;
export type AccountQuery = ApiQuery<'/api/auth/users', 'get'>;
export type Assignable = ApiResponse<'/api/auth/users/assignable', 'get'>;
export type AssignableRole = Item<Assignable['roles']>;
export type AccountCreate = ApiBody<'/api/auth/users', 'post'>;
export type AccountPatch = ApiBody<'/api/auth/users/{id}', 'patch'>;
export type AccountWithPassword = ApiResponse<'/api/auth/users', 'post'>;
export type ImportBody = ApiBody<'/api/auth/users/import', 'post'>;
export type ImportReport = ApiResponse<'/api/auth/users/import', 'post'>;
export type ImportRow = Item<ImportReport['rows']>;

export const PAGE_SIZE = 20;

export const accountKeys = {
  all: ['auth', 'users'] as const,
  list: (query: AccountQuery) => ['auth', 'users', 'list', query] as const,
  assignable: () => ['auth', 'users', 'assignable'] as const,
};

const id = (accountId: number) => ({ path: { id: accountId } });

export const accountsApi = {
  list: (query: AccountQuery, signal?: AbortSignal) => data(client.GET('/api/auth/users', { params: { query }, signal })),
  assignable: (signal?: AbortSignal) => data(client.GET('/api/auth/users/assignable', { signal })),
  create: (body: AccountCreate) => data(client.POST('/api/auth/users', { body })),
  update: (accountId: number, body: AccountPatch) => data(client.PATCH('/api/auth/users/{id}', { params: id(accountId), body })),
  resetPassword: (accountId: number) => data(client.POST('/api/auth/users/{id}/reset-password', { params: id(accountId) })),
  /** dryRun: the row report only; otherwise all or nothing (422 IMPORT_ROWS_INVALID with details.rows). */
  importFile: (body: ImportBody) => data(client.POST('/api/auth/users/import', { body })),
};

export const templateUrl = (format: 'csv' | 'xlsx') => `/api/auth/users/template?format=${format}`;
export const exportUrl = (query: Omit<AccountQuery, 'page' | 'pageSize'>) =>
  `/api/auth/users/export?${serializeQuery({ ...query, format: 'xlsx' })}`;

/** 启用 / 停用, the two states of an account (the list's `status` filter). */
export const STATUS_LABELS = { active: '启用', disabled: '停用' } as const;

/** The ladder of region levels; a role's region is of exactly one of them. */
export const LEVEL_ORDER = ['city', 'district', 'street', 'community'] as const;
export const levelRank = (level: string): number => LEVEL_ORDER.indexOf(level as (typeof LEVEL_ORDER)[number]);

/** An upload as the import body wants it: the file's bytes in base64 (CSV in UTF-8 or GBK is detected by the server). */
export const readUploadBytes = (file: File): Promise<Pick<ImportBody, 'format' | 'content' | 'contentEncoding'>> => readFileForUpload(file);

/** The row report of a refused import (422 IMPORT_ROWS_INVALID carries it in details.rows). */
export function importRowsOf(error: unknown): ImportRow[] | null {
  const details = (error as { details?: { rows?: unknown } } | null)?.details;
  return Array.isArray(details?.rows) ? (details.rows as ImportRow[]) : null;
}

/** Saves text as a file in the browser (a UTF-8 BOM first, so that Excel reads the Chinese). */
export function downloadText(fileName: string, text: string, type = 'text/csv;charset=utf-8') {
  const url = URL.createObjectURL(new Blob(['\uFEFF', text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** One CSV cell, quoted when it needs to be. */
export const csvCell = (value: string | number | null | undefined): string => {
  const s = value === null || value === undefined ? '' : String(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};
