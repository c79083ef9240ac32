/**
 * Types of the StarFund HTTP API as the console sees them. The web shares only these shapes
 * with the server (see the API contract); keep them in step with server/src/modules/*.routes.ts.
 */

import type { Permission, Role } from './labels.gen';

export type { Permission, Role };

export type RegionLevel = 'city' | 'district' | 'street' | 'community';

/** Body of every error response. `message` is Chinese and is what the console shows. */
export interface ApiErrorBody {
  statusCode: number;
  code: string;
  message: string;
  messageEn: string;
  field?: string;
  clause?: string;
  details?: unknown;
}

// ---------- auth ----------

export interface UserScope {
  code: string;
  name: string;
  path: string;
  level: RegionLevel | string;
}

export interface SessionUser {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  roleLabel: string;
  scope: UserScope | null;
  orgId: number | null;
  permissions: string[];
}

export interface UserResponse {
  user: SessionUser;
}

export interface LoginRequest {
  username: string;
  password: string;
}

export interface OkResponse {
  ok: boolean;
}

export interface AccountListItem {
  id: number;
  username: string;
  displayName: string;
  role: Role | string;
  roleLabel: string;
  scopeCode: string | null;
  scopeName: string | null;
}

export interface AccountListResponse {
  items: AccountListItem[];
}

// ---------- regions ----------

export interface RegionSummary {
  code: string;
  name: string;
  level: RegionLevel;
  /** 市, 区, 县, 县级市, 街道, 镇, 乡, 社区 … */
  kind: string;
  path: string;
  parentCode: string | null;
  communityCount: number;
}

export interface ScopeResponse {
  root: RegionSummary;
}

export interface CommunityRating {
  year: number;
  stars: number;
}

export interface CommunityProfile {
  code: string;
  name: string;
  residentHouseholds: number;
  representatives: number;
  councilMembers: number;
  address: string | null;
  contactPhone: string | null;
  ratings: CommunityRating[];
}

export interface RegionDetailResponse {
  region: RegionSummary;
  ancestors: RegionSummary[];
  children: RegionSummary[];
  community: CommunityProfile | null;
}

export interface CommunityListItem {
  code: string;
  name: string;
  streetCode: string;
  streetName: string;
  districtCode: string;
  districtName: string;
  stars: number | null;
  residentHouseholds: number;
  representatives: number;
  councilMembers: number;
}

export interface CommunityListResponse {
  /** The rating year the stars are from (the server picks the latest when none is asked for). */
  ratingYear?: number;
  total: number;
  items: CommunityListItem[];
}

export interface CommunityListQuery {
  q?: string;
  ratingYear?: number;
  limit?: number;
  offset?: number;
}

export interface ProfilePatch {
  residentHouseholds?: number;
  representatives?: number;
  councilMembers?: number;
  address?: string | null;
  contactPhone?: string | null;
}

export interface ProfilePatchResponse {
  community: CommunityProfile;
}

// ---------- policy ----------

export interface Fraction {
  numerator: number;
  denominator: number;
}

/** strict: true means "more than" the fraction; false means "at least". */
export interface StrictFraction extends Fraction {
  strict: boolean;
}

export interface PolicyTier {
  stars: number;
  quota: number;
  amountFen: number;
  enhancementMin: number;
}

export interface ProhibitedUse {
  code: string;
  label: string;
  keywords: string[];
}

export interface CatalogueItem {
  code: string;
  name: string;
  examples: string[];
}

export interface RubricItem {
  code: string;
  label: string;
  weight: number;
}

export interface PolicyDocument {
  fundYear: number;
  ratingYear: number;
  title: string;
  tiers: PolicyTier[];
  enhancementMinCounts: 'projects' | 'types';
  basicItems: string[];
  needsCoverage: Fraction;
  noticeDays: number;
  objectionShare: Fraction;
  /** [N 3.1.2(1)] Working days after the window during which a paper objection may still be entered. */
  objectionEntryGraceWorkdays: number;
  reviewWorkdays: number;
  /** 'MM-DD' */
  midEvaluationDue: string;
  /** 'MM-DD' */
  finalEvaluationDue: string;
  councilQuorum: StrictFraction;
  councilPass: StrictFraction;
  smallPurchaseThresholdFen: number;
  disclosureGraceDays: number;
  prohibitedUses: ProhibitedUse[];
  catalogue: { basic: CatalogueItem[]; enhancement: CatalogueItem[] };
  evaluationRubric: RubricItem[];
  gradeThresholds: { excellent: number; good: number; pass: number };
}

export interface PolicyYearItem {
  year: number;
  updatedAt: string;
}

export interface PolicyYearsResponse {
  items: PolicyYearItem[];
}

export interface PolicyResponse {
  year: number;
  updatedAt: string;
  document: PolicyDocument;
}

// ---------- calendar ----------

export interface CalendarDay {
  /** 'YYYY-MM-DD' */
  date: string;
  /** true: a holiday (休); false: a make-up working day (班). */
  isOffDay: boolean;
  name: string;
}

export interface CalendarYearResponse {
  year: number;
  /** The State Council holiday notice of the year is entered. */
  published: boolean;
  /**
   * Not entered: `days` are the statutory rest days only (names end with "（法定）"), without
   * make-up days, and every working-day answer through the year is 暂定.
   */
  provisional: boolean;
  provisionalReason: string | null;
  /** The statutory holiday law governing the year. */
  statutorySource: string;
  source: string | null;
  publishedAt: string | null;
  days: CalendarDay[];
}

export interface CalendarPublishRequest {
  source: string;
  days: CalendarDay[];
}

/** An open due date computed through a provisional year, and what entering the year's notice makes of it. */
export interface MovedDueDate {
  kind: string;
  kindLabel: string;
  id: number;
  title: string;
  regionPath: string;
  before: string;
  after: string;
  moved: boolean;
  /** Still provisional: the new date runs through a later year whose notice is not entered either. */
  provisional: boolean;
  link: string;
}

export interface CalendarPreviewResponse {
  year: number;
  days: CalendarDay[];
  dueDates: MovedDueDate[];
}

export interface CalendarPublishResponse extends CalendarYearResponse {
  dueDates: MovedDueDate[];
}

export interface WorkdayResult {
  from: string;
  days: number;
  result: string;
  /** The computation ran through a year whose holiday notice is not entered. */
  provisional: boolean;
  provisionalYears: number[];
  provisionalReason: string | null;
}

// ---------- audit ----------

export interface AuditEvent {
  seq: number;
  at: string;
  actorName: string | null;
  action: string;
  entityType: string;
  entityId: string;
  regionPath: string | null;
  before: unknown;
  after: unknown;
  hash: string;
}

export interface AuditEventsResponse {
  items: AuditEvent[];
}

export interface AuditEventsQuery {
  limit?: number;
  beforeSeq?: number;
  entityType?: string;
  entityId?: string;
}

export interface AuditVerifyResponse {
  ok: boolean;
  count: number;
  headHash?: string;
  brokenSeq?: number;
  reason?: string;
}

// ---------- system ----------

export interface HealthResponse {
  status: 'ok';
  db: 'pglite' | 'postgres';
}

/** The application clock: today in China, and the fund year the console opens on (null: no policy yet). */
export interface ClockResponse {
  /** 'YYYY-MM-DD' */
  today: string;
  fundYear: number | null;
}
