import { Type, type Static } from 'typebox';
import { PERMISSIONS, ROLES } from '../../common/access.js';
import { Nullable } from '../../common/schemas.js';
import { PASSWORD_MAX_LENGTH } from './auth.rules.js';

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
});
export type PublicUser = Static<typeof PublicUserView>;

export const SessionView = Type.Object({ user: PublicUserView });

export const OkView = Type.Object({ ok: Type.Boolean() });

export const UserListItem = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  displayName: Type.String(),
  role: RoleSchema,
  roleLabel: Type.String(),
  scopeCode: Nullable(Type.String()),
  scopeName: Nullable(Type.String()),
});
export type UserListItem = Static<typeof UserListItem>;

export const UserListView = Type.Object({ items: Type.Array(UserListItem) });
