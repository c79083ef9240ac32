/**
 * Labels of the account side shown by the console (web/src/api/labels.gen.ts is generated from
 * these by `npm run api:generate`).
 */
import type { Permission } from '../../common/access.js';

export { ROLE_LABELS } from '../../common/access.js';

/** The permissions named on the console's home page. */
export const PERMISSION_LABELS = {
  'regions:read': '查看区域与社区',
  'regions:write': '维护社区信息',
  'policy:read': '查看年度政策',
  'policy:write': '维护年度政策',
  'calendar:read': '查看工作日历',
  'calendar:write': '维护工作日历',
  'audit:read': '查看审计日志',
  'users:read': '查看账号',
  'users:write': '管理账号',
} as const satisfies Partial<Record<Permission, string>>;
