/**
 * Labels of the account side shown by the console (web/src/api/labels.gen.ts is generated from
 * these by `npm run api:generate`). Both tables live next to the role and permission lists in
 * common/access.ts, so a new permission cannot go without its name.
 */
export { PERMISSION_LABELS, ROLE_LABELS } from '../../common/access.js';
