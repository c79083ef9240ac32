import { client, untyped } from '../../api/client';
import type { ApiBody } from '../../api/paths';

/** Types and calls of the evaluation, supervision and reports APIs (issue 8). Money is integer fen. */
// i17: replaced by the generated type once the route declares its response (every interface below: the evaluation, supervision and reports routes declare none yet).

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

export interface ReportFigures {
  projectsFiled: number;
  budgetFiledFen: number;
  communitiesFiled: number;
  assigned: number;
  thirdParty: number;
  reviewMeetings: number;
  concluded: number;
  outstanding: number;
  budgetEvaluatedFen: number;
  communitiesEvaluated: number;
  coveragePermille: number;
  peopleCovered: number;
  averageScoreBp: number | null;
  byGrade: Record<Grade, number>;
  problems: { assignmentId: number; projectTitle: string; communityName: string; grade: Grade | null; problems: string }[];
}

export interface ReportSummary {
  id: number;
  fundYear: number;
  kind: 'midterm' | 'final';
  kindLabel: string;
  districtCode: string;
  districtName: string;
  status: 'draft' | 'filed' | 'acknowledged';
  statusLabel: string;
  filedOn: string | null;
  acknowledgedOn: string | null;
  acknowledgementNote: string | null;
}

export interface Report extends ReportSummary {
  narrative: string;
  round: { id: number; dueOn: string; openedOn: string } | null;
  figures: ReportFigures;
  frozen: boolean;
  assignments: { id: number; projectTitle: string; communityName: string; budgetFen: number; method: string; status: string; score: string | null; grade: Grade | null; gradeLabel: string | null; problems: string }[];
}

export interface Finding {
  id: number;
  spotCheckId: number | null;
  visitId: number | null;
  source: 'spot_check' | 'street_visit';
  communityCode: string;
  communityName: string;
  planProjectId: number | null;
  description: string;
  demand: string;
  foundOn: string;
  workdays: number;
  deadlineOn: string;
  /** The deadline was computed through a year whose holiday notice is not entered (暂定). */
  deadlineProvisional: boolean;
  status: 'open' | 'responded' | 'closed';
  statusLabel: string;
  overdue: boolean;
  response: string | null;
  respondedOn: string | null;
  closedOn: string | null;
  closingNote: string | null;
}

export interface SpotCheckSummary {
  id: number;
  fundYear: number;
  title: string;
  unit: 'community' | 'project';
  seed: string;
  size: number | null;
  sharePercent: number | null;
  stratifyByDistrict: boolean;
  stratifyByStars: boolean;
  populationSize: number;
  sampleSize: number;
  drawnOn: string;
  findings?: number;
  openFindings?: number;
}

export interface SpotCheck extends Omit<SpotCheckSummary, 'findings'> {
  algorithm: string;
  strata: { stratum: string; population: number; drawn: number }[];
  sample: { key: string; label: string; districtCode: string; stars: number | null; stratum: string }[];
  findings: Finding[];
}

export interface ModelCase {
  id: number;
  planProjectId: number;
  projectTitle: string;
  fundYear: number;
  communityCode: string;
  communityName: string;
  title: string;
  body: string;
  results: string;
  photos: { name: string; caption: string; ref?: string | null }[];
  published: boolean;
  publishedOn: string | null;
}

export interface Dashboard {
  fundYear: number;
  region: { code: string; name: string; level: string };
  today: string;
  funnel: { key: string; label: string; communities: number }[];
  byDistrict: { districtCode: string; districtName: string; steps: { key: string; communities: number }[] }[];
  communities: { code: string; name: string; streetName: string; districtName: string; stars: number; step: number; stepKey: string; stepLabel: string }[];
  money: { levels: number[]; byDistrict: { districtCode: string; districtName: string; total: { allocated: number; committed: number; paid: number; available: number }; byStars: { stars: number; communities: number; allocated: number; committed: number; paid: number }[] }[] };
  byType: { catalogueCode: string; name: string; category: string; projects: number; budgetFen: number; contractedFen: number }[];
  grades: Record<'midterm' | 'final', Record<Grade | 'outstanding', number>>;
  overdue: {
    reviews: { id: number; title: string; reviewDueOn: string | null; link: string }[];
    evaluationRounds: { id: number; districtName: string; kindLabel: string; dueOn: string; outstanding: number; link: string }[];
    findings: { id: number; communityName: string; deadlineOn: string; description: string; link: string }[];
  };
}

const id = (value: number) => ({ path: { id: value } });
type Visit = { id: number; communityName: string; visitedOn: string; aspects: string[]; summary: string; findings: Finding[] };

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
  reports: (fundYear: number, signal?: AbortSignal) => untyped<{ items: ReportSummary[] }>(client.GET('/api/district-reports', { params: { query: { fundYear } }, signal })),
  createReport: (body: { fundYear: number; kind: string; districtCode: string }) => untyped<Report>(client.POST('/api/district-reports', { body: body as ApiBody<'/api/district-reports', 'post'> })),
  report: (reportId: number, signal?: AbortSignal) => untyped<Report>(client.GET('/api/district-reports/{id}', { params: id(reportId), signal })),
  saveNarrative: (reportId: number, narrative: string) => untyped<Report>(client.PATCH('/api/district-reports/{id}', { params: id(reportId), body: { narrative } })),
  fileReport: (reportId: number) => untyped<Report>(client.POST('/api/district-reports/{id}/file', { params: id(reportId) })),
  acknowledge: (reportId: number, note: string) => untyped<Report>(client.POST('/api/district-reports/{id}/acknowledge', { params: id(reportId), body: { note } })),
  spotChecks: (signal?: AbortSignal) => untyped<{ items: SpotCheckSummary[] }>(client.GET('/api/spot-checks', { signal })),
  spotCheck: (checkId: number, signal?: AbortSignal) => untyped<SpotCheck>(client.GET('/api/spot-checks/{id}', { params: id(checkId), signal })),
  drawSpotCheck: (body: unknown) => untyped<SpotCheck>(client.POST('/api/spot-checks', { body: body as ApiBody<'/api/spot-checks', 'post'> })),
  addFinding: (checkId: number, body: unknown) =>
    untyped<Finding>(client.POST('/api/spot-checks/{id}/findings', { params: id(checkId), body: body as ApiBody<'/api/spot-checks/{id}/findings', 'post'> })),
  findings: (signal?: AbortSignal) => untyped<{ items: Finding[] }>(client.GET('/api/findings', { signal })),
  respond: (findingId: number, response: string) => untyped<Finding>(client.POST('/api/findings/{id}/response', { params: id(findingId), body: { response } })),
  closeFinding: (findingId: number, note: string) => untyped<Finding>(client.POST('/api/findings/{id}/close', { params: id(findingId), body: { note } })),
  visits: (signal?: AbortSignal) => untyped<{ items: Visit[] }>(client.GET('/api/street-visits', { signal })),
  addVisit: (body: unknown) => untyped<unknown>(client.POST('/api/street-visits', { body: body as ApiBody<'/api/street-visits', 'post'> })),
  cases: (signal?: AbortSignal) => untyped<{ items: ModelCase[] }>(client.GET('/api/model-cases', { signal })),
  createCase: (body: unknown) => untyped<ModelCase>(client.POST('/api/model-cases', { body: body as ApiBody<'/api/model-cases', 'post'> })),
  publishCase: (caseId: number, published: boolean) => untyped<ModelCase>(client.POST('/api/model-cases/{id}/publish', { params: id(caseId), body: { published } })),
  dashboard: (fundYear: number, code?: string, signal?: AbortSignal) => untyped<Dashboard>(client.GET('/api/dashboard', { params: { query: { fundYear, code } }, signal })),
};

