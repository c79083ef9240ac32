/**
 * What the compliance list is made of and what review does with it: the rules' ids, labels,
 * clauses and the step a failing rule returns the plan to; the plan as the rules read it; the
 * filing route.
 */

export type RuleId =
  | 'basic_projects'
  | 'enhancement_minimum'
  | 'budget_within_allocation'
  | 'needs_coverage'
  | 'council_decision'
  | 'decided_list'
  | 'prohibited_uses'
  | 'duplicate_investment';

export const RULE_IDS: RuleId[] = [
  'basic_projects',
  'enhancement_minimum',
  'budget_within_allocation',
  'needs_coverage',
  'council_decision',
  'decided_list',
  'prohibited_uses',
  'duplicate_investment',
];

export const RULE_LABELS: Record<RuleId, string> = {
  basic_projects: '三项基础类项目齐全',
  enhancement_minimum: '提升类项目数量达到星级要求',
  budget_within_allocation: '预算不超过下达资金',
  needs_coverage: '需求征集覆盖率达标',
  council_decision: '议事会决策并公示期满、无异议中止',
  decided_list: '项目来自决策通过的清单',
  prohibited_uses: '不含负面清单用途',
  duplicate_investment: '无重复投入',
};

export const RULE_CLAUSES: Record<RuleId, string> = {
  basic_projects: '[N 2.1.1]',
  enhancement_minimum: '[N 2.1.2]',
  budget_within_allocation: '[N 2.3]',
  needs_coverage: '[N 3.1.1(1)]',
  council_decision: '[N 3.1.2(1)]',
  decided_list: '[N 3.1.2(1)]',
  prohibited_uses: '[L] 财政部令第102号 §10',
  duplicate_investment: '[N 4.1]',
};

/** The step a returned plan goes back to, per failing rule [N 3.1.2(2)]. */
export type ReturnStep = 'plan' | 'decision' | 'needs';
export const RULE_STEPS: Record<RuleId, ReturnStep> = {
  basic_projects: 'plan',
  enhancement_minimum: 'plan',
  budget_within_allocation: 'plan',
  needs_coverage: 'needs',
  council_decision: 'decision',
  decided_list: 'plan',
  prohibited_uses: 'plan',
  duplicate_investment: 'plan',
};
export const STEP_LABELS: Record<ReturnStep, string> = { plan: '修改使用方案', decision: '重新履行决策程序', needs: '补充需求征集' };

/** [N 3.1.2(2)] The step a returned plan redoes: the most upstream among the rules, needs before decision before plan. */
export function returnStepOf(rules: RuleId[]): ReturnStep {
  const steps = rules.map((r) => RULE_STEPS[r]);
  if (steps.includes('needs')) return 'needs';
  if (steps.includes('decision')) return 'decision';
  return 'plan';
}

export interface Bilingual {
  zh: string;
  en: string;
}

/** One finding of the compliance list shown to users: a rule of the spec, passed or not, and how to fix it. Not a verdict: the list is shown whole. */
export interface ComplianceCheck {
  rule: RuleId;
  label: string;
  clause: string;
  passed: boolean;
  message: Bilingual;
  fix: Bilingual;
  /** Machine-readable fixes of a failing rule (empty when passed): what the editor links to. */
  fixes: ComplianceFix[];
}

/**
 * A fix the plan editor can link to [N 3.1.2(2)]: add catalogue items (basic projects), add
 * projects from the decided list, change budgets by an amount, edit or remove projects, continue
 * the needs campaign, complete the decision — or, when the decided list is too short, have the
 * council decide more projects (`reopen_decision`, [N 3.1.2(1)]).
 */
export const FIX_KINDS = [
  'add_catalogue',
  'add_decided',
  'reopen_decision',
  'change_budget',
  'edit_projects',
  'needs_campaign',
  'complete_decision',
] as const;
export type ComplianceFixKind = (typeof FIX_KINDS)[number];
export interface ComplianceFix {
  kind: ComplianceFixKind;
  /** The member community the fix is for (null: the plan as a whole). */
  communityCode: string | null;
  /** The community's decision of the year, when the fix goes through it. */
  decisionId: number | null;
  /** Catalogue items to add (add_catalogue). */
  catalogueCodes: string[];
  /** Their names in the catalogue (the title of a new project). */
  catalogueNames: string[];
  /** How many projects (add_decided, reopen_decision) or null. */
  count: number | null;
  /** The amount to cut (change_budget), fen, or null. */
  amountFen: number | null;
}

export interface PlanProjectInput {
  title: string;
  content: string;
  catalogueCode: string;
  category: 'basic' | 'enhancement';
  budgetFen: number;
  communityCodes: string[];
  otherFunding: { source: string; amountFen: number; government?: boolean }[];
  decisionProjectId: number | null;
  /** [N 2.3] Each served community's share of the budget (fen); see plans.area.rules.ts. */
  shares?: { communityCode: string; shareFen: number }[];
}

export interface PlanInput {
  kind: 'community' | 'area';
  projects: PlanProjectInput[];
}

export interface CommunityContext {
  code: string;
  name: string;
  /** Stars of the fund year's rating year; null when not rated. */
  stars: number | null;
  allocationFen: number;
  /** Needs coverage of the community's campaign of the year; null without a campaign. */
  coverage: { meets: boolean; reached: number; required: number; residentHouseholds: number } | null;
  /** The community's decision of the year: effective status, and the projects it passed (ids). */
  decision: {
    status: string;
    passedProjectIds: number[];
    /** The decision's id (for links). */
    id?: number;
    /** Of the passed projects, the enhancement ones. */
    passedEnhancementIds?: number[];
  } | null;
}

/** Filing route [N 2.3]: the city bureau when any member community is 5★, else the district bureau. */
export function filingLevelOf(stars: (number | null)[]): 'district' | 'city' {
  return stars.some((s) => s === 5) ? 'city' : 'district';
}
