/** Labels of the ledger shown by the console (generated into web/src/api/labels.gen.ts). */
export { ACCOUNT_KIND_LABELS, TRANSFER_CODE_LABELS } from './ledger.rules.js';
