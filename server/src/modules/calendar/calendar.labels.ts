/** Labels of the calendar module shown by the console (generated into web/src/api/labels.gen.ts). */
export { DUE_DATE_KIND_LABELS } from './due-dates.js';
