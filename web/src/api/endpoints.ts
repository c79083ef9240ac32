import { client, data } from './client';
import type { ApiBody, ApiQuery, ApiResponse, Item } from './paths';

/** Calls and types of the system, auth, regions, policy, calendar and audit APIs, all from the generated schema. */

export type { Permission, Role } from './labels.gen';
export type RegionLevel = 'city' | 'district' | 'street' | 'community';

// ---------- auth ----------
export type UserResponse = ApiResponse<'/api/auth/me', 'get'>;
export type SessionUser = UserResponse['user'];
export type UserScope = NonNullable<SessionUser['scope']>;
export type LoginRequest = ApiBody<'/api/auth/login', 'post'>;
export type OkResponse = ApiResponse<'/api/auth/logout', 'post'>;
export type ChangePasswordRequest = ApiBody<'/api/auth/password', 'post'>;

// ---------- regions ----------
export type ScopeResponse = ApiResponse<'/api/regions/scope', 'get'>;
export type RegionSummary = ScopeResponse['root'];
export type RegionDetailResponse = ApiResponse<'/api/regions/{code}', 'get'>;
export type CommunityProfile = NonNullable<RegionDetailResponse['community']>;
export type CommunityRating = Item<CommunityProfile['ratings']>;
export type CommunityListResponse = ApiResponse<'/api/regions/{code}/communities', 'get'>;
export type CommunityListItem = Item<CommunityListResponse['items']>;
export type CommunityListQuery = ApiQuery<'/api/regions/{code}/communities', 'get'>;
export type ProfilePatch = ApiBody<'/api/regions/{code}/profile', 'patch'>;
export type ProfilePatchResponse = ApiResponse<'/api/regions/{code}/profile', 'patch'>;

// ---------- policy ----------
export type PolicyYearsResponse = ApiResponse<'/api/policy/years', 'get'>;
export type PolicyYearItem = Item<PolicyYearsResponse['items']>;
export type PolicyResponse = ApiResponse<'/api/policy/{year}', 'get'>;
export type PolicyDocument = PolicyResponse['document'];
export type PolicyTier = Item<PolicyDocument['tiers']>;
export type ProhibitedUse = Item<PolicyDocument['prohibitedUses']>;
export type CatalogueItem = Item<PolicyDocument['catalogue']['basic']>;
export type RubricItem = Item<PolicyDocument['evaluationRubric']>;
export type Fraction = PolicyDocument['needsCoverage'];
/** strict: true means "more than" the fraction; false means "at least". */
export type StrictFraction = PolicyDocument['councilQuorum'];

// ---------- calendar ----------
export type CalendarYearResponse = ApiResponse<'/api/calendar/{year}', 'get'>;
export type CalendarDay = Item<CalendarYearResponse['days']>;
export type CalendarPublishRequest = ApiBody<'/api/calendar/{year}/publish', 'post'>;
export type CalendarPreviewResponse = ApiResponse<'/api/calendar/{year}/preview', 'post'>;
export type CalendarPublishResponse = ApiResponse<'/api/calendar/{year}/publish', 'post'>;
export type MovedDueDate = Item<CalendarPreviewResponse['dueDates']>;
export type WorkdayResult = ApiResponse<'/api/calendar/add-workdays', 'get'>;

// ---------- audit ----------
export type AuditEventsResponse = ApiResponse<'/api/audit/events', 'get'>;
export type AuditEvent = Item<AuditEventsResponse['items']>;
export type AuditEventsQuery = ApiQuery<'/api/audit/events', 'get'>;
export type AuditVerifyResponse = ApiResponse<'/api/audit/verify', 'get'>;

// ---------- system ----------
export type HealthResponse = ApiResponse<'/api/health', 'get'>;
export type ClockResponse = ApiResponse<'/api/clock', 'get'>;

export const authApi = {
  me: (signal?: AbortSignal) => data(client.GET('/api/auth/me', { signal })),
  login: (body: LoginRequest) => data(client.POST('/api/auth/login', { body })),
  logout: () => data(client.POST('/api/auth/logout')),
  changePassword: (body: ChangePasswordRequest) => data(client.POST('/api/auth/password', { body })),
};

export const regionsApi = {
  scope: (signal?: AbortSignal) => data(client.GET('/api/regions/scope', { signal })),
  detail: (code: string, signal?: AbortSignal) => data(client.GET('/api/regions/{code}', { params: { path: { code } }, signal })),
  communities: (code: string, query: CommunityListQuery, signal?: AbortSignal) =>
    data(client.GET('/api/regions/{code}/communities', { params: { path: { code }, query }, signal })),
  patchProfile: (code: string, body: ProfilePatch) =>
    data(client.PATCH('/api/regions/{code}/profile', { params: { path: { code } }, body })),
};

export const policyApi = {
  years: (signal?: AbortSignal) => data(client.GET('/api/policy/years', { signal })),
  get: (year: number, signal?: AbortSignal) => data(client.GET('/api/policy/{year}', { params: { path: { year } }, signal })),
  put: (year: number, document: PolicyDocument) =>
    data(client.PUT('/api/policy/{year}', { params: { path: { year } }, body: { document } })),
  copy: (year: number, toYear: number) => data(client.POST('/api/policy/{year}/copy', { params: { path: { year } }, body: { toYear } })),
};

/** Opening a fund year (ADR 0015): the checklist and its two actions. */
export const yearsApi = {
  opening: (year: number, signal?: AbortSignal) => data(client.GET('/api/years/{year}/opening', { params: { path: { year } }, signal })),
  copyPolicy: (year: number) => data(client.POST('/api/years/{year}/policy/copy', { params: { path: { year } } })),
  carryForward: (year: number) => data(client.POST('/api/years/{year}/ineligibilities/carry-forward', { params: { path: { year } } })),
};

export const calendarApi = {
  year: (year: number, signal?: AbortSignal) => data(client.GET('/api/calendar/{year}', { params: { path: { year } }, signal })),
  preview: (year: number, body: CalendarPublishRequest) =>
    data(client.POST('/api/calendar/{year}/preview', { params: { path: { year } }, body })),
  publish: (year: number, body: CalendarPublishRequest) =>
    data(client.POST('/api/calendar/{year}/publish', { params: { path: { year } }, body })),
  putDay: (date: string, body: ApiBody<'/api/calendar/days/{date}', 'put'>) =>
    data(client.PUT('/api/calendar/days/{date}', { params: { path: { date } }, body })),
  deleteDay: (date: string) => data(client.DELETE('/api/calendar/days/{date}', { params: { path: { date } } })),
  addWorkdays: (from: string, days: number) => data(client.GET('/api/calendar/add-workdays', { params: { query: { from, days } } })),
  windowEnd: (from: string, days: number) => data(client.GET('/api/calendar/window-end', { params: { query: { from, days } } })),
};

export const auditApi = {
  events: (query: AuditEventsQuery, signal?: AbortSignal) => data(client.GET('/api/audit/events', { params: { query }, signal })),
  verify: () => data(client.GET('/api/audit/verify')),
};

export const systemApi = {
  health: (signal?: AbortSignal) => data(client.GET('/api/health', { signal })),
  clock: (signal?: AbortSignal) => data(client.GET('/api/clock', { signal })),
};
