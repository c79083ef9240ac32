import { DomainError, notFound } from './errors.js';

/** Roles of the spec (§6). Residents, representatives and the public act without accounts. */
export const ROLES = ['city_bureau', 'city_finance', 'district_bureau', 'street_office', 'community', 'provider', 'evaluator'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  city_bureau: '市民政局',
  city_finance: '市财政局',
  district_bureau: '区（县、市）民政局',
  street_office: '街道办事处（乡镇）',
  community: '社区"两委"',
  provider: '承接主体',
  evaluator: '第三方评估机构',
};

export const PERMISSIONS = [
  'regions:read',
  'regions:write',
  'policy:read',
  'policy:write',
  'calendar:read',
  'calendar:write',
  'audit:read',
  'users:read',
  // Account administration within one's region (issue 18, ADR 0012)
  'users:write',
  'households:read',
  'households:write',
  'needs:read',
  'needs:write',
  'ratings:read',
  'ratings:write',
  'ledger:read',
  'allocations:confirm',
  'decisions:read',
  'decisions:write',
  'providers:read',
  'providers:write',
  'procurement:read',
  'procurement:write',
  'delivery:read',
  'delivery:write',
  'adjustments:approve',
  'payments:request',
  'payments:approve',
  'plans:read',
  'plans:write',
  'plans:review',
  'plans:file',
  // Evaluations, district reports, supervision, model cases and the dashboard (issue 8)
  'evaluations:read',
  'evaluations:write',
  'evaluations:score',
  'reports:read',
  'reports:write',
  'reports:acknowledge',
  'dashboard:read',
  'supervision:read',
  'spotchecks:write',
  'visits:write',
  'findings:respond',
  'findings:close',
  'cases:read',
  'cases:write',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** The Chinese name of every permission, as the console shows it (complete: typed and unit-tested). */
export const PERMISSION_LABELS: Record<Permission, string> = {
  'regions:read': '查看区域与社区',
  'regions:write': '维护社区信息',
  'policy:read': '查看年度政策',
  'policy:write': '维护年度政策',
  'calendar:read': '查看工作日历',
  'calendar:write': '维护工作日历',
  'audit:read': '查看审计日志',
  'users:read': '查看账号',
  'users:write': '管理账号',
  'households:read': '查看居民户与代表名册',
  'households:write': '维护居民户与代表名册',
  'needs:read': '查看需求征集',
  'needs:write': '组织需求征集',
  'ratings:read': '查看星级评定',
  'ratings:write': '维护星级评定',
  'ledger:read': '查看资金台账',
  'allocations:confirm': '确认资金下达',
  'decisions:read': '查看民主决策与公示',
  'decisions:write': '组织民主决策与公示',
  'providers:read': '查看承接主体',
  'providers:write': '维护承接主体名录',
  'procurement:read': '查看采购与合同',
  'procurement:write': '组织采购与签约',
  'delivery:read': '查看服务记录',
  'delivery:write': '记录服务活动',
  'adjustments:approve': '审批方案调整',
  'payments:request': '申请拨付',
  'payments:approve': '审批拨付',
  'plans:read': '查看使用方案',
  'plans:write': '编制使用方案',
  'plans:review': '初审使用方案',
  'plans:file': '备案使用方案',
  'evaluations:read': '查看项目评估',
  'evaluations:write': '组织项目评估',
  'evaluations:score': '评估打分',
  'reports:read': '查看评估报告',
  'reports:write': '编报评估报告',
  'reports:acknowledge': '接收评估报告',
  'dashboard:read': '查看工作台',
  'supervision:read': '查看抽查与督导',
  'spotchecks:write': '组织随机抽查',
  'visits:write': '记录督导走访',
  'findings:respond': '整改问题',
  'findings:close': '销号问题',
  'cases:read': '查看典型案例',
  'cases:write': '编写典型案例',
};

const READ_ALL = ['regions:read', 'policy:read', 'calendar:read'] as const;
/** Ratings and the fund ledger are read by every region role, each within its own scope. */
const FUNDS_READ = ['ratings:read', 'ledger:read'] as const;

/** Procurement, contracts and delivery records [N 3.1.3] are read by every region role in its scope. */
const PROCUREMENT_READ = ['providers:read', 'procurement:read', 'delivery:read'] as const;

/**
 * What each role may do; *where* it may do it is its scope. One literal table, never changed at
 * run time. The second line of a role (issue 8 [N 3.2, N 4.3, N 4.4]): the district bureau runs
 * evaluations and files reports, evaluators score their own assignments, the city bureau
 * acknowledges reports and runs spot checks, streets visit, communities answer findings; the city
 * and districts write up model cases.
 */
export const ROLE_PERMISSIONS = {
  city_bureau: [
    ...READ_ALL,
    'regions:write',
    'policy:write',
    'calendar:write',
    'audit:read',
    'users:read',
    'users:write',
    'households:read',
    'needs:read',
    ...FUNDS_READ,
    'ratings:write',
    'decisions:read',
    ...PROCUREMENT_READ,
    'providers:write',
    'plans:read',
    'plans:file',
    // evaluations, reports, supervision and model cases
    'evaluations:read',
    'reports:read',
    'reports:acknowledge',
    'dashboard:read',
    'supervision:read',
    'spotchecks:write',
    'findings:close',
    'cases:read',
    'cases:write',
  ],
  city_finance: [
    ...READ_ALL,
    'audit:read',
    ...FUNDS_READ,
    'allocations:confirm',
    ...PROCUREMENT_READ,
    // evaluations, reports, supervision and model cases
    'evaluations:read',
    'reports:read',
    'supervision:read',
    'cases:read',
  ],
  district_bureau: [
    ...READ_ALL,
    'regions:write',
    'audit:read',
    'users:read',
    'users:write',
    'households:read',
    'needs:read',
    ...FUNDS_READ,
    'decisions:read',
    ...PROCUREMENT_READ,
    'providers:write',
    'plans:read',
    'plans:file',
    // evaluations, reports, supervision and model cases
    'evaluations:read',
    'evaluations:write',
    'evaluations:score',
    'reports:read',
    'reports:write',
    'dashboard:read',
    'supervision:read',
    'cases:read',
    'cases:write',
  ],
  street_office: [
    ...READ_ALL,
    'regions:write',
    'users:read',
    'users:write',
    'households:read',
    'needs:read',
    ...FUNDS_READ,
    'decisions:read',
    ...PROCUREMENT_READ,
    'procurement:write',
    'payments:approve',
    'plans:read',
    'plans:write',
    'plans:review',
    // evaluations, reports, supervision and model cases
    'evaluations:read',
    'dashboard:read',
    'supervision:read',
    'visits:write',
    'findings:close',
    'cases:read',
  ],
  community: [
    ...READ_ALL,
    'households:read',
    'households:write',
    'needs:read',
    'needs:write',
    ...FUNDS_READ,
    'decisions:read',
    'decisions:write',
    ...PROCUREMENT_READ,
    'procurement:write',
    'adjustments:approve',
    'plans:read',
    'plans:write',
    // evaluations, reports, supervision and model cases
    'evaluations:read',
    'supervision:read',
    'findings:respond',
    'cases:read',
  ],
  provider: ['policy:read', 'calendar:read', ...PROCUREMENT_READ, 'delivery:write', 'payments:request'],
  evaluator: [
    'policy:read',
    'calendar:read',
    // evaluations, reports, supervision and model cases
    'evaluations:read',
    'evaluations:score',
  ],
} as const satisfies Record<Role, readonly Permission[]>;

/**
 * The signed-in caller. Region-scoped roles carry the materialised path of their region
 * (`2101/210102/210102001`); organisation-scoped roles (provider, evaluator) carry an org id.
 */
export interface Actor {
  userId: number;
  username: string;
  displayName: string;
  role: Role;
  scopePath: string | null;
  orgId: number | null;
  /** Signed in with an administrator's one-time password: only me/password/logout until it is changed (ADR 0012). */
  mustChangePassword?: boolean;
}

export function hasPermission(actor: Actor, permission: Permission): boolean {
  return (ROLE_PERMISSIONS[actor.role] as readonly Permission[]).includes(permission);
}

export function requirePermission(actor: Actor, permission: Permission): void {
  if (!hasPermission(actor, permission)) {
    throw new DomainError(
      'FORBIDDEN',
      { zh: '当前角色无权执行此操作', en: `The role ${actor.role} lacks permission ${permission}` },
      { kind: 'forbidden' },
    );
  }
}

/** "In scope" is one rule everywhere: the region's path starts with the scope's path. */
export function pathInScope(scopePath: string | null, regionPath: string): boolean {
  if (scopePath === null) return false;
  return regionPath === scopePath || regionPath.startsWith(`${scopePath}/`);
}

/**
 * Ancestors of the caller's region are visible too (a street sees its district and city as
 * context for navigation), but nothing beside or below another branch.
 */
export function pathVisible(scopePath: string | null, regionPath: string): boolean {
  if (scopePath === null) return false;
  return pathInScope(scopePath, regionPath) || scopePath.startsWith(`${regionPath}/`);
}

/** Out of scope reads as absent: a caller must not learn that another district's row exists. */
export function requireInScope(actor: Actor, regionPath: string, what = { zh: '区域', en: 'Region' }): void {
  if (!pathInScope(actor.scopePath, regionPath)) {
    throw notFound(what);
  }
}
