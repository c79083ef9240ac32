import { api } from '../../api/client';

/** Types and calls of the evaluation, supervision and reports APIs (issue 8). Money is integer fen. */

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

export const evaluationApi = {
  orgs: (signal?: AbortSignal) => api.get<{ items: { id: number; name: string }[] }>('/evaluator-orgs', undefined, signal),
  rounds: (fundYear: number, signal?: AbortSignal) => api.get<{ items: Round[] }>('/evaluation-rounds', { fundYear }, signal),
  openRound: (body: { fundYear: number; kind: string; districtCode: string }) => api.post<Round>('/evaluation-rounds', body),
  round: (id: number, signal?: AbortSignal) => api.get<RoundDetail>(`/evaluation-rounds/${id}`, undefined, signal),
  assign: (roundId: number, body: unknown) => api.post<AssignmentDetail>(`/evaluation-rounds/${roundId}/assignments`, body),
  fee: (roundId: number, body: unknown) => api.post(`/evaluation-rounds/${roundId}/fees`, body),
  assignments: (fundYear: number, signal?: AbortSignal) => api.get<{ items: Assignment[] }>('/evaluation-assignments', { fundYear }, signal),
  assignment: (id: number, signal?: AbortSignal) => api.get<AssignmentDetail>(`/evaluation-assignments/${id}`, undefined, signal),
  evidence: (id: number, body: { name: string; kind: string; ref?: string | null }) => api.post<AssignmentDetail>(`/evaluation-assignments/${id}/evidence`, body),
  conclude: (id: number, body: { scores: { code: string; score: number }[]; peopleCovered?: number | null; conclusion: string; problems?: string }) =>
    api.post<AssignmentDetail>(`/evaluation-assignments/${id}/conclude`, body),
  reports: (fundYear: number, signal?: AbortSignal) => api.get<{ items: ReportSummary[] }>('/district-reports', { fundYear }, signal),
  createReport: (body: { fundYear: number; kind: string; districtCode: string }) => api.post<Report>('/district-reports', body),
  report: (id: number, signal?: AbortSignal) => api.get<Report>(`/district-reports/${id}`, undefined, signal),
  saveNarrative: (id: number, narrative: string) => api.patch<Report>(`/district-reports/${id}`, { narrative }),
  fileReport: (id: number) => api.post<Report>(`/district-reports/${id}/file`),
  acknowledge: (id: number, note: string) => api.post<Report>(`/district-reports/${id}/acknowledge`, { note }),
  spotChecks: (signal?: AbortSignal) => api.get<{ items: SpotCheckSummary[] }>('/spot-checks', undefined, signal),
  spotCheck: (id: number, signal?: AbortSignal) => api.get<SpotCheck>(`/spot-checks/${id}`, undefined, signal),
  drawSpotCheck: (body: unknown) => api.post<SpotCheck>('/spot-checks', body),
  addFinding: (id: number, body: unknown) => api.post<Finding>(`/spot-checks/${id}/findings`, body),
  findings: (signal?: AbortSignal) => api.get<{ items: Finding[] }>('/findings', undefined, signal),
  respond: (id: number, response: string) => api.post<Finding>(`/findings/${id}/response`, { response }),
  closeFinding: (id: number, note: string) => api.post<Finding>(`/findings/${id}/close`, { note }),
  visits: (signal?: AbortSignal) => api.get<{ items: { id: number; communityName: string; visitedOn: string; aspects: string[]; summary: string; findings: Finding[] }[] }>('/street-visits', undefined, signal),
  addVisit: (body: unknown) => api.post('/street-visits', body),
  cases: (signal?: AbortSignal) => api.get<{ items: ModelCase[] }>('/model-cases', undefined, signal),
  createCase: (body: unknown) => api.post<ModelCase>('/model-cases', body),
  publishCase: (id: number, published: boolean) => api.post<ModelCase>(`/model-cases/${id}/publish`, { published }),
  dashboard: (fundYear: number, code?: string, signal?: AbortSignal) => api.get<Dashboard>('/dashboard', { fundYear, code }, signal),
};
