/** Labels of the households module shown by the console (generated into web/src/api/labels.gen.ts). */
export { ROSTER_BODY_LABELS } from './households.roster.rules.js';
import { UPLOAD_ENCODING_LABELS } from '../../common/tabular.js';

/** The encoding an import detected, as its preview shows it. */
export const HOUSEHOLD_IMPORT_ENCODING_LABELS = UPLOAD_ENCODING_LABELS;
