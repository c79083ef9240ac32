import { client, data } from '../../api/client';
import type { ApiBody, ApiResponse, Item } from '../../api/paths';

/**
 * Types and calls of the evaluation, supervision and reports APIs (issue 8), from the generated schema
 * (server/src/modules/evaluation/evaluation.schemas.ts). Money is integer fen.
 */
export type Round = Item<ApiResponse<'/api/evaluation-rounds', 'get'>['items']>;
export type RoundDetail = ApiResponse<'/api/evaluation-rounds/{id}', 'get'>;
export type Assignment = Item<ApiResponse<'/api/evaluation-assignments', 'get'>['items']>;
export type AssignmentDetail = ApiResponse<'/api/evaluation-assignments/{id}', 'get'>;
export type AssignInput = ApiBody<'/api/evaluation-rounds/{id}/assignments', 'post'>;
export type Participant = Item<NonNullable<AssignInput['participants']>>;
export type Grade = NonNullable<Assignment['grade']>;

export { GRADE_LABELS } from '../../api/labels';
export const GRADE_COLORS: Record<Grade, string> = { excellent: 'green', good: 'blue', pass: 'gold', fail: 'red' };

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
  orgs: (signal?: AbortSignal) => data(client.GET('/api/evaluator-orgs', { signal })),
  rounds: (fundYear: number, signal?: AbortSignal) =>
    data(client.GET('/api/evaluation-rounds', { params: { query: { fundYear } }, signal })),
  openRound: (body: ApiBody<'/api/evaluation-rounds', 'post'>) => data(client.POST('/api/evaluation-rounds', { body })),
  round: (roundId: number, signal?: AbortSignal) => data(client.GET('/api/evaluation-rounds/{id}', { params: id(roundId), signal })),
  assign: (roundId: number, body: AssignInput) =>
    data(client.POST('/api/evaluation-rounds/{id}/assignments', { params: id(roundId), body })),
  fee: (roundId: number, body: ApiBody<'/api/evaluation-rounds/{id}/fees', 'post'>) =>
    data(client.POST('/api/evaluation-rounds/{id}/fees', { params: id(roundId), body })),
  assignments: (fundYear: number, signal?: AbortSignal) =>
    data(client.GET('/api/evaluation-assignments', { params: { query: { fundYear } }, signal })),
  assignment: (assignmentId: number, signal?: AbortSignal) =>
    data(client.GET('/api/evaluation-assignments/{id}', { params: id(assignmentId), signal })),
  evidence: (assignmentId: number, body: ApiBody<'/api/evaluation-assignments/{id}/evidence', 'post'>) =>
    data(client.POST('/api/evaluation-assignments/{id}/evidence', { params: id(assignmentId), body })),
  conclude: (assignmentId: number, body: ApiBody<'/api/evaluation-assignments/{id}/conclude', 'post'>) =>
    data(client.POST('/api/evaluation-assignments/{id}/conclude', { params: id(assignmentId), body })),
  reports: (fundYear: number, signal?: AbortSignal) =>
    data(client.GET('/api/district-reports', { params: { query: { fundYear } }, signal })),
  createReport: (body: ApiBody<'/api/district-reports', 'post'>) => data(client.POST('/api/district-reports', { body })),
  report: (reportId: number, signal?: AbortSignal) => data(client.GET('/api/district-reports/{id}', { params: id(reportId), signal })),
  saveNarrative: (reportId: number, narrative: string) =>
    data(client.PATCH('/api/district-reports/{id}', { params: id(reportId), body: { narrative } })),
  fileReport: (reportId: number) => data(client.POST('/api/district-reports/{id}/file', { params: id(reportId) })),
  acknowledge: (reportId: number, note: string) =>
    data(client.POST('/api/district-reports/{id}/acknowledge', { params: id(reportId), body: { note } })),
  spotChecks: (signal?: AbortSignal) => data(client.GET('/api/spot-checks', { signal })),
  spotCheck: (checkId: number, signal?: AbortSignal) => data(client.GET('/api/spot-checks/{id}', { params: id(checkId), signal })),
  drawSpotCheck: (body: ApiBody<'/api/spot-checks', 'post'>) => data(client.POST('/api/spot-checks', { body })),
  addFinding: (checkId: number, body: ApiBody<'/api/spot-checks/{id}/findings', 'post'>) =>
    data(client.POST('/api/spot-checks/{id}/findings', { params: id(checkId), body })),
  findings: (signal?: AbortSignal) => data(client.GET('/api/findings', { signal })),
  respond: (findingId: number, response: string) =>
    data(client.POST('/api/findings/{id}/response', { params: id(findingId), body: { response } })),
  closeFinding: (findingId: number, note: string) =>
    data(client.POST('/api/findings/{id}/close', { params: id(findingId), body: { note } })),
  visits: (signal?: AbortSignal) => data(client.GET('/api/street-visits', { signal })),
  addVisit: (body: ApiBody<'/api/street-visits', 'post'>) => data(client.POST('/api/street-visits', { body })),
  cases: (signal?: AbortSignal) => data(client.GET('/api/model-cases', { signal })),
  createCase: (body: ApiBody<'/api/model-cases', 'post'>) => data(client.POST('/api/model-cases', { body })),
  publishCase: (caseId: number, published: boolean) =>
    data(client.POST('/api/model-cases/{id}/publish', { params: id(caseId), body: { published } })),
  /** One page of districts (the national dashboard has thousands); the funnel and totals are the whole scope's. */
  dashboard: (fundYear: number, code?: string, page?: { districtOffset: number; districtLimit: number }, signal?: AbortSignal) =>
    data(client.GET('/api/dashboard', { params: { query: { fundYear, code, ...page } }, signal })),
};
