import { Type, type Static } from 'typebox';
import { PERMISSIONS, ROLES } from '../../common/access.js';
import { DetectedEncoding, Literals, Nullable, RegionCode, RowId, UploadContentEncoding, UploadFormat } from '../../common/schemas.js';
import { PASSWORD_MAX_LENGTH } from './auth.rules.js';
import { ADMINISTERED_ROLES, PHONE_PATTERN, USERNAME_PATTERN } from './auth.admin.rules.js';

/** A role of the spec (§6), as an enum so that the generated web client gets the `Role` type. */
export const RoleSchema = Type.Enum([...ROLES], { description: '角色 role' });

/** A permission of the server's list, as an enum so that the generated web client gets the `Permission` type. */
export const PermissionSchema = Type.Enum([...PERMISSIONS], { description: '权限 permission' });

export const LoginBody = Type.Object(
  { username: Type.String({ minLength: 1, maxLength: 64 }), password: Type.String({ minLength: 1, maxLength: 256 }) },
  { additionalProperties: false },
);

export const ChangePasswordBody = Type.Object(
  {
    currentPassword: Type.String({ minLength: 1, maxLength: PASSWORD_MAX_LENGTH }),
    newPassword: Type.String({ minLength: 1, maxLength: PASSWORD_MAX_LENGTH }),
  },
  { additionalProperties: false },
);

export const ScopeView = Type.Object({ code: Type.String(), name: Type.String(), path: Type.String(), level: Type.String() });

/** The signed-in account as the console sees it: role, scope and what it may do. */
export const PublicUserView = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  displayName: Type.String(),
  role: RoleSchema,
  roleLabel: Type.String(),
  scope: Nullable(ScopeView),
  orgId: Nullable(Type.Integer()),
  permissions: Type.Array(PermissionSchema),
  mustChangePassword: Type.Boolean({ description: '须先修改密码（管理员发放的一次性密码）：其他接口返回 403 PASSWORD_CHANGE_REQUIRED' }),
});
export type PublicUser = Static<typeof PublicUserView>;

export const SessionView = Type.Object({ user: PublicUserView });

export const OkView = Type.Object({ ok: Type.Boolean() });

/** A role an administrator may assign (region roles; providers and evaluators are created elsewhere). */
export const AdministeredRoleSchema = Type.Enum([...ADMINISTERED_ROLES], { description: '角色 role (region roles only)' });

export const RegionLevelSchema = Literals(['city', 'district', 'street', 'community'] as const, '区划层级 region level');

/** One account as the account console shows it (ADR 0012). */
export const UserAdminItem = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  displayName: Type.String(),
  role: RoleSchema,
  roleLabel: Type.String(),
  scopeCode: Nullable(Type.String()),
  scopeName: Nullable(Type.String()),
  scopeLevel: Nullable(Type.String()),
  phone: Nullable(Type.String()),
  disabled: Type.Boolean(),
  mustChangePassword: Type.Boolean(),
  lastLoginAt: Nullable(Type.String({ description: 'ISO instant' })),
  createdAt: Type.String({ description: 'ISO instant' }),
  manageable: Type.Boolean({ description: '当前账号可编辑、重置密码、停用此账号 the caller may administer it' }),
});
export type UserAdminItem = Static<typeof UserAdminItem>;

export const UserAdminListView = Type.Object({ items: Type.Array(UserAdminItem), total: Type.Integer() });
export type UserAdminListView = Static<typeof UserAdminListView>;

const UserFilters = {
  q: Type.Optional(Type.String({ maxLength: 64, description: '用户名、名称或电话 username, display name or phone' })),
  role: Type.Optional(RoleSchema),
  regionCode: Type.Optional(RegionCode('区划（本级及以下） region and below')),
  status: Type.Optional(Literals(['active', 'disabled'] as const, 'active：启用；disabled：停用')),
};

export const UsersQuery = Type.Object({
  ...UserFilters,
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000, default: 1 })),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 20 })),
});
export type UsersQuery = Static<typeof UsersQuery>;

export const UsersExportQuery = Type.Object({ ...UserFilters, format: Type.Optional(UploadFormat) });
export type UserFilters = Omit<UsersQuery, 'page' | 'pageSize'>;

export const AssignableView = Type.Object({
  roles: Type.Array(Type.Object({ role: AdministeredRoleSchema, roleLabel: Type.String(), regionLevel: RegionLevelSchema })),
  root: Type.Object({ code: Type.String(), name: Type.String(), level: Type.String() }),
});
export type AssignableView = Static<typeof AssignableView>;

export const Username = Type.String({
  minLength: 3,
  maxLength: 64,
  pattern: USERNAME_PATTERN.source,
  description: '用户名：3–64 位小写字母、数字、. _ -，以字母或数字开头',
});
export const Phone = Type.String({ maxLength: 20, pattern: PHONE_PATTERN.source, description: '手机 1xxxxxxxxxx 或座机 0xx-xxxxxxxx' });
const DisplayName = Type.String({ minLength: 1, maxLength: 64, description: '姓名/名称 display name' });

export const CreateUserBody = Type.Object(
  { username: Username, displayName: DisplayName, role: AdministeredRoleSchema, regionCode: RegionCode(), phone: Type.Optional(Phone) },
  { additionalProperties: false },
);
export type CreateUserBody = Static<typeof CreateUserBody>;

export const UpdateUserBody = Type.Object(
  {
    displayName: Type.Optional(DisplayName),
    phone: Type.Optional(Nullable(Phone)),
    role: Type.Optional(AdministeredRoleSchema),
    regionCode: Type.Optional(RegionCode()),
    disabled: Type.Optional(Type.Boolean({ description: 'true 停用（结束其会话）；false 重新启用' })),
  },
  { additionalProperties: false },
);
export type UpdateUserBody = Static<typeof UpdateUserBody>;

export const UserIdParam = Type.Object({ id: RowId() });

export const UserView = Type.Object({ user: UserAdminItem });
export const UserWithPasswordView = Type.Object({
  user: UserAdminItem,
  oneTimePassword: Type.String({ description: '一次性密码：只显示这一次，首次登录须修改' }),
});
export type UserWithPasswordView = Static<typeof UserWithPasswordView>;

export const UsersTemplateQuery = Type.Object({ format: Type.Optional(UploadFormat) });

export const UsersImportBody = Type.Object(
  {
    format: UploadFormat,
    content: Type.String({ minLength: 1, maxLength: 4_000_000 }),
    contentEncoding: UploadContentEncoding,
    dryRun: Type.Optional(Type.Boolean({ description: 'true：只检查并返回报告，不创建' })),
  },
  { additionalProperties: false },
);
export type UsersImportBody = Static<typeof UsersImportBody>;

export const FieldProblemView = Type.Object({ field: Type.String(), zh: Type.String(), en: Type.String() });

export const UsersImportRow = Type.Object({
  row: Type.Integer({ description: '数据行号（从 1 起，不含表头）' }),
  username: Type.String(),
  displayName: Type.String(),
  role: Nullable(AdministeredRoleSchema),
  regionCode: Type.String(),
  ok: Type.Boolean(),
  errors: Type.Array(FieldProblemView),
  oneTimePassword: Nullable(Type.String()),
});
export type UsersImportRow = Static<typeof UsersImportRow>;

export const UsersImportView = Type.Object({
  encoding: DetectedEncoding,
  dryRun: Type.Boolean(),
  created: Type.Integer(),
  rows: Type.Array(UsersImportRow),
});
export type UsersImportView = Static<typeof UsersImportView>;
