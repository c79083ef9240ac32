import { and, eq, gt, lt, ne, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { underPath } from '../../common/region-scope.js';
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

  async resetFailedLogins(db: Executor, userId: number): Promise<void> {
    await db.update(appUser).set({ failedLogins: 0, lockedUntil: null }).where(eq(appUser.id, userId));
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

  async setPasswordHash(db: Executor, userId: number, passwordHash: string): Promise<void> {
    await db.update(appUser).set({ passwordHash, failedLogins: 0, lockedUntil: null }).where(eq(appUser.id, userId));
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

  /** Accounts whose scope lies at or under `scopePath` (every account when null). */
  async listUsers(db: Executor, scopePath: string | null) {
    return db
      .select({
        id: appUser.id,
        username: appUser.username,
        displayName: appUser.displayName,
        role: appUser.role,
        scopeCode: appUser.scopeCode,
        scopePath: region.path,
        scopeName: region.name,
      })
      .from(appUser)
      .leftJoin(region, eq(region.code, appUser.scopeCode))
      .where(scopePath === null ? undefined : underPath(region.path, scopePath))
      .orderBy(appUser.id);
  }
}
