import { api } from '../../api/client';

/** Shapes of the households API (server/src/modules/households/households.routes.ts). */

export interface HouseholdMember {
  name: string;
  isRepresentative: boolean;
  isCouncilMember: boolean;
  hasIdNumber: boolean;
}

export interface Household {
  id: number;
  communityCode: string;
  householdNo: string;
  building: string;
  unit: string;
  room: string;
  address: string;
  /** Masked (张*) for accounts outside the community. */
  headName: string;
  /** Masked (138****5678) for accounts outside the community. */
  phone: string;
  residents: number;
  members: HouseholdMember[];
  masked: boolean;
}

export interface HouseholdList {
  total: number;
  masked: boolean;
  items: Household[];
}

export interface Roster {
  registeredHouseholds: number;
  profile: { residentHouseholds: number; representatives: number; councilMembers: number };
  roster: { representatives: number; councilMembers: number };
  consistent: boolean;
  members: { householdId: number; householdNo: string; name: string; isRepresentative: boolean; isCouncilMember: boolean }[];
}

export interface MemberInput {
  name: string;
  isRepresentative: boolean;
  isCouncilMember: boolean;
  idNumber?: string | null;
}

export interface HouseholdCreate {
  householdNo: string;
  building: string;
  unit?: string;
  room: string;
  headName: string;
  phone: string;
  residents: number;
  members?: MemberInput[];
}

export type HouseholdPatch = Partial<Omit<HouseholdCreate, 'householdNo'>>;

export interface ImportResult {
  format: string;
  rows: number;
  created: number;
  updated: number;
}

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
    api.get<HouseholdList>(`/regions/${code}/households`, { q: query.q, limit: PAGE_SIZE, offset: query.offset }, signal),
  roster: (code: string, signal?: AbortSignal) => api.get<Roster>(`/regions/${code}/roster`, undefined, signal),
  get: (id: number, signal?: AbortSignal) => api.get<{ household: Household }>(`/households/${id}`, undefined, signal),
  create: (code: string, body: HouseholdCreate) => api.post<{ household: Household }>(`/regions/${code}/households`, body),
  update: (id: number, body: HouseholdPatch) => api.patch<{ household: Household }>(`/households/${id}`, body),
  /** CSV goes as UTF-8 text, .xlsx as base64 (ImportBody.content). All or nothing. */
  importFile: (code: string, body: { format: 'csv' | 'xlsx'; content: string }) => api.post<ImportResult>(`/regions/${code}/households/import`, body),
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
