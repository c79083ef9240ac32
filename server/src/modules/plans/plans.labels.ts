/** Labels of the plans module shown by the console (generated into web/src/api/labels.gen.ts). */
export { PROCEDURE_TYPE_LABELS, STATUS_LABELS as PLAN_STATUS_LABELS } from './plans.service.js';
export { RULE_LABELS, STEP_LABELS as RETURN_STEP_LABELS } from './plans.rules.js';

/** The bureau a plan is filed with. */
export const FILING_LEVEL_LABELS = { city: '市民政局', district: '区民政局' } as const;
