/** Labels of the households module shown by the console (generated into web/src/api/labels.gen.ts). */
export { ROSTER_BODY_LABELS } from './households.roster.rules.js';
