/** Labels of the evaluation module shown by the console (generated into web/src/api/labels.gen.ts). */
export { GRADE_LABELS, KIND_LABELS as EVALUATION_KIND_LABELS, PARTICIPANT_LABELS } from './evaluation.rules.js';

/** [N 3.2] How a project is evaluated: by a third-party organisation or at a review meeting. */
export const EVALUATION_METHOD_LABELS = { third_party: '第三方评估', review_meeting: '评审会' } as const;

/** [N 3.2] What a final grade decides for the project (closureOf; 'open' has no label: not decided yet). */
export const CLOSURE_LABELS = { closed: '准予结项', not_closed: '不予结项' } as const;
