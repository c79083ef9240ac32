import { and, asc, between, desc, eq, gte } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { underPath } from '../../common/region-scope.js';
import { calendarDay, calendarDueDateChange, calendarYear } from '../../db/schema/calendar.js';

export class CalendarRepository {
  async years(db: Executor) {
    return db.select().from(calendarYear).orderBy(asc(calendarYear.year));
  }

  async year(db: Executor, year: number) {
    const rows = await db.select().from(calendarYear).where(eq(calendarYear.year, year));
    return rows[0];
  }

  async allDays(db: Executor) {
    return db.select({ date: calendarDay.day, isOffDay: calendarDay.isOffDay, name: calendarDay.name }).from(calendarDay);
  }

  async daysOfYear(db: Executor, year: number) {
    return db
      .select({ date: calendarDay.day, isOffDay: calendarDay.isOffDay, name: calendarDay.name })
      .from(calendarDay)
      .where(between(calendarDay.day, `${year}-01-01`, `${year}-12-31`))
      .orderBy(asc(calendarDay.day));
  }

  async day(db: Executor, date: string) {
    const rows = await db
      .select({ date: calendarDay.day, isOffDay: calendarDay.isOffDay, name: calendarDay.name })
      .from(calendarDay)
      .where(eq(calendarDay.day, date));
    return rows[0];
  }

  async insertYear(db: Executor, year: number, source: string | null) {
    await db.insert(calendarYear).values({ year, source });
  }

  async upsertDays(db: Executor, days: { date: string; isOffDay: boolean; name: string }[]) {
    if (days.length === 0) return;
    for (const d of days) {
      await db
        .insert(calendarDay)
        .values({ day: d.date, isOffDay: d.isOffDay, name: d.name })
        .onConflictDoUpdate({ target: calendarDay.day, set: { isOffDay: d.isOffDay, name: d.name } });
    }
  }

  async deleteDay(db: Executor, date: string) {
    await db.delete(calendarDay).where(and(eq(calendarDay.day, date)));
  }

  async insertDueDateChanges(db: Executor, rows: (typeof calendarDueDateChange.$inferInsert)[]) {
    if (rows.length === 0) return;
    await db.insert(calendarDueDateChange).values(rows);
  }

  /** Due-date changes at or under a region path since a date, newest first. */
  async dueDateChangesUnder(db: Executor, pathPrefix: string, since: string) {
    return db
      .select()
      .from(calendarDueDateChange)
      .where(and(underPath(calendarDueDateChange.regionPath, pathPrefix), gte(calendarDueDateChange.changedOn, since)))
      .orderBy(desc(calendarDueDateChange.id))
      .limit(200);
  }
}
