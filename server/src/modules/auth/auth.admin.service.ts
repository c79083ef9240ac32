import { randomBytes } from 'node:crypto';
import { hash } from '@node-rs/argon2';
import type { Db, Executor } from '../../db/client.js';
import { DomainError } from '../../common/errors.js';
import { pathInScope, ROLE_LABELS, requirePermission, type Actor, type Role } from '../../common/access.js';
import { heldOnce } from '../../common/at-most-one.js';
import { unwrap } from '../../common/verdict.js';
import { buildCsv, buildWorkbook, type CellValue } from '../../common/xlsx.js';
import type { AuditService } from '../audit/audit.service.js';
import type { RegionsService } from '../regions/regions.service.js';
import { AuthRepository, type UserRow } from './auth.repository.js';
import {
  accountFieldProblems,
  ADMINISTERED_ROLES,
  administrableRoles,
  administrationVerdict,
  isAdministratorRole,
  lastAdministratorVerdict,
  mayManage,
  oneTimePassword,
  ROLE_REGION_LEVEL,
  selfAdministrationVerdict,
  type Administrator,
} from './auth.admin.rules.js';
import type {
  AssignableView,
  CreateUserBody,
  UpdateUserBody,
  UserAdminItem,
  UserAdminListView,
  UserFilters,
  UsersQuery,
  UserWithPasswordView,
} from './auth.schemas.js';

/** What account administration reads of the regions module. */
export type AccountRegions = Pick<RegionsService, 'find' | 'byCodes' | 'requireInScope' | 'inScopePlain'>;

const EXPORT_LIMIT = 20_000;

const accountNotFound = () => new DomainError('ACCOUNT_NOT_FOUND', { zh: '账户不存在', en: 'Account not found' }, { kind: 'not_found' });

const adminOf = (actor: Actor): Administrator => ({ userId: actor.userId, role: actor.role, scopePath: actor.scopePath });

const placeOf = (row: UserRow) => ({ role: row.role, path: row.scopePath, level: row.scopeLevel });

/** The audited picture of an account: never a password or its hash. */
const auditedOf = (row: {
  username: string;
  displayName: string;
  role: string;
  scopeCode: string | null;
  phone: string | null;
  disabled: number | boolean;
}) => ({
  username: row.username,
  displayName: row.displayName,
  role: row.role,
  scopeCode: row.scopeCode,
  phone: row.phone,
  disabled: Boolean(row.disabled),
});

/** A fresh one-time password (node:crypto) and its hash. */
export async function issueOneTimePassword(username: string): Promise<{ password: string; passwordHash: string }> {
  const password = oneTimePassword(username, (n) => randomBytes(n));
  return { password, passwordHash: await hash(password) };
}

/**
 * Account administration (issue 18, ADR 0012): list, create, edit, disable/enable, reset and export
 * the region accounts an administrator holds, each change in one audited transaction.
 */
export class AuthAdminService {
  private readonly repo = new AuthRepository();

  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly regions: AccountRegions,
  ) {}

  toItem(actor: Actor, row: UserRow): UserAdminItem {
    return {
      id: row.id,
      username: row.username,
      displayName: row.displayName,
      role: row.role as Role,
      roleLabel: ROLE_LABELS[row.role as Role] ?? row.role,
      scopeCode: row.scopeCode,
      scopeName: row.scopeName,
      scopeLevel: row.scopeLevel,
      phone: row.phone,
      disabled: row.disabled !== 0,
      mustChangePassword: row.mustChangePassword,
      lastLoginAt: row.lastLoginAt ? row.lastLoginAt.toISOString() : null,
      createdAt: row.createdAt.toISOString(),
      manageable: mayManage(adminOf(actor), placeOf(row)) && row.id !== actor.userId,
    };
  }

  /** The filters of the list and the export, resolved within the caller's scope. */
  private async userQuery(actor: Actor, filters: UserFilters) {
    const regionPath = filters.regionCode ? (await this.regions.requireInScope(actor, filters.regionCode)).path : undefined;
    return {
      scopePath: actor.role === 'city_bureau' ? null : (actor.scopePath ?? '\u0000'),
      regionPath,
      q: filters.q?.trim() || undefined,
      role: filters.role,
      disabled: filters.status === undefined ? undefined : filters.status === 'disabled',
    };
  }

  async list(actor: Actor, query: UsersQuery): Promise<UserAdminListView> {
    requirePermission(actor, 'users:read');
    const pageSize = query.pageSize ?? 20;
    const page = query.page ?? 1;
    const { rows, total } = await this.repo.searchUsers(this.db, await this.userQuery(actor, query), {
      limit: pageSize,
      offset: (page - 1) * pageSize,
    });
    return { items: rows.map((r) => this.toItem(actor, r)), total };
  }

  async assignable(actor: Actor): Promise<AssignableView> {
    requirePermission(actor, 'users:write');
    const root = await this.regions.inScopePlain(actor);
    return {
      roles: administrableRoles(actor.role).map((role) => ({ role, roleLabel: ROLE_LABELS[role], regionLevel: ROLE_REGION_LEVEL[role] })),
      root: { code: root.code, name: root.name, level: root.level },
    };
  }

  /** The account `id` as the caller may manage it: 404 outside the scope, 403 above the ceiling. */
  private async manageable(actor: Actor, id: number, db: Executor = this.db): Promise<UserRow> {
    const row = await this.repo.findUserById(db, id);
    const visible = row && (actor.role === 'city_bureau' || (row.scopePath !== null && pathInScope(actor.scopePath, row.scopePath)));
    if (!row || !visible) throw accountNotFound();
    unwrap(administrationVerdict(adminOf(actor), placeOf(row)));
    return row;
  }

  /** The region a body names, checked against the role and the caller's scope (400 naming `regionCode`). */
  private async placeFor(actor: Actor, role: string, regionCode: string) {
    const region = await this.regions.find(regionCode);
    unwrap(administrationVerdict(adminOf(actor), { role, path: region?.path ?? null, level: region?.level ?? null }));
    return region!;
  }

  async create(actor: Actor, body: CreateUserBody): Promise<UserWithPasswordView> {
    requirePermission(actor, 'users:write');
    throwFieldProblems(accountFieldProblems(body));
    const region = await this.placeFor(actor, body.role, body.regionCode);
    const { password, passwordHash } = await issueOneTimePassword(body.username);
    const values = {
      username: body.username,
      displayName: body.displayName.trim(),
      passwordHash,
      role: body.role,
      scopeCode: region.code,
      phone: body.phone || null,
      mustChangePassword: true,
    };
    const id = await heldOnce(() =>
      this.db.transaction(async (tx) => {
        const newId = await this.repo.insertUser(tx, values);
        await this.audit.record(tx, actor, {
          action: 'user.create',
          entityType: 'user',
          entityId: String(newId),
          regionPath: region.path,
          after: auditedOf({ ...values, disabled: 0 }),
        });
        return newId;
      }),
    );
    return { user: this.toItem(actor, (await this.repo.findUserById(this.db, id))!), oneTimePassword: password };
  }

  async update(actor: Actor, id: number, body: UpdateUserBody): Promise<{ user: UserAdminItem }> {
    requirePermission(actor, 'users:write');
    throwFieldProblems(accountFieldProblems({ displayName: body.displayName, phone: body.phone }));
    const before = await this.manageable(actor, id);
    unwrap(selfAdministrationVerdict(actor.userId, id, body));
    const role = body.role ?? before.role;
    const region =
      body.role !== undefined || body.regionCode !== undefined
        ? await this.placeFor(actor, role, body.regionCode ?? before.scopeCode ?? '')
        : null;
    const patch = {
      ...(body.displayName !== undefined ? { displayName: body.displayName.trim() } : {}),
      ...(body.phone !== undefined ? { phone: body.phone || null } : {}),
      ...(body.role !== undefined ? { role: body.role } : {}),
      ...(region ? { scopeCode: region.code } : {}),
      ...(body.disabled !== undefined ? { disabled: body.disabled ? 1 : 0 } : {}),
    };
    await this.db.transaction(async (tx) => {
      // The region's administrators first (id order, the target among them), then the target: one lock order.
      const othersLocked =
        before.scopeCode && isAdministratorRole(before.role)
          ? await this.repo.lockOtherAdministrators(tx, before.scopeCode, adminRoles(), id)
          : 0;
      await this.repo.lockUser(tx, id);
      const current = await this.manageable(actor, id, tx);
      const next = { role, scopeCode: patch.scopeCode ?? current.scopeCode, disabled: body.disabled ?? current.disabled !== 0 };
      const unchangedPlace = current.scopeCode === before.scopeCode && current.role === before.role;
      const others =
        !current.scopeCode || !isAdministratorRole(current.role)
          ? 0
          : unchangedPlace
            ? othersLocked
            : await this.repo.lockOtherAdministrators(tx, current.scopeCode, adminRoles(), id);
      unwrap(
        lastAdministratorVerdict({ role: current.role, scopeCode: current.scopeCode, disabled: current.disabled !== 0 }, next, others),
      );
      await this.repo.updateUser(tx, id, patch);
      if (next.disabled) await this.repo.deleteSessionsOfUser(tx, id, null);
      const action =
        body.disabled === true && current.disabled === 0
          ? 'user.disable'
          : body.disabled === false && current.disabled !== 0
            ? 'user.enable'
            : 'user.update';
      await this.audit.record(tx, actor, {
        action,
        entityType: 'user',
        entityId: String(id),
        regionPath: region?.path ?? current.scopePath,
        before: auditedOf(current),
        after: auditedOf({ ...current, ...patch }),
      });
    });
    return { user: this.toItem(actor, (await this.repo.findUserById(this.db, id))!) };
  }

  /** A new one-time password: sessions end, the lockout clears, the holder must change it at sign-in. */
  async resetPassword(actor: Actor, id: number): Promise<UserWithPasswordView> {
    requirePermission(actor, 'users:write');
    const target = await this.manageable(actor, id);
    const { password, passwordHash } = await issueOneTimePassword(target.username);
    await this.db.transaction(async (tx) => {
      await this.repo.setOneTimePassword(tx, id, passwordHash);
      await this.repo.deleteSessionsOfUser(tx, id, null);
      // The event names the reset only: neither password nor hash is recorded.
      await this.audit.record(tx, actor, {
        action: 'user.reset_password',
        entityType: 'user',
        entityId: String(id),
        regionPath: target.scopePath,
      });
    });
    return { user: this.toItem(actor, (await this.repo.findUserById(this.db, id))!), oneTimePassword: password };
  }

  async export(actor: Actor, filters: UserFilters, format: 'csv' | 'xlsx'): Promise<Buffer | string> {
    requirePermission(actor, 'users:read');
    const { rows } = await this.repo.searchUsers(this.db, await this.userQuery(actor, filters), { limit: EXPORT_LIMIT, offset: 0 });
    const columns = [
      { header: '用户名', key: 'username', width: 28 },
      { header: '姓名/名称', key: 'displayName', width: 28 },
      { header: '角色', key: 'role', width: 20 },
      { header: '区划代码', key: 'scopeCode', width: 16 },
      { header: '区划名称', key: 'scopeName', width: 20 },
      { header: '手机', key: 'phone', width: 16 },
      { header: '状态', key: 'status', width: 8 },
      { header: '须修改密码', key: 'mustChange', width: 10 },
      { header: '最近登录', key: 'lastLoginAt', width: 22 },
      { header: '创建时间', key: 'createdAt', width: 22 },
    ];
    const data: Record<string, CellValue>[] = rows.map((r) => ({
      username: r.username,
      displayName: r.displayName,
      role: ROLE_LABELS[r.role as Role] ?? r.role,
      scopeCode: r.scopeCode,
      scopeName: r.scopeName,
      phone: r.phone,
      status: r.disabled ? '停用' : '启用',
      mustChange: r.mustChangePassword ? '是' : '否',
      lastLoginAt: r.lastLoginAt?.toISOString() ?? null,
      createdAt: r.createdAt.toISOString(),
    }));
    if (format === 'csv')
      return buildCsv(
        columns.map((c) => c.header),
        data.map((d) => columns.map((c) => d[c.key])),
      );
    return buildWorkbook([{ name: '账号', columns, rows: data }]);
  }
}

/** The roles that hold users:write (a region's administrators). */
export const adminRoles = (): string[] => ADMINISTERED_ROLES.filter((r) => isAdministratorRole(r));

/** The first field problem as a 400 naming its field (a form sends one account). */
function throwFieldProblems(problems: { field: string; zh: string; en: string }[]): void {
  const first = problems[0];
  if (first) throw new DomainError('INVALID_INPUT', { zh: first.zh, en: first.en }, { kind: 'invalid', field: first.field });
}
