import { api } from './client';
import type {
  AccountListResponse,
  AuditEventsQuery,
  AuditEventsResponse,
  AuditVerifyResponse,
  CalendarDay,
  CalendarPreviewResponse,
  CalendarPublishRequest,
  CalendarPublishResponse,
  CalendarYearResponse,
  ClockResponse,
  CommunityListQuery,
  CommunityListResponse,
  HealthResponse,
  LoginRequest,
  OkResponse,
  PolicyDocument,
  PolicyResponse,
  PolicyYearsResponse,
  ProfilePatch,
  ProfilePatchResponse,
  RegionDetailResponse,
  ScopeResponse,
  UserResponse,
  WorkdayResult,
} from './types';

const seg = encodeURIComponent;

export const authApi = {
  me: (signal?: AbortSignal) => api.get<UserResponse>('/auth/me', undefined, signal),
  login: (body: LoginRequest) => api.post<UserResponse>('/auth/login', body),
  logout: () => api.post<OkResponse>('/auth/logout'),
  users: (signal?: AbortSignal) => api.get<AccountListResponse>('/auth/users', undefined, signal),
};

export const regionsApi = {
  scope: (signal?: AbortSignal) => api.get<ScopeResponse>('/regions/scope', undefined, signal),
  detail: (code: string, signal?: AbortSignal) => api.get<RegionDetailResponse>(`/regions/${seg(code)}`, undefined, signal),
  communities: (code: string, query: CommunityListQuery, signal?: AbortSignal) =>
    api.get<CommunityListResponse>(`/regions/${seg(code)}/communities`, { ...query }, signal),
  patchProfile: (code: string, body: ProfilePatch) => api.patch<ProfilePatchResponse>(`/regions/${seg(code)}/profile`, body),
};

export const policyApi = {
  years: (signal?: AbortSignal) => api.get<PolicyYearsResponse>('/policy/years', undefined, signal),
  get: (year: number, signal?: AbortSignal) => api.get<PolicyResponse>(`/policy/${year}`, undefined, signal),
  put: (year: number, document: PolicyDocument) => api.put<PolicyResponse>(`/policy/${year}`, { document }),
  copy: (year: number, toYear: number) => api.post<PolicyResponse>(`/policy/${year}/copy`, { toYear }),
};

export const calendarApi = {
  year: (year: number, signal?: AbortSignal) => api.get<CalendarYearResponse>(`/calendar/${year}`, undefined, signal),
  preview: (year: number, body: CalendarPublishRequest) => api.post<CalendarPreviewResponse>(`/calendar/${year}/preview`, body),
  publish: (year: number, body: CalendarPublishRequest) => api.post<CalendarPublishResponse>(`/calendar/${year}/publish`, body),
  putDay: (date: string, body: Pick<CalendarDay, 'isOffDay' | 'name'>) => api.put<unknown>(`/calendar/days/${seg(date)}`, body),
  deleteDay: (date: string) => api.delete<unknown>(`/calendar/days/${seg(date)}`),
  addWorkdays: (from: string, days: number) => api.get<WorkdayResult>('/calendar/add-workdays', { from, days }),
  windowEnd: (from: string, days: number) => api.get<WorkdayResult>('/calendar/window-end', { from, days }),
};

export const auditApi = {
  events: (query: AuditEventsQuery, signal?: AbortSignal) => api.get<AuditEventsResponse>('/audit/events', { ...query }, signal),
  verify: () => api.get<AuditVerifyResponse>('/audit/verify'),
};

export const systemApi = {
  health: (signal?: AbortSignal) => api.get<HealthResponse>('/health', undefined, signal),
  clock: (signal?: AbortSignal) => api.get<ClockResponse>('/clock', undefined, signal),
};
