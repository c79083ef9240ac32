import { EVALUATION_KIND_LABELS } from '../../api/labels';
import type { Evaluation } from './api';

/**
 * One evaluation line of a community page: "项目名 · 中期评估：优秀（2026-06-30）", the evaluator
 * added only when known ("（2026-06-30，某评估机构）"); no empty punctuation.
 */
export function evaluationLine(e: Pick<Evaluation, 'projectTitle' | 'stage' | 'grade' | 'evaluatedOn' | 'evaluatorName'>): string {
  const when = [e.evaluatedOn, e.evaluatorName].map((s) => s.trim()).filter(Boolean);
  const grade = `${EVALUATION_KIND_LABELS[e.stage]}：${e.grade}${when.length ? `（${when.join('，')}）` : ''}`;
  return e.projectTitle.trim() ? `${e.projectTitle.trim()} · ${grade}` : grade;
}
