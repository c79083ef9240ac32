import { and, asc, count, eq, gt, ilike, inArray, lt, ne, or, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { containsPattern, underPath } from '../../common/region-scope.js';
import { appUser, userSession } from '../../db/schema/auth.js';
// The shared reference table of divisions, read only (an account's scope).
import { region } from '../../db/schema/regions.js';

export interface UserRow {
  id: number;
  username: string;
  displayName: string;
  passwordHash: string;
  role: string;
  scopeCode: string | null;
  scopePath: string | null;
  scopeName: string | null;
  scopeLevel: string | null;
  orgId: number | null;
  failedLogins: number;
  lockedUntil: Date | null;
  disabled: number;
  phone: string | null;
  mustChangePassword: boolean;
  lastLoginAt: Date | null;
  createdAt: Date;
}

/** What the account list filters on: scope (null: everything), the region filter's path, text, role, status. */
export interface UserQuery {
  scopePath: string | null;
  regionPath?: string;
  q?: string;
  role?: string;
  disabled?: boolean;
}

const userColumns = {
  id: appUser.id,
  username: appUser.username,
  displayName: appUser.displayName,
  passwordHash: appUser.passwordHash,
  role: appUser.role,
  scopeCode: appUser.scopeCode,
  scopePath: region.path,
  scopeName: region.name,
  scopeLevel: region.level,
  orgId: appUser.orgId,
  failedLogins: appUser.failedLogins,
  lockedUntil: appUser.lockedUntil,
  disabled: appUser.disabled,
  phone: appUser.phone,
  mustChangePassword: appUser.mustChangePassword,
  lastLoginAt: appUser.lastLoginAt,
  createdAt: appUser.createdAt,
};

export class AuthRepository {
  async findUserByUsername(db: Executor, username: string): Promise<UserRow | undefined> {
    const rows = await db
      .select(userColumns)
      .from(appUser)
      .leftJoin(region, eq(region.code, appUser.scopeCode))
      .where(eq(appUser.username, username));
    return rows[0];
  }

  /** The enabled accounts acting for one region (reminders: whose to-do a region's channel carries). */
  async enabledUsersAt(db: Executor, regionCode: string): Promise<UserRow[]> {
    return db
      .select(userColumns)
      .from(appUser)
      .leftJoin(region, eq(region.code, appUser.scopeCode))
      .where(and(eq(appUser.scopeCode, regionCode), eq(appUser.disabled, 0)))
      .orderBy(appUser.id);
  }

  async findUserBySession(db: Executor, tokenHash: string, now: Date): Promise<UserRow | undefined> {
    const rows = await db
      .select(userColumns)
      .from(userSession)
      .innerJoin(appUser, eq(appUser.id, userSession.userId))
      .leftJoin(region, eq(region.code, appUser.scopeCode))
      .where(and(eq(userSession.tokenHash, tokenHash), gt(userSession.expiresAt, now)));
    return rows[0];
  }

  async recordFailedLogin(db: Executor, userId: number, lockedUntil: Date | null): Promise<void> {
    await db
      .update(appUser)
      .set({ failedLogins: sql`${appUser.failedLogins} + 1`, lockedUntil })
      .where(eq(appUser.id, userId));
  }

  async createSession(db: Executor, tokenHash: string, userId: number, expiresAt: Date): Promise<void> {
    await db.insert(userSession).values({ tokenHash, userId, expiresAt });
  }

  async deleteSession(db: Executor, tokenHash: string): Promise<void> {
    await db.delete(userSession).where(eq(userSession.tokenHash, tokenHash));
  }

  /** Ends every session of the user except `keepTokenHash` (the caller's own), if given. */
  async deleteSessionsOfUser(db: Executor, userId: number, keepTokenHash: string | null): Promise<void> {
    await db
      .delete(userSession)
      .where(
        keepTokenHash ? and(eq(userSession.userId, userId), ne(userSession.tokenHash, keepTokenHash)) : eq(userSession.userId, userId),
      );
  }

  /** The holder's own new password: the lockout and any forced change end. */
  async setPasswordHash(db: Executor, userId: number, passwordHash: string): Promise<void> {
    await db
      .update(appUser)
      .set({ passwordHash, failedLogins: 0, lockedUntil: null, mustChangePassword: false })
      .where(eq(appUser.id, userId));
  }

  /** An administrator's one-time password: the lockout ends and the holder must change it at sign-in. */
  async setOneTimePassword(db: Executor, userId: number, passwordHash: string): Promise<void> {
    await db
      .update(appUser)
      .set({ passwordHash, failedLogins: 0, lockedUntil: null, mustChangePassword: true })
      .where(eq(appUser.id, userId));
  }

  async recordLogin(db: Executor, userId: number, at: Date): Promise<void> {
    await db.update(appUser).set({ failedLogins: 0, lockedUntil: null, lastLoginAt: at }).where(eq(appUser.id, userId));
  }

  async findUserById(db: Executor, id: number): Promise<UserRow | undefined> {
    const rows = await db.select(userColumns).from(appUser).leftJoin(region, eq(region.code, appUser.scopeCode)).where(eq(appUser.id, id));
    return rows[0];
  }

  /** Locks the row (held until the transaction ends) and reads it afresh. */
  async lockUser(db: Executor, id: number): Promise<void> {
    await db.select({ id: appUser.id }).from(appUser).where(eq(appUser.id, id)).for('update');
  }

  /**
   * Locks FOR UPDATE, in id order, the enabled accounts of `roles` in the region `scopeCode` (the
   * target among them), and answers how many there are besides `exceptId`: two concurrent disables
   * of a region's last two administrators cannot both pass, nor deadlock (ADR 0010, 0012).
   */
  async lockOtherAdministrators(db: Executor, scopeCode: string, roles: string[], exceptId: number): Promise<number> {
    const rows = await db
      .select({ id: appUser.id })
      .from(appUser)
      .where(and(eq(appUser.scopeCode, scopeCode), inArray(appUser.role, roles), eq(appUser.disabled, 0)))
      .orderBy(appUser.id)
      .for('update');
    return rows.filter((r) => r.id !== exceptId).length;
  }

  /** Plain insert: a taken username fails on app_user_username_unique (409 USERNAME_TAKEN). */
  async insertUser(db: Executor, user: typeof appUser.$inferInsert): Promise<number> {
    const [row] = await db.insert(appUser).values(user).returning({ id: appUser.id });
    return row!.id;
  }

  async updateUser(
    db: Executor,
    id: number,
    patch: Partial<Pick<typeof appUser.$inferInsert, 'displayName' | 'phone' | 'role' | 'scopeCode' | 'disabled'>>,
  ): Promise<void> {
    if (Object.keys(patch).length > 0) await db.update(appUser).set(patch).where(eq(appUser.id, id));
  }

  /** Which of `usernames` are taken. */
  async takenUsernames(db: Executor, usernames: string[]): Promise<Set<string>> {
    if (usernames.length === 0) return new Set();
    const rows = await db.select({ u: appUser.username }).from(appUser).where(inArray(appUser.username, usernames));
    return new Set(rows.map((r) => r.u));
  }

  private userWhere(query: UserQuery): SQL | undefined {
    const conds: (SQL | undefined)[] = [
      query.scopePath === null ? undefined : underPath(region.path, query.scopePath),
      query.regionPath === undefined ? undefined : underPath(region.path, query.regionPath),
      query.role === undefined ? undefined : eq(appUser.role, query.role),
      query.disabled === undefined ? undefined : eq(appUser.disabled, query.disabled ? 1 : 0),
      query.q
        ? or(
            ilike(appUser.username, containsPattern(query.q)),
            ilike(appUser.displayName, containsPattern(query.q)),
            ilike(appUser.phone, containsPattern(query.q)),
          )
        : undefined,
    ];
    return and(...conds);
  }

  /** A page of accounts matching `query`, ordered by region path, role, username; and how many match. */
  async searchUsers(db: Executor, query: UserQuery, page: { limit: number; offset: number }): Promise<{ rows: UserRow[]; total: number }> {
    const where = this.userWhere(query);
    const rows = await db
      .select(userColumns)
      .from(appUser)
      .leftJoin(region, eq(region.code, appUser.scopeCode))
      .where(where)
      .orderBy(sql`${region.path} asc nulls last`, asc(appUser.role), asc(appUser.username))
      .limit(page.limit)
      .offset(page.offset);
    const [total] = await db.select({ n: count() }).from(appUser).leftJoin(region, eq(region.code, appUser.scopeCode)).where(where);
    return { rows, total: total?.n ?? 0 };
  }

  async deleteExpiredSessions(db: Executor, now: Date): Promise<void> {
    await db.delete(userSession).where(lt(userSession.expiresAt, now));
  }

  /** Inserts the users whose username is free; returns how many were inserted. */
  async insertUsers(db: Executor, users: (typeof appUser.$inferInsert)[]): Promise<number> {
    let n = 0;
    for (let i = 0; i < users.length; i += 500) {
      n += (
        await db
          .insert(appUser)
          .values(users.slice(i, i + 500))
          .onConflictDoNothing()
          .returning({ id: appUser.id })
      ).length;
    }
    return n;
  }
}
