import { client, untyped } from '../../api/client';

/** Shapes of the public portal API (server/src/modules/disclosure/disclosure.routes.ts). */
// i17: replaced by the generated type once the route declares its response (the portal routes answer `Type.Object({}, { additionalProperties: true })`).

export interface RegionView { code: string; name: string; level: string; kind: string; parentCode: string | null; communityCount: number }
export interface RegionPage {
  region: RegionView;
  ancestors: RegionView[];
  years: number[];
  fundYear: number;
  totals: { allocatedFen: number; committedFen: number; paidFen: number; fundedCommunities: number };
  children: (RegionView & { allocatedFen: number; committedFen: number; paidFen: number; fundedCommunities: number })[];
}
export interface DisclosureItem { kind: string; stage: string; stageLabel: string; label: string; triggeredOn: string | null; dueOn: string | null; publishedOn: string | null; status: 'not_due' | 'due' | 'published' | 'late' | 'missing'; flagged: boolean }
export interface PublicContract {
  id: number; ref: string; title: string; amountFen: number; signedOn: string | null; startsOn: string; endsOn: string; status: string;
  provider: { name: string; kind: string; creditCode: string } | null; projectIds: number[]; paidFen: number;
  instalments: { seq: number; conditionLabel: string; amountFen: number; status: string; paidOn: string | null }[];
  /** [N 3.2] Set when a 不合格 final evaluation voided the unpaid instalments; releasedFen went back to the community. */
  remainderVoidedOn?: string | null;
  remainderVoidReason?: string | null;
  releasedFen?: number;
}
export interface PublicPayment { contractId: number; contractRef: string; providerName: string; seq: number; amountFen: number; paidOn: string | null }
export interface PublicNoticeRow { id: number; round: number; postedOn: string; windowEnd: string; status: string; daysLeft: number; objectors: number; objectorsNeeded: number; totalBudgetFen: number; projectCount: number; link: string }
export interface Evaluation { contractId: number | null; projectId: number | null; stage: 'midterm' | 'final'; grade: string; evaluatedOn: string; evaluatorName: string }
export interface ModelCase { id: number; title: string; summary: string; publishedOn: string; projectId: number | null }
export interface CommunityPage {
  community: RegionView & { stars: number | null; ratingYear: number };
  ancestors: RegionView[];
  years: number[];
  fundYear: number;
  step: { code: string; label: string };
  steps: { code: string; label: string }[];
  allocation: { allocatedFen: number; committedFen: number; paidFen: number; availableFen: number } | null;
  needs: { id: number; title: string; opensOn: string; closesOn: string; status: string; acceptingOnline: boolean; coverage: { reached: number; residentHouseholds: number; basisPoints: number }; link: string } | null;
  decision: { status: string; round: number; decidedOn: string | null; projects: { decisionProjectId: number; title: string; category: string; estimatedBudgetFen: number; votesFor: number; votesAgainst: number; votesAbstain: number }[] } | null;
  notices: PublicNoticeRow[];
  plan: { id: number; title: string; status: string; filingLevel: string | null; filedOn: string | null; projectCount: number; projects: { id: number; title: string; content: string; category: string; budgetFen: number; link: string }[] } | null;
  contracts: PublicContract[];
  payments: PublicPayment[];
  evaluations: Evaluation[];
  modelCases: ModelCase[];
  disclosures: DisclosureItem[];
}
export interface ProjectPage {
  project: { id: number; title: string; content: string; catalogueCode: string; category: string; budgetFen: number; fundYear: number };
  community: RegionView;
  ancestors: RegionView[];
  trail: {
    needs: { campaignId: number; title: string; opensOn: string; closesOn: string; coverage: { reached: number; residentHouseholds: number; basisPoints: number }; households: number | null; opinions: number | null } | null;
    decision: { decidedOn: string | null; votesFor: number; votesAgainst: number; votesAbstain: number; estimatedBudgetFen: number } | null;
    notices: PublicNoticeRow[];
    plan: { id: number; title: string; filedOn: string | null; filingLevel: string | null } | null;
    contracts: PublicContract[];
    payments: PublicPayment[];
    evaluations: Evaluation[];
    modelCases: ModelCase[];
  };
}
export interface SearchResult { items: { code: string; name: string; streetName: string; districtName: string }[] }
export interface OpenDataIndex { license: string; years: { year: number; files: { dataset: string; format: string; url: string }[]; ocds: string }[] }
export interface AuditDays { today: string; days: { day: string; firstSeq: number; lastSeq: number; events: number; headHash: string; complete: boolean }[] }

const q = (year?: number) => (year ? { year } : undefined);
export const portalApi = {
  city: (year?: number, signal?: AbortSignal) => untyped<RegionPage>(client.GET('/api/public/portal/city', { params: { query: q(year) }, signal })),
  region: (code: string, year?: number, signal?: AbortSignal) =>
    untyped<RegionPage>(client.GET('/api/public/portal/regions/{code}', { params: { path: { code }, query: q(year) }, signal })),
  community: (code: string, year?: number, signal?: AbortSignal) =>
    untyped<CommunityPage>(client.GET('/api/public/portal/communities/{code}', { params: { path: { code }, query: q(year) }, signal })),
  project: (id: number, signal?: AbortSignal) => untyped<ProjectPage>(client.GET('/api/public/portal/projects/{id}', { params: { path: { id } }, signal })),
  search: (text: string, signal?: AbortSignal) => untyped<SearchResult>(client.GET('/api/public/portal/search', { params: { query: { q: text } }, signal })),
  openData: (signal?: AbortSignal) => untyped<OpenDataIndex>(client.GET('/api/public/open-data', { signal })),
  auditDays: (signal?: AbortSignal) => untyped<AuditDays>(client.GET('/api/public/audit/daily-heads', { signal })),
};

