import type { Grade } from '../evaluation/evaluation.schemas.js';

export const REPORT_CLAUSE = '[N 3.2]';

export interface ReportProject {
  projectId: number;
  communityCodes: string[];
  budgetFen: number;
}

export interface ReportAssignment {
  id: number;
  planProjectId: number;
  projectTitle: string;
  communityCode: string;
  communityName: string;
  budgetFen: number;
  method: string;
  status: string;
  scoreBp: number | null;
  grade: Grade | null;
  peopleCovered: number | null;
  problems: string;
}

/**
 * [N 3.2] The figures of a district's mid-term or final report, compiled from the district's filed
 * projects and its evaluations of that kind: every number is a sum or count of those rows.
 */
export function compileFigures(projects: ReportProject[], assignments: ReportAssignment[]) {
  const concluded = assignments.filter((a) => a.status === 'concluded');
  const byGrade = { excellent: 0, good: 0, pass: 0, fail: 0 } as Record<Grade, number>;
  for (const a of concluded) if (a.grade) byGrade[a.grade]++;
  const scoreSum = concluded.reduce((s, a) => s + (a.scoreBp ?? 0), 0);
  const communitiesFiled = new Set(projects.flatMap((p) => p.communityCodes));
  const communitiesEvaluated = new Set(concluded.map((a) => a.communityCode));
  return {
    projectsFiled: projects.length,
    budgetFiledFen: projects.reduce((s, p) => s + p.budgetFen, 0),
    communitiesFiled: communitiesFiled.size,
    assigned: assignments.length,
    thirdParty: assignments.filter((a) => a.method === 'third_party').length,
    reviewMeetings: assignments.filter((a) => a.method === 'review_meeting').length,
    concluded: concluded.length,
    outstanding: assignments.length - concluded.length,
    budgetEvaluatedFen: concluded.reduce((s, a) => s + a.budgetFen, 0),
    communitiesEvaluated: communitiesEvaluated.size,
    /** Concluded ÷ filed projects, in per mille (integer, rounded down). */
    coveragePermille: projects.length ? Math.floor((concluded.length * 1000) / projects.length) : 0,
    peopleCovered: concluded.reduce((s, a) => s + (a.peopleCovered ?? 0), 0),
    /** Mean weighted score in hundredths of a point (rounded down); null without results. */
    averageScoreBp: concluded.length ? Math.floor(scoreSum / concluded.length) : null,
    byGrade,
    problems: concluded
      .filter((a) => a.grade === 'fail' || a.problems.trim() !== '')
      .map((a) => ({
        assignmentId: a.id,
        projectTitle: a.projectTitle,
        communityName: a.communityName,
        grade: a.grade,
        problems: a.problems,
      })),
  };
}

export type ReportFigures = ReturnType<typeof compileFigures>;
