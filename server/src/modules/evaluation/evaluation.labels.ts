/** Labels of the evaluation module shown by the console (generated into web/src/api/labels.gen.ts). */
export { GRADE_LABELS, KIND_LABELS as EVALUATION_KIND_LABELS, PARTICIPANT_LABELS } from './evaluation.rules.js';
