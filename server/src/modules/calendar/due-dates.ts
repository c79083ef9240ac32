import type { Executor } from '../../db/client.js';
import type { IsoDate } from '../../common/dates.js';
import { addWorkdaysDetailed, windowEndDetailed, type ComputedDate, type WorkCalendar } from './calendar.rules.js';

/** The due dates the calendar computes and other modules store. */
export const DUE_DATE_KINDS = ['plan_review', 'notice_window', 'finding_deadline'] as const;
export type DueDateKind = (typeof DUE_DATE_KINDS)[number];

export const DUE_DATE_KIND_LABELS: Record<DueDateKind, string> = {
  plan_review: '街道初审期限',
  notice_window: '决策公示期届满日',
  finding_deadline: '问题整改期限',
};

/** Who is told when a due date of this kind moves (besides anyone above them who looks). */
export const DUE_DATE_CONCERNS: Record<DueDateKind, readonly string[]> = {
  plan_review: ['street_office', 'community', 'district_bureau'],
  notice_window: ['community', 'street_office'],
  finding_deadline: ['community', 'street_office', 'district_bureau', 'city_bureau'],
};

/** An open item whose stored due date ran through a year whose holiday notice was not entered. */
export interface ProvisionalDueDate {
  kind: DueDateKind;
  id: number;
  title: string;
  regionPath: string;
  /** The day the count starts from (submission, posting, finding). */
  from: IsoDate;
  /** Working days after `from` [N 3.1.2(2)], or a Civil Code period of days ending on a working day [N 3.1.2(1)]. */
  rule: 'workdays' | 'period';
  days: number;
  dueOn: IsoDate;
  link: string;
}

/**
 * A module that stores due dates computed by the calendar: it lists its open provisional ones
 * and stores a recomputed one. Declared here, implemented by the owning modules, and passed to
 * the holiday-notice service at construction.
 */
export interface ProvisionalDueDateSource {
  provisionalDueDates(db: Executor): Promise<ProvisionalDueDate[]>;
  rescheduleDueDate(db: Executor, item: ProvisionalDueDate, due: ComputedDate): Promise<void>;
}

/** The due date of an item by a calendar (pure). */
export function recompute(calendar: WorkCalendar, item: ProvisionalDueDate): ComputedDate {
  return item.rule === 'workdays' ? addWorkdaysDetailed(calendar, item.from, item.days) : windowEndDetailed(calendar, item.from, item.days);
}
