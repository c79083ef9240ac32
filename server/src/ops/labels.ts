import { PERMISSIONS, ROLES } from '../common/access.js';
import * as audit from '../modules/audit/audit.labels.js';
import * as auth from '../modules/auth/auth.labels.js';
import * as calendar from '../modules/calendar/calendar.labels.js';
import * as decisions from '../modules/decisions/decisions.labels.js';
import * as disclosure from '../modules/disclosure/disclosure.labels.js';
import * as evaluation from '../modules/evaluation/evaluation.labels.js';
import * as households from '../modules/households/households.labels.js';
import * as ledger from '../modules/ledger/ledger.labels.js';
import * as needs from '../modules/needs/needs.labels.js';
import * as notify from '../modules/notify/notify.labels.js';
import * as plans from '../modules/plans/plans.labels.js';
import * as policy from '../modules/policy/policy.labels.js';
import * as procurement from '../modules/procurement/procurement.labels.js';
import * as regions from '../modules/regions/regions.labels.js';
import * as supervision from '../modules/supervision/supervision.labels.js';
import * as years from '../modules/years/years.labels.js';
import { UPLOAD_ENCODING_LABELS } from '../common/tabular.js';

/** Every `<module>.labels.ts` of the server, in the order of the generated file. */
const MODULES: [string, Record<string, unknown>][] = [
  ['auth', auth],
  ['regions', regions],
  ['households', households],
  ['calendar', calendar],
  ['policy', policy],
  ['needs', needs],
  ['decisions', decisions],
  ['plans', plans],
  ['procurement', procurement],
  ['evaluation', evaluation],
  ['supervision', supervision],
  ['ledger', ledger],
  ['disclosure', disclosure],
  ['years', years],
  ['notify', notify],
  ['audit', audit],
];

const literal = (value: unknown) => JSON.stringify(value, null, 2).replace(/"([A-Za-z_$][\w$]*)":/g, '$1:');

/** web/src/api/labels.gen.ts: the server's code→label tables and code lists, for the console. */
export function renderLabels(): string {
  const out: string[] = [
    `export const ROLES = ${literal(ROLES)} as const;`,
    'export type Role = (typeof ROLES)[number];',
    `export const PERMISSIONS = ${literal(PERMISSIONS)} as const;`,
    'export type Permission = (typeof PERMISSIONS)[number];',
    '// server/src/common/tabular.ts: the encodings an upload was read in, shown in import previews',
    `export const UPLOAD_ENCODING_LABELS = ${literal(UPLOAD_ENCODING_LABELS)} as const;`,
  ];
  for (const [module, tables] of MODULES) {
    out.push('', `// server/src/modules/${module}/${module}.labels.ts`);
    for (const name of Object.keys(tables).sort()) out.push(`export const ${name} = ${literal(tables[name])} as const;`);
  }
  return `${out.join('\n')}\n`;
}
