import type { Db, Executor } from '../../db/client.js';
import { gather } from '../../common/gather.js';
import { requirePermission, type Actor } from '../../common/access.js';
import { DomainError, invalidField } from '../../common/errors.js';
import { isIsoDate, yearOf, type IsoDate } from '../../common/dates.js';
import type { AuditService, AuditActor } from '../audit/audit.service.js';
import { CalendarRepository } from './calendar.repository.js';
import {
  addWorkdays,
  addWorkdaysDetailed,
  buildCalendar,
  isWorkday,
  provisionalDays,
  provisionalReason,
  statutoryConflicts,
  statutoryDaysMissing,
  windowEnd,
  windowEndDetailed,
  workdaysBetween,
  workdaysBetweenDetailed,
  type ComputedDate,
  type WorkCalendar,
} from './calendar.rules.js';
import { statutoryLawFor } from './statutory-holidays.js';
import type { CalendarYearView, ComputationView, PublishedYearView } from './calendar.schemas.js';

export interface CalendarDayInput {
  date: IsoDate;
  isOffDay: boolean;
  name: string;
}

export class CalendarService {
  private readonly repo = new CalendarRepository();

  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
  ) {}

  /** Loaded per use: ~40 rows a year, and an edit on one instance is seen by all at once. */
  async load(db: Executor = this.db): Promise<WorkCalendar> {
    const [years, days] = await gather(db, [() => this.repo.years(db), () => this.repo.allDays(db)] as const);
    return buildCalendar(
      years.map((y) => y.year),
      days,
    );
  }

  async addWorkdays(from: IsoDate, days: number, db?: Executor) {
    return addWorkdays(await this.load(db), from, days);
  }

  async windowEnd(from: IsoDate, days: number, db?: Executor) {
    return windowEnd(await this.load(db), from, days);
  }

  async workdaysBetween(from: IsoDate, to: IsoDate, db?: Executor) {
    return workdaysBetween(await this.load(db), from, to);
  }

  async isWorkday(date: IsoDate) {
    return isWorkday(await this.load(), date);
  }

  /** The due date `days` working days after `from`, marked provisional when it ran through an unpublished year. */
  async addWorkdaysDetailed(from: IsoDate, days: number, db?: Executor) {
    return addWorkdaysDetailed(await this.load(db), from, days);
  }

  /** The end of a Civil Code period, marked provisional when it ran through an unpublished year. */
  async windowEndDetailed(from: IsoDate, days: number, db?: Executor) {
    return windowEndDetailed(await this.load(db), from, days);
  }

  /** The API's answer for "the N-th working day after a date", with why it is provisional, if it is. */
  async addWorkdaysComputation(from: IsoDate, days: number): Promise<ComputationView> {
    return computation(from, days, await this.addWorkdaysDetailed(from, days));
  }

  /** The API's answer for "the end of a period by the Civil Code", with why it is provisional, if it is. */
  async windowEndComputation(from: IsoDate, days: number): Promise<ComputationView> {
    return computation(from, days, await this.windowEndDetailed(from, days));
  }

  async workdaysBetweenDetailed(from: IsoDate, to: IsoDate, db?: Executor) {
    return workdaysBetweenDetailed(await this.load(db), from, to);
  }

  /**
   * Working days from `today` to each due date (negative once past), and whether the count runs
   * through a year whose holiday notice is not entered: one calendar load for a whole to-do list.
   */
  async countdowns(today: IsoDate, dues: IsoDate[], db?: Executor): Promise<Map<IsoDate, { workdaysLeft: number; provisional: boolean }>> {
    const out = new Map<IsoDate, { workdaysLeft: number; provisional: boolean }>();
    if (dues.length === 0) return out;
    const calendar = await this.load(db);
    for (const due of new Set(dues)) {
      const answer = workdaysBetweenDetailed(calendar, today, due);
      out.set(due, { workdaysLeft: answer.value, provisional: answer.provisional });
    }
    return out;
  }

  /** Years without an entered holiday notice among `years` (the to-do asks the city to enter them). */
  async unpublishedAmong(years: number[], db: Executor = this.db) {
    const published = new Set((await this.repo.years(db)).map((y) => y.year));
    return years.filter((y) => !published.has(y));
  }

  /**
   * A year's calendar: the entered notice, or — while it is not entered — the provisional rest
   * days the law fixes, flagged with the reason.
   */
  async getYear(year: number): Promise<CalendarYearView> {
    const [meta, days] = await Promise.all([this.repo.year(this.db, year), this.repo.daysOfYear(this.db, year)]);
    const reason = meta ? null : provisionalReason([year]);
    return {
      year,
      published: Boolean(meta),
      provisional: !meta,
      provisionalReason: reason?.zh ?? null,
      statutorySource: statutoryLawFor(year).source,
      source: meta?.source ?? null,
      publishedAt: meta?.publishedAt?.toISOString() ?? null,
      days: meta ? days : provisionalDays(year),
    };
  }

  async listYears(): Promise<PublishedYearView[]> {
    return (await this.repo.years(this.db)).map((y) => ({ year: y.year, source: y.source, publishedAt: y.publishedAt.toISOString() }));
  }

  /** Enters a year's State Council notice: from then on its working days can be counted. */
  /**
   * Checks a year's notice before it is entered: every day valid and inside the year's
   * arrangement, and no statutory holiday made a working day (the law is named). Returns the days
   * to enter: the notice's own, plus any statutory weekday holiday it leaves out.
   */
  checkNotice(year: number, days: CalendarDayInput[]): CalendarDayInput[] {
    days.forEach((d, i) => validateDay(d, year, `days.${i}`));
    const conflicts = statutoryConflicts(year, days);
    if (conflicts.length > 0) {
      const law = statutoryLawFor(year).source;
      const list = conflicts.map((c) => `${c.date}（${c.name}）`).join('、');
      const index = days.findIndex((d) => d.date === conflicts[0]!.date);
      throw new DomainError(
        'CALENDAR_CONTRADICTS_STATUTORY_HOLIDAY',
        {
          zh: `${list} 是法定节假日，不能安排为工作日（${law}）`,
          en: `${conflicts.map((c) => c.date).join(', ')} ${conflicts.length > 1 ? 'are statutory holidays' : 'is a statutory holiday'} and cannot be made a working day (National Holidays Regulation, art. 2)`,
        },
        { kind: 'invalid', field: `days.${index}.isOffDay`, clause: '《全国年节及纪念日放假办法》第二条', details: { conflicts } },
      );
    }
    return [...days, ...statutoryDaysMissing(year, days)];
  }

  async publishYear(actor: AuditActor | Actor, year: number, source: string | null, notice: CalendarDayInput[], tx?: Executor) {
    if ('role' in actor) requirePermission(actor, 'calendar:write');
    const days = this.checkNotice(year, notice);
    const run = async (t: Executor) => {
      if (await this.repo.year(t, year)) {
        throw new DomainError(
          'CALENDAR_YEAR_EXISTS',
          { zh: `${year} 年工作日历已发布，请逐日修改`, en: `The ${year} calendar is already published; edit single days instead` },
          { kind: 'conflict' },
        );
      }
      await this.repo.insertYear(t, year, source);
      await this.repo.upsertDays(t, days);
      await this.audit.record(t, actor, {
        action: 'calendar.publish_year',
        entityType: 'calendar_year',
        entityId: String(year),
        after: { source, days },
      });
    };
    if (tx) return run(tx); // the caller's transaction: reading through this.db here would deadlock PGlite
    await this.db.transaction(run);
    return this.getYear(year);
  }

  async setDay(actor: Actor, input: CalendarDayInput): Promise<CalendarYearView> {
    requirePermission(actor, 'calendar:write');
    validateDay(input, yearOf(input.date), 'date');
    await this.db.transaction(async (tx) => {
      if (!(await this.repo.year(tx, yearOf(input.date)))) {
        throw new DomainError(
          'CALENDAR_YEAR_UNPUBLISHED',
          { zh: `${yearOf(input.date)} 年工作日历尚未发布，请先发布该年度`, en: `Publish the ${yearOf(input.date)} calendar first` },
          { kind: 'rule' },
        );
      }
      const before = (await this.repo.day(tx, input.date)) ?? null;
      await this.repo.upsertDays(tx, [input]);
      await this.audit.record(tx, actor, {
        action: 'calendar.set_day',
        entityType: 'calendar_day',
        entityId: input.date,
        before,
        after: input,
      });
    });
    return this.getYear(yearOf(input.date));
  }

  async removeDay(actor: Actor, date: IsoDate): Promise<CalendarYearView> {
    requirePermission(actor, 'calendar:write');
    if (!isIsoDate(date)) throw invalidField('date', '日期格式应为 YYYY-MM-DD', 'must be a date YYYY-MM-DD');
    await this.db.transaction(async (tx) => {
      const before = await this.repo.day(tx, date);
      if (!before)
        throw new DomainError('NOT_FOUND', { zh: `${date} 不是特殊日期`, en: `${date} is not an exception day` }, { kind: 'not_found' });
      await this.repo.deleteDay(tx, date);
      await this.audit.record(tx, actor, {
        action: 'calendar.remove_day',
        entityType: 'calendar_day',
        entityId: date,
        before,
        after: null,
      });
    });
    return this.getYear(yearOf(date));
  }
}

function computation(from: IsoDate, days: number, computed: ComputedDate): ComputationView {
  return {
    from,
    days,
    result: computed.date,
    provisional: computed.provisional,
    provisionalYears: computed.provisionalYears,
    provisionalReason: provisionalReason(computed.provisionalYears)?.zh ?? null,
  };
}

function validateDay(d: CalendarDayInput, year: number, field: string) {
  if (!isIsoDate(d.date)) throw invalidField(field, `${d.date} 不是有效日期`, `${d.date} is not a valid date`);
  // A year's notice may name days just across the new year (元旦 starting on 31 December).
  if (d.date < `${year - 1}-12-01` || d.date > `${year + 1}-01-31`) {
    throw invalidField(field, `${d.date} 不属于 ${year} 年度安排`, `${d.date} is not part of the ${year} arrangement`);
  }
  if (!d.name.trim()) throw invalidField(`${field}.name`, '名称不能为空', 'name must not be empty');
}
