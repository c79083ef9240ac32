import type { Db, Executor } from '../../db/client.js';
import { requirePermission, type Actor } from '../../common/access.js';
import { addDays, type IsoDate } from '../../common/dates.js';
import type { Now } from '../../common/clock.js';
import { todayInChina } from '../../common/dates.js';
import type { AuditService } from '../audit/audit.service.js';
import type { CalendarDayInput, CalendarService } from './calendar.service.js';
import { CalendarRepository } from './calendar.repository.js';
import type { MovedDueDateView, NoticePreviewView, PublishedNoticeView } from './calendar.schemas.js';
import { provisionalReason, withPublishedYear } from './calendar.rules.js';
import { DUE_DATE_CONCERNS, DUE_DATE_KIND_LABELS, recompute, type ProvisionalDueDate, type ProvisionalDueDateSource } from './due-dates.js';

/** How long a moved due date stays among the messages of the people it concerns. */
const CHANGE_MESSAGE_DAYS = 30;

/**
 * Entering a year's State Council holiday notice (ADR 0009): the notice is checked against the
 * statutory holidays, every open due date that had been computed provisionally through that year
 * is recomputed in the same transaction, and those that moved are audited and listed to the
 * people they concern (their messages). A preview shows the same list without writing anything.
 */
export class HolidayNoticeService {
  private readonly repo = new CalendarRepository();

  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly calendar: CalendarService,
    /** The modules that store due dates computed by the calendar (plans, decisions, supervision). */
    private readonly dueDateSources: readonly ProvisionalDueDateSource[],
    private readonly clock: Now,
  ) {}

  private async changes(db: Executor, year: number, notice: CalendarDayInput[]) {
    const current = await this.calendar.load(db);
    const future = withPublishedYear(current, year, notice);
    const out: {
      source: ProvisionalDueDateSource;
      item: ProvisionalDueDate;
      change: MovedDueDateView;
      provisional: boolean;
      date: IsoDate;
      provisionalYears: number[];
    }[] = [];
    for (const source of this.dueDateSources) {
      for (const item of await source.provisionalDueDates(db)) {
        const before = recompute(current, item);
        // Only items whose computation ran through the year being entered can change.
        if (!before.provisionalYears.includes(year)) continue;
        const after = recompute(future, item);
        out.push({
          source,
          item,
          provisional: after.provisional,
          date: after.date,
          provisionalYears: after.provisionalYears,
          change: {
            kind: item.kind,
            kindLabel: DUE_DATE_KIND_LABELS[item.kind],
            id: item.id,
            title: item.title,
            regionPath: item.regionPath,
            before: item.dueOn,
            after: after.date,
            moved: after.date !== item.dueOn,
            provisional: after.provisional,
            link: item.link,
          },
        });
      }
    }
    return out;
  }

  /** What entering the notice would do: the days entered and every due date that would move. Writes nothing. */
  async preview(actor: Actor, year: number, notice: CalendarDayInput[]): Promise<NoticePreviewView> {
    requirePermission(actor, 'calendar:write');
    const days = this.calendar.checkNotice(year, notice);
    const changes = await this.changes(this.db, year, days);
    return { year, days, dueDates: changes.map((c) => c.change) };
  }

  /** Enters the notice and recomputes the provisional due dates that ran through the year, in one transaction. */
  async publish(actor: Actor, year: number, source: string | null, notice: CalendarDayInput[]): Promise<PublishedNoticeView> {
    requirePermission(actor, 'calendar:write');
    const days = this.calendar.checkNotice(year, notice);
    const today = todayInChina(this.clock());
    const dueDates = await this.db.transaction(async (tx) => {
      // Computed before the year is entered: "before" is the provisional calendar the due dates were counted on.
      const changes = await this.changes(tx, year, days);
      await this.calendar.publishYear(actor, year, source, days, tx);
      for (const c of changes) {
        await c.source.rescheduleDueDate(tx, c.item, { date: c.date, provisional: c.provisional, provisionalYears: c.provisionalYears });
        if (!c.change.moved) continue;
        await this.audit.record(tx, actor, {
          action: 'calendar.due_date_moved',
          entityType: c.item.kind,
          entityId: String(c.item.id),
          regionPath: c.item.regionPath,
          before: { dueOn: c.change.before, provisional: true },
          after: { dueOn: c.change.after, provisional: c.change.provisional, year },
        });
      }
      await this.repo.insertDueDateChanges(
        tx,
        changes
          .filter((c) => c.change.moved)
          .map((c) => ({
            year,
            kind: c.item.kind,
            entityId: c.item.id,
            title: c.item.title,
            regionPath: c.item.regionPath,
            before: c.change.before,
            after: c.change.after,
            provisional: c.change.provisional,
            changedOn: today,
          })),
      );
      return changes.map((c) => c.change);
    });
    return { ...(await this.calendar.getYear(year)), dueDates };
  }

  /** Messages for the people a moved due date concerns: the offices at or above its region, by kind. */
  async messages(actor: Actor, today: IsoDate) {
    if (!actor.scopePath) return [];
    const rows = await this.repo.dueDateChangesUnder(this.db, actor.scopePath, addDays(today, -CHANGE_MESSAGE_DAYS));
    return rows
      .filter((r) => (DUE_DATE_CONCERNS[r.kind as ProvisionalDueDate['kind']] ?? []).includes(actor.role))
      .map((r) => ({
        key: `due_date_moved:${r.id}`,
        kind: 'due_date_moved',
        title: `${DUE_DATE_KIND_LABELS[r.kind as ProvisionalDueDate['kind']] ?? '期限'}已按 ${r.year} 年节假日安排调整`,
        body: `${r.title}：${r.before} → ${r.after}${r.provisional ? '（仍为暂定）' : ''}`,
        on: r.changedOn,
        link: '/calendar',
      }));
  }

  /**
   * The city's to-do: enter the State Council's holiday notice of the current year, and of the
   * next one from November on (it is usually published then), while it is missing — due dates
   * through it are provisional until then.
   */
  async todoItems(actor: Actor, today: IsoDate) {
    if (actor.role !== 'city_bureau') return [];
    const year = Number(today.slice(0, 4));
    const wanted = today.slice(5) >= '11-01' ? [year, year + 1] : [year];
    const missing = await this.calendar.unpublishedAmong(wanted);
    return missing.map((y) => ({
      key: `calendar_notice:${y}`,
      kind: 'calendar_notice',
      title: `录入 ${y} 年节假日安排（国务院通知）`,
      detail: provisionalReason([y])!.zh,
      regionName: '全市',
      dueOn: null,
      workdaysLeft: null,
      overdue: false,
      link: '/calendar',
      provisional: true,
    }));
  }
}
