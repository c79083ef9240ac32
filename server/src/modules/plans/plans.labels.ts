/** Labels of the plans module shown by the console (generated into web/src/api/labels.gen.ts). */
export { PROCEDURE_TYPE_LABELS, STATUS_LABELS as PLAN_STATUS_LABELS } from './plans.service.js';
export { RULE_LABELS, STEP_LABELS as RETURN_STEP_LABELS } from './plans.rules.js';

/** The bureau a plan is filed with. */
export const FILING_LEVEL_LABELS = { city: '市民政局', district: '区民政局' } as const;

/** The reasons a reviewer picks when returning a plan (the rule with its clause, or another procedural ground). */
export const REVIEW_REASON_LABELS = {
  basic_projects: '基础类项目 [N 2.1.1]',
  enhancement_minimum: '提升类项目数量 [N 2.1.2]',
  budget_within_allocation: '预算与下达资金 [N 2.3]',
  needs_coverage: '需求征集覆盖率 [N 3.1.1(1)]',
  council_decision: '议事会决策与公示 [N 3.1.2(1)]',
  decided_list: '决策清单 [N 3.1.2(1)]',
  prohibited_uses: '负面清单 [L]',
  duplicate_investment: '重复投入 [N 4.1]',
  other: '其他（程序合法性）',
} as const;

/** A plan of one community, or of an area (片区) drawn up by the street for several. */
export const PLAN_KIND_LABELS = { community: '社区', area: '片区' } as const;

/** The two review stages of a plan: the street's preliminary review and the bureau's filing. */
export const REVIEW_STAGE_LABELS = { street: '街道初审', filing: '备案' } as const;

/** The outcome of one review act (approved | returned by the street, filed | returned by the bureau). */
export const REVIEW_OUTCOME_LABELS = { approved: '通过', returned: '退回', filed: '已备案' } as const;
