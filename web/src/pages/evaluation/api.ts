import { client, data, untyped } from '../../api/client';
import type { ApiBody, ApiResponse, Item } from '../../api/paths';

/** Types and calls of the evaluation, supervision and reports APIs (issue 8). Money is integer fen. */
// i17: replaced by the generated type once the route declares its response (Round, Assignment and their details: the evaluation routes declare none yet).

export type Grade = 'excellent' | 'good' | 'pass' | 'fail';
export { GRADE_LABELS } from '../../api/labels';
export const GRADE_COLORS: Record<Grade, string> = { excellent: 'green', good: 'blue', pass: 'gold', fail: 'red' };

export interface Round {
  id: number;
  fundYear: number;
  kind: 'midterm' | 'final';
  kindLabel: string;
  districtCode: string;
  districtName: string;
  dueOn: string;
  openedOn: string;
  status: 'open' | 'closed';
  daysLeft: number;
  overdue: boolean;
  counts: { assigned: number; concluded: number; outstanding: number; byGrade: Record<Grade, number> };
}

export interface Assignment {
  id: number;
  roundId: number;
  fundYear: number;
  kind: 'midterm' | 'final';
  kindLabel: string;
  dueOn: string;
  daysLeft: number;
  overdue: boolean;
  planProjectId: number;
  projectTitle: string;
  catalogueCode: string;
  communityCode: string;
  communityName: string;
  budgetFen: number;
  method: 'third_party' | 'review_meeting';
  methodLabel: string;
  evaluatorOrgId: number | null;
  evaluatorName: string | null;
  meetingOn: string | null;
  status: 'assigned' | 'concluded';
  scoreBp: number | null;
  score: string | null;
  grade: Grade | null;
  gradeLabel: string | null;
  peopleCovered: number | null;
  conclusion: string;
  problems: string;
  concludedOn: string | null;
  closure: 'open' | 'closed' | 'not_closed' | null;
}

export interface AssignmentDetail extends Assignment {
  rubric: { code: string; label: string; weight: number; score: number | null; note: string }[];
  gradeThresholds: { excellent: number; good: number; pass: number };
  evidence: { id: number; name: string; kind: string; ref: string | null }[];
  participants: { category: string; categoryLabel: string; name: string; affiliation: string }[];
  effects?: { ineligibleProviders: number[]; ineligibleYear: number | null };
}

export interface RoundDetail extends Round {
  assignments: Assignment[];
  unassigned: { planProjectId: number; title: string; catalogueCode: string; communityCodes: string[]; budgetFen: number }[];
  fees: { id: number; amountFen: number; paidOn: string; evaluatorOrgId: number | null; note: string; transferId: string }[];
}

/** Types of the reports, supervision and model-case APIs, from the generated schema (server/src/modules/reports, supervision). */
export type ReportSummary = Item<ApiResponse<'/api/district-reports', 'get'>['items']>;
export type Report = ApiResponse<'/api/district-reports/{id}', 'get'>;
export type ReportFigures = Report['figures'];
export type Finding = Item<ApiResponse<'/api/findings', 'get'>['items']>;
export type SpotCheckSummary = Item<ApiResponse<'/api/spot-checks', 'get'>['items']>;
export type SpotCheck = ApiResponse<'/api/spot-checks/{id}', 'get'>;
export type Visit = Item<ApiResponse<'/api/street-visits', 'get'>['items']>;
export type ModelCase = Item<ApiResponse<'/api/model-cases', 'get'>['items']>;
export type Dashboard = ApiResponse<'/api/dashboard', 'get'>;

const id = (value: number) => ({ path: { id: value } });

export const evaluationApi = {
  orgs: (signal?: AbortSignal) => untyped<{ items: { id: number; name: string }[] }>(client.GET('/api/evaluator-orgs', { signal })),
  rounds: (fundYear: number, signal?: AbortSignal) => untyped<{ items: Round[] }>(client.GET('/api/evaluation-rounds', { params: { query: { fundYear } }, signal })),
  openRound: (body: { fundYear: number; kind: string; districtCode: string }) => untyped<Round>(client.POST('/api/evaluation-rounds', { body: body as ApiBody<'/api/evaluation-rounds', 'post'> })),
  round: (roundId: number, signal?: AbortSignal) => untyped<RoundDetail>(client.GET('/api/evaluation-rounds/{id}', { params: id(roundId), signal })),
  assign: (roundId: number, body: unknown) =>
    untyped<AssignmentDetail>(client.POST('/api/evaluation-rounds/{id}/assignments', { params: id(roundId), body: body as ApiBody<'/api/evaluation-rounds/{id}/assignments', 'post'> })),
  fee: (roundId: number, body: unknown) => untyped<unknown>(client.POST('/api/evaluation-rounds/{id}/fees', { params: id(roundId), body: body as ApiBody<'/api/evaluation-rounds/{id}/fees', 'post'> })),
  assignments: (fundYear: number, signal?: AbortSignal) => untyped<{ items: Assignment[] }>(client.GET('/api/evaluation-assignments', { params: { query: { fundYear } }, signal })),
  assignment: (assignmentId: number, signal?: AbortSignal) => untyped<AssignmentDetail>(client.GET('/api/evaluation-assignments/{id}', { params: id(assignmentId), signal })),
  evidence: (assignmentId: number, body: ApiBody<'/api/evaluation-assignments/{id}/evidence', 'post'>) =>
    untyped<AssignmentDetail>(client.POST('/api/evaluation-assignments/{id}/evidence', { params: id(assignmentId), body })),
  conclude: (assignmentId: number, body: ApiBody<'/api/evaluation-assignments/{id}/conclude', 'post'>) =>
    untyped<AssignmentDetail>(client.POST('/api/evaluation-assignments/{id}/conclude', { params: id(assignmentId), body })),
  reports: (fundYear: number, signal?: AbortSignal) => data(client.GET('/api/district-reports', { params: { query: { fundYear } }, signal })),
  createReport: (body: ApiBody<'/api/district-reports', 'post'>) => data(client.POST('/api/district-reports', { body })),
  report: (reportId: number, signal?: AbortSignal) => data(client.GET('/api/district-reports/{id}', { params: id(reportId), signal })),
  saveNarrative: (reportId: number, narrative: string) => data(client.PATCH('/api/district-reports/{id}', { params: id(reportId), body: { narrative } })),
  fileReport: (reportId: number) => data(client.POST('/api/district-reports/{id}/file', { params: id(reportId) })),
  acknowledge: (reportId: number, note: string) => data(client.POST('/api/district-reports/{id}/acknowledge', { params: id(reportId), body: { note } })),
  spotChecks: (signal?: AbortSignal) => data(client.GET('/api/spot-checks', { signal })),
  spotCheck: (checkId: number, signal?: AbortSignal) => data(client.GET('/api/spot-checks/{id}', { params: id(checkId), signal })),
  drawSpotCheck: (body: ApiBody<'/api/spot-checks', 'post'>) => data(client.POST('/api/spot-checks', { body })),
  addFinding: (checkId: number, body: ApiBody<'/api/spot-checks/{id}/findings', 'post'>) => data(client.POST('/api/spot-checks/{id}/findings', { params: id(checkId), body })),
  findings: (signal?: AbortSignal) => data(client.GET('/api/findings', { signal })),
  respond: (findingId: number, response: string) => data(client.POST('/api/findings/{id}/response', { params: id(findingId), body: { response } })),
  closeFinding: (findingId: number, note: string) => data(client.POST('/api/findings/{id}/close', { params: id(findingId), body: { note } })),
  visits: (signal?: AbortSignal) => data(client.GET('/api/street-visits', { signal })),
  addVisit: (body: ApiBody<'/api/street-visits', 'post'>) => data(client.POST('/api/street-visits', { body })),
  cases: (signal?: AbortSignal) => data(client.GET('/api/model-cases', { signal })),
  createCase: (body: ApiBody<'/api/model-cases', 'post'>) => data(client.POST('/api/model-cases', { body })),
  publishCase: (caseId: number, published: boolean) => data(client.POST('/api/model-cases/{id}/publish', { params: id(caseId), body: { published } })),
  dashboard: (fundYear: number, code?: string, signal?: AbortSignal) => data(client.GET('/api/dashboard', { params: { query: { fundYear, code } }, signal })),
};

