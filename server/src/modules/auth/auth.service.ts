import { createHash, randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import type { Db } from '../../db/client.js';
import { DomainError } from '../../common/errors.js';
import { ROLE_LABELS, ROLE_PERMISSIONS, type Actor, type Role } from '../../common/access.js';
import type { AuditService } from '../audit/audit.service.js';
import { AuthRepository, type UserRow } from './auth.repository.js';
import { unwrap } from '../../common/verdict.js';
import { newPasswordVerdict } from './auth.rules.js';
import type { PublicUser } from './auth.schemas.js';
import { AuthAdminService, type AccountRegions } from './auth.admin.service.js';
import { AuthImportService } from './auth.import.service.js';

export type { PublicUser } from './auth.schemas.js';

export const SESSION_COOKIE = 'sf_session';
export const SESSION_HOURS = 12;
/** After this many wrong passwords in a row the account is locked for LOCK_MINUTES. */
export const MAX_FAILED_LOGINS = 5;
export const LOCK_MINUTES = 15;

const sha256 = (token: string) => createHash('sha256').update(token).digest('hex');

// Compared against when the user does not exist, so timing does not reveal which usernames exist.
let dummyHash: Promise<string> | null = null;

export class AuthService {
  private readonly repo = new AuthRepository();
  /** Account administration by region administrators (ADR 0012). */
  readonly admin: AuthAdminService;
  /** Account import and its template (ADR 0012). */
  readonly imports: AuthImportService;

  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    regions: AccountRegions,
  ) {
    this.admin = new AuthAdminService(db, audit, regions);
    this.imports = new AuthImportService(db, audit, regions);
  }

  static hashPassword(password: string): Promise<string> {
    return hash(password);
  }

  async login(username: string, password: string, now = new Date()): Promise<{ token: string; user: PublicUser; expiresAt: Date }> {
    const user = await this.repo.findUserByUsername(this.db, username);
    const badCredentials = new DomainError(
      'BAD_CREDENTIALS',
      { zh: '用户名或密码错误', en: 'Wrong username or password' },
      { kind: 'unauthenticated' },
    );
    if (!user || user.disabled) {
      dummyHash ??= hash('not-a-real-password');
      await verify(await dummyHash, password).catch(() => false);
      throw badCredentials;
    }
    if (!(await this.checkPassword(user, password, now))) throw badCredentials;
    // A fresh token on every login: a session id planted before login is never promoted.
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(now.getTime() + SESSION_HOURS * 3600_000);
    await this.db.transaction(async (tx) => {
      await this.repo.recordLogin(tx, user.id, now);
      await this.repo.deleteExpiredSessions(tx, now);
      await this.repo.createSession(tx, sha256(token), user.id, expiresAt);
      await this.audit.record(
        tx,
        { userId: user.id, username: user.username },
        {
          action: 'auth.login',
          entityType: 'user',
          entityId: String(user.id),
          regionPath: user.scopePath,
        },
      );
    });
    return { token, user: toPublicUser({ ...user, lastLoginAt: now }), expiresAt };
  }

  /**
   * One rule for sign-in and password change: a locked account is refused outright; a wrong
   * password counts towards the lockout (audited when it locks). True when the password is right.
   */
  private async checkPassword(user: UserRow, password: string, now: Date): Promise<boolean> {
    if (user.lockedUntil && user.lockedUntil > now) {
      throw new DomainError(
        'ACCOUNT_LOCKED',
        {
          zh: `密码错误次数过多，账号已锁定至 ${user.lockedUntil.toISOString()}`,
          en: `Too many wrong passwords; account locked until ${user.lockedUntil.toISOString()}`,
        },
        { kind: 'too_many' },
      );
    }
    if (await verify(user.passwordHash, password).catch(() => false)) return true;
    const failures = user.failedLogins + 1;
    const lockedUntil = failures >= MAX_FAILED_LOGINS ? new Date(now.getTime() + LOCK_MINUTES * 60_000) : null;
    await this.db.transaction(async (tx) => {
      await this.repo.recordFailedLogin(tx, user.id, lockedUntil);
      if (lockedUntil) {
        await this.audit.record(
          tx,
          { userId: user.id, username: user.username },
          {
            action: 'auth.locked',
            entityType: 'user',
            entityId: String(user.id),
            regionPath: user.scopePath,
            after: { lockedUntil },
          },
        );
      }
    });
    return false;
  }

  async logout(token: string, actor: Actor | null): Promise<void> {
    await this.db.transaction(async (tx) => {
      await this.repo.deleteSession(tx, sha256(token));
      if (actor) {
        await this.audit.record(tx, actor, {
          action: 'auth.logout',
          entityType: 'user',
          entityId: String(actor.userId),
          regionPath: actor.scopePath,
        });
      }
    });
  }

  /**
   * Changes the caller's own password: the current one must be right (wrong guesses count
   * towards the lockout, like sign-in), the new one must pass the policy. Every other session
   * of the account ends; the caller's own stays.
   */
  async changePassword(actor: Actor, sessionToken: string, currentPassword: string, newPassword: string, now = new Date()): Promise<void> {
    const user = await this.repo.findUserByUsername(this.db, actor.username);
    if (!user || user.disabled) {
      throw new DomainError('UNAUTHENTICATED', { zh: '请先登录', en: 'Sign in first' }, { kind: 'unauthenticated' });
    }
    if (!(await this.checkPassword(user, currentPassword, now))) {
      throw new DomainError(
        'BAD_CURRENT_PASSWORD',
        {
          zh: '字段 当前密码（currentPassword）无效：当前密码不正确',
          en: 'Field currentPassword is invalid: the current password is wrong',
        },
        { kind: 'invalid', field: 'currentPassword' },
      );
    }
    unwrap(newPasswordVerdict(newPassword, currentPassword, user.username));
    const passwordHash = await hash(newPassword);
    await this.db.transaction(async (tx) => {
      await this.repo.setPasswordHash(tx, user.id, passwordHash);
      await this.repo.deleteSessionsOfUser(tx, user.id, sha256(sessionToken));
      // The event names the change only: neither password nor hash is recorded.
      await this.audit.record(tx, actor, {
        action: 'auth.password_changed',
        entityType: 'user',
        entityId: String(user.id),
        regionPath: user.scopePath,
      });
    });
  }

  async actorForToken(token: string, now = new Date()): Promise<{ actor: Actor; user: PublicUser } | null> {
    const user = await this.repo.findUserBySession(this.db, sha256(token), now);
    if (!user || user.disabled) return null;
    return {
      actor: {
        userId: user.id,
        username: user.username,
        displayName: user.displayName,
        role: user.role as Role,
        scopePath: user.scopePath,
        orgId: user.orgId,
        mustChangePassword: user.mustChangePassword,
      },
      user: toPublicUser(user),
    };
  }

  /** For reminders (notify module): the enabled accounts acting for a region, as the actors they sign in as. */
  async actorsAt(regionCode: string): Promise<Actor[]> {
    const users = await this.repo.enabledUsersAt(this.db, regionCode);
    return users.map((user) => ({
      userId: user.id,
      username: user.username,
      displayName: user.displayName,
      role: user.role as Role,
      scopePath: user.scopePath,
      orgId: user.orgId,
    }));
  }

  /** Used by the seed and tests: inserts accounts (password hashes already computed). */
  /** Inserts the users whose username is free (one account per username); returns how many were inserted. */
  async insertUsers(
    users: Parameters<AuthRepository['insertUsers']>[1],
    tx?: Parameters<AuthRepository['insertUsers']>[0],
  ): Promise<number> {
    return this.repo.insertUsers(tx ?? this.db, users);
  }

  /** For other modules (provider accounts): who holds a username, if anyone. */
  async accountOf(
    username: string,
    db: Parameters<AuthRepository['findUserByUsername']>[0] = this.db,
  ): Promise<{ id: number; role: string; orgId: number | null } | null> {
    const u = await this.repo.findUserByUsername(db, username);
    return u ? { id: u.id, role: u.role, orgId: u.orgId } : null;
  }
}

function toPublicUser(user: UserRow): PublicUser {
  const role = user.role as Role;
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    role,
    roleLabel: ROLE_LABELS[role],
    scope: user.scopeCode
      ? { code: user.scopeCode, name: user.scopeName ?? '', path: user.scopePath ?? '', level: user.scopeLevel ?? '' }
      : null,
    orgId: user.orgId,
    permissions: [...ROLE_PERMISSIONS[role]],
    mustChangePassword: user.mustChangePassword,
  };
}
