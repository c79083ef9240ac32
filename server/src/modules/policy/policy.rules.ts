import type { PolicyDocument } from './policy.schemas.js';
import { ACCEPTED, refuse, unwrap, type Verdict } from '../../common/verdict.js';

/** A refusal naming a field of the document, answered as INVALID_INPUT (400) as `invalidField` words it. */
const badField = (field: string, zh: string, en: string) =>
  refuse({ code: 'INVALID_INPUT', zh: `字段 ${field} 无效：${zh}`, en: `Field ${field} is invalid: ${en}`, field, kind: 'invalid' });

/**
 * [N 1] [N 2.1] [N 3.1.2] [N 3.2] The policy of a fund year holds every number of the notice
 * (tiers, catalogue, shares, the rubric, evaluation due dates); these are the consistency checks
 * its JSON schema cannot express. Refuses naming the first offending field, so that the editor
 * can point at it.
 */
export function policyConsistency(doc: PolicyDocument, year: number): Verdict {
  if (doc.fundYear !== year) return badField('document.fundYear', `应为 ${year}`, `must be ${year}`);
  // [N 1] Allocation for year Y follows the rating of an earlier year.
  if (doc.ratingYear >= doc.fundYear) return badField('document.ratingYear', '评星年度应早于资金年度', 'must be before the fund year');
  const stars = new Set<number>();
  for (const [i, tier] of doc.tiers.entries()) {
    if (stars.has(tier.stars)) return badField(`document.tiers.${i}.stars`, `${tier.stars} 星重复`, `${tier.stars} stars appears twice`);
    stars.add(tier.stars);
  }
  const fractions: [string, { numerator: number; denominator: number }][] = [
    ['needsCoverage', doc.needsCoverage],
    ['objectionShare', doc.objectionShare],
    ['councilQuorum', doc.councilQuorum],
    ['councilPass', doc.councilPass],
  ];
  for (const [name, f] of fractions) {
    if (f.numerator > f.denominator) return badField(`document.${name}`, '比例不能超过 100%', 'must not exceed 100%');
  }
  // [N 2.1] One catalogue; [N 2.1.1] the mandatory basic projects are basic catalogue items.
  const codes = new Set([...doc.catalogue.basic, ...doc.catalogue.enhancement].map((c) => c.code));
  if (codes.size !== doc.catalogue.basic.length + doc.catalogue.enhancement.length) {
    return badField('document.catalogue', '目录编码重复', 'catalogue codes must be unique');
  }
  for (const [i, code] of doc.basicItems.entries()) {
    if (!doc.catalogue.basic.some((c) => c.code === code)) {
      return badField(`document.basicItems.${i}`, `${code} 不是基础类目录项`, `${code} is not a basic catalogue item`);
    }
  }
  // [N 3.2] The weighted rubric and the grade thresholds.
  const totalWeight = doc.evaluationRubric.reduce((sum, r) => sum + r.weight, 0);
  if (totalWeight !== 100) {
    return badField('document.evaluationRubric', `权重合计应为 100，现为 ${totalWeight}`, `weights must sum to 100, got ${totalWeight}`);
  }
  const g = doc.gradeThresholds;
  if (!(g.excellent > g.good && g.good > g.pass)) {
    return badField('document.gradeThresholds', '应满足 优秀 > 良好 > 合格', 'must satisfy excellent > good > pass');
  }
  for (const [field, md] of [
    ['midEvaluationDue', doc.midEvaluationDue],
    ['finalEvaluationDue', doc.finalEvaluationDue],
  ] as const) {
    const d = new Date(`${year}-${md}T00:00:00Z`);
    if (Number.isNaN(d.getTime()) || d.toISOString().slice(5, 10) !== md) {
      return badField(`document.${field}`, `${md} 不是有效日期`, `${md} is not a valid date`);
    }
  }
  if (doc.midEvaluationDue >= doc.finalEvaluationDue) {
    return badField('document.midEvaluationDue', '中期评估应早于终期评估', 'mid-term must be due before the final evaluation');
  }
  return ACCEPTED;
}

/**
 * [N 1] [N 2.1] [N 3.1.2] [N 3.2] `policyConsistency`, thrown: an `INVALID_INPUT` error naming
 * the first offending field.
 */
export function checkPolicyConsistency(doc: PolicyDocument, year: number): void {
  unwrap(policyConsistency(doc, year));
}

/**
 * [N 3.1.1(1)] [N 3.1.2(1)] `part/whole` reaches `rule` (strictly more than it when `strict`), in
 * integers only: needs coverage (30%), objections (one fifth or more, 民法典 §1259 "以上"
 * includes the number itself) and the council's quorum and pass rule ([L] more than half).
 */
export function reachesShare(part: number, whole: number, rule: { numerator: number; denominator: number; strict?: boolean }): boolean {
  const lhs = part * rule.denominator;
  const rhs = whole * rule.numerator;
  return rule.strict ? lhs > rhs : lhs >= rhs;
}

/** [N 1] Total appropriation implied by the tiers: Σ quota × amount, in fen. */
export function totalBudgetFen(doc: Pick<PolicyDocument, 'tiers'>): number {
  return doc.tiers.reduce((sum, t) => sum + t.quota * t.amountFen, 0);
}

/**
 * [N 1] ADR 0015: once a fund year's appropriation is confirmed, the numbers it was computed from —
 * the rating year and each tier's stars, quota and amount — are closed; an edit may change the rest
 * of the document (the in-year procedure numbers) but not these. Refuses naming the first one changed.
 */
export function appropriatedPolicyEdit(before: PolicyDocument, after: PolicyDocument, appropriated: boolean): Verdict {
  if (!appropriated) return ACCEPTED;
  const frozen = (field: string) =>
    refuse({
      code: 'POLICY_FROZEN',
      zh: `${before.fundYear} 年度资金已下达，字段 ${field} 不能再修改`,
      en: `Fund year ${before.fundYear} is appropriated: ${field} can no longer change`,
      field,
      clause: '[N 1]',
      kind: 'conflict',
    });
  if (after.ratingYear !== before.ratingYear) return frozen('document.ratingYear');
  const key = (t: PolicyDocument['tiers'][number]) => `${t.stars}:${t.quota}:${t.amountFen}`;
  const was = [...before.tiers].sort((a, b) => a.stars - b.stars).map(key);
  const now = [...after.tiers].sort((a, b) => a.stars - b.stars).map(key);
  if (was.length !== now.length || was.some((k, i) => k !== now[i])) return frozen('document.tiers');
  return ACCEPTED;
}
