import type { PolicyDocument } from './policy.schemas.js';
import { invalidField } from '../../common/errors.js';

/**
 * Consistency checks a JSON schema cannot express. Throws an `INVALID_INPUT` error naming the
 * first offending field, so the editor can point at it.
 */
export function checkPolicyConsistency(doc: PolicyDocument, year: number): void {
  if (doc.fundYear !== year) throw invalidField('document.fundYear', `应为 ${year}`, `must be ${year}`);
  if (doc.ratingYear >= doc.fundYear) {
    throw invalidField('document.ratingYear', '评星年度应早于资金年度', 'must be before the fund year');
  }
  const stars = new Set<number>();
  doc.tiers.forEach((tier, i) => {
    if (stars.has(tier.stars)) throw invalidField(`document.tiers.${i}.stars`, `${tier.stars} 星重复`, `${tier.stars} stars appears twice`);
    stars.add(tier.stars);
  });
  const fractions: [string, { numerator: number; denominator: number }][] = [
    ['needsCoverage', doc.needsCoverage],
    ['objectionShare', doc.objectionShare],
    ['councilQuorum', doc.councilQuorum],
    ['councilPass', doc.councilPass],
  ];
  for (const [name, f] of fractions) {
    if (f.numerator > f.denominator) throw invalidField(`document.${name}`, '比例不能超过 100%', 'must not exceed 100%');
  }
  const codes = new Set([...doc.catalogue.basic, ...doc.catalogue.enhancement].map((c) => c.code));
  if (codes.size !== doc.catalogue.basic.length + doc.catalogue.enhancement.length) {
    throw invalidField('document.catalogue', '目录编码重复', 'catalogue codes must be unique');
  }
  doc.basicItems.forEach((code, i) => {
    if (!doc.catalogue.basic.some((c) => c.code === code)) {
      throw invalidField(`document.basicItems.${i}`, `${code} 不是基础类目录项`, `${code} is not a basic catalogue item`);
    }
  });
  const totalWeight = doc.evaluationRubric.reduce((sum, r) => sum + r.weight, 0);
  if (totalWeight !== 100) {
    throw invalidField('document.evaluationRubric', `权重合计应为 100，现为 ${totalWeight}`, `weights must sum to 100, got ${totalWeight}`);
  }
  const g = doc.gradeThresholds;
  if (!(g.excellent > g.good && g.good > g.pass)) {
    throw invalidField('document.gradeThresholds', '应满足 优秀 > 良好 > 合格', 'must satisfy excellent > good > pass');
  }
  for (const [field, md] of [['midEvaluationDue', doc.midEvaluationDue], ['finalEvaluationDue', doc.finalEvaluationDue]] as const) {
    const d = new Date(`${year}-${md}T00:00:00Z`);
    if (Number.isNaN(d.getTime()) || d.toISOString().slice(5, 10) !== md) {
      throw invalidField(`document.${field}`, `${md} 不是有效日期`, `${md} is not a valid date`);
    }
  }
  if (doc.midEvaluationDue >= doc.finalEvaluationDue) {
    throw invalidField('document.midEvaluationDue', '中期评估应早于终期评估', 'mid-term must be due before the final evaluation');
  }
}

/** `part/whole` reaches `rule` (strictly more than it when `strict`), in integers only. */
export function reachesShare(part: number, whole: number, rule: { numerator: number; denominator: number; strict?: boolean }): boolean {
  const lhs = part * rule.denominator;
  const rhs = whole * rule.numerator;
  return rule.strict ? lhs > rhs : lhs >= rhs;
}

/** Total appropriation implied by the tiers: Σ quota × amount, in fen. */
export function totalBudgetFen(doc: Pick<PolicyDocument, 'tiers'>): number {
  return doc.tiers.reduce((sum, t) => sum + t.quota * t.amountFen, 0);
}
