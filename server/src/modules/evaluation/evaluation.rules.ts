import type { EvaluationKind, Grade } from '../../db/schema/evaluation.js';
import { daysBetween } from '../../common/dates.js';
import type { PolicyDocument } from '../policy/policy.schemas.js';
import type { Verdict } from '../../common/verdict.js';

export const EVALUATION_CLAUSE = '[N 3.2]';
export const FEE_CLAUSE = '[N 3.12]';

export const GRADE_LABELS: Record<Grade, string> = { excellent: '优秀', good: '良好', pass: '合格', fail: '不合格' };
export const KIND_LABELS: Record<EvaluationKind, string> = { midterm: '中期评估', final: '终期评估' };
export const PARTICIPANT_LABELS = {
  district_staff: '区民政局工作人员',
  street_staff: '街道工作人员',
  community_committee: '社区"两委"',
  council: '居民议事会',
  representative: '居民代表',
  npc_deputy: '人大代表',
  cppcc_member: '政协委员',
  expert: '专家',
} as const;

export interface ItemScore {
  code: string;
  score: number;
}

/**
 * [N 3.2] The weighted rubric in integers: every item of the year's rubric is scored once with an
 * integer 0–100; the weights (policy) sum to 100; the result is Σ weight × score in hundredths of a
 * point (0–10000), so 87.35 points is 8735. No floating point anywhere.
 */
export function weightedScore(rubric: PolicyDocument['evaluationRubric'], scores: ItemScore[]): Verdict<number> {
  const weightSum = rubric.reduce((s, r) => s + r.weight, 0);
  if (weightSum !== 100) {
    return {
      ok: false,
      code: 'RUBRIC_WEIGHTS',
      zh: `评估指标权重合计为 ${weightSum}，应为 100`,
      en: `The rubric weights add up to ${weightSum}, not 100`,
      details: { weightSum },
    };
  }
  const seen = new Set<string>();
  for (const s of scores) {
    if (!rubric.some((r) => r.code === s.code)) {
      return {
        ok: false,
        code: 'RUBRIC_UNKNOWN_ITEM',
        zh: `评估指标 ${s.code} 不在本年度指标体系中`,
        en: `Unknown rubric item ${s.code}`,
        field: 'scores',
        details: { code: s.code },
      };
    }
    if (seen.has(s.code))
      return {
        ok: false,
        code: 'RUBRIC_DUPLICATE_ITEM',
        zh: `评估指标 ${s.code} 重复评分`,
        en: `Item ${s.code} scored twice`,
        field: 'scores',
        details: { code: s.code },
      };
    seen.add(s.code);
    if (!Number.isInteger(s.score) || s.score < 0 || s.score > 100) {
      return {
        ok: false,
        code: 'RUBRIC_SCORE_RANGE',
        zh: `指标 ${s.code} 的得分应为 0–100 的整数`,
        en: `Score of ${s.code} must be an integer 0–100`,
        field: 'scores',
        details: { code: s.code, score: s.score },
      };
    }
  }
  const missing = rubric.filter((r) => !seen.has(r.code)).map((r) => r.code);
  if (missing.length) {
    return {
      ok: false,
      code: 'RUBRIC_INCOMPLETE',
      zh: `以下评估指标尚未评分：${missing.map((m) => rubric.find((r) => r.code === m)!.label).join('、')}`,
      en: `Items not scored: ${missing.join(', ')}`,
      field: 'scores',
      details: { missing },
    };
  }
  let total = 0;
  for (const r of rubric) total += r.weight * scores.find((s) => s.code === r.code)!.score;
  return { ok: true, value: total };
}

/** [N 3.2] The grade of a weighted score (hundredths of a point) by the year's thresholds (whole points, inclusive). */
export function gradeOf(scoreBp: number, t: PolicyDocument['gradeThresholds']): Grade {
  if (scoreBp >= t.excellent * 100) return 'excellent';
  if (scoreBp >= t.good * 100) return 'good';
  if (scoreBp >= t.pass * 100) return 'pass';
  return 'fail';
}

/** [N 3.2] A grade that passes (优秀, 良好 or 合格); 不合格 or no grade yet does not. */
export const passed = (g: Grade | null | undefined) => g === 'excellent' || g === 'good' || g === 'pass';

/** [N 3.2] A weighted score as shown, in points with two decimals: '87.35' from 8735 (integer arithmetic). */
export const formatScore = (scoreBp: number) => `${Math.floor(scoreBp / 100)}.${String(scoreBp % 100).padStart(2, '0')}`;

/** [N 3.2] The due date of a round for its fund year, from policy (MM-DD). */
export function dueDateOf(
  fundYear: number,
  kind: EvaluationKind,
  policy: Pick<PolicyDocument, 'midEvaluationDue' | 'finalEvaluationDue'>,
): string {
  return `${fundYear}-${kind === 'midterm' ? policy.midEvaluationDue : policy.finalEvaluationDue}`;
}

/** [N 3.2] Countdown in calendar days to an evaluation's due date; overdue once it has passed with work outstanding. */
export function countdown(today: string, dueOn: string, outstanding: boolean) {
  const daysLeft = daysBetween(today, dueOn);
  return { daysLeft, overdue: outstanding && daysLeft < 0 };
}

/**
 * [N 3.3] The outcome of a contract's projects in one kind of evaluation: failed as soon as one
 * project failed; passed when every project has a passing grade; otherwise no result yet.
 */
export function outcomeOf(projectIds: number[], grades: Map<number, Grade | null>): 'passed' | 'failed' | null {
  if (projectIds.length === 0) return null;
  const gs = projectIds.map((id) => grades.get(id) ?? null);
  if (gs.some((g) => g === 'fail')) return 'failed';
  return gs.every((g) => passed(g)) ? 'passed' : null;
}

/** [N 3.2] What the final grade decides for the project: closure (结项) or not. */
export function closureOf(finalGrade: Grade | null): 'open' | 'closed' | 'not_closed' {
  if (finalGrade === null) return 'open';
  return passed(finalGrade) ? 'closed' : 'not_closed';
}
