import { Type, type Static } from 'typebox';
import { IsoDateString, Nullable } from '../../common/schemas.js';
import { DUE_DATE_KINDS } from './due-dates.js';

/** A day of a State Council notice as entered: a rest day or a make-up workday, with its name. */
export const NoticeDay = Type.Object(
  { date: IsoDateString, isOffDay: Type.Boolean(), name: Type.String({ minLength: 1, maxLength: 40 }) },
  { additionalProperties: false },
);

/** A day of a year's calendar as shown: rest days and make-up workdays, with names. */
export const CalendarDayView = Type.Object({ date: Type.String(), isOffDay: Type.Boolean(), name: Type.String() });
export type CalendarDayView = Static<typeof CalendarDayView>;

const YearFields = {
  year: Type.Integer(),
  published: Type.Boolean({ description: '国务院节假日安排已录入 The State Council notice is entered' }),
  provisional: Type.Boolean({
    description: '未录入时按法定节假日推算（暂定） Not entered: statutory holidays and weekends only, provisional',
  }),
  provisionalReason: Nullable(Type.String()),
  statutorySource: Type.String({ description: '适用的法定节假日依据 The statutory holiday law governing the year' }),
  source: Nullable(Type.String()),
  publishedAt: Nullable(Type.String()),
  days: Type.Array(CalendarDayView),
};

/** A year's calendar: the entered notice, or the provisional statutory rest days while it is not entered. */
export const CalendarYearView = Type.Object(YearFields);
export type CalendarYearView = Static<typeof CalendarYearView>;

export const PublishedYearView = Type.Object({ year: Type.Integer(), source: Nullable(Type.String()), publishedAt: Type.String() });
export type PublishedYearView = Static<typeof PublishedYearView>;

export const PublishedYearListView = Type.Object({ items: Type.Array(PublishedYearView) });

/** A due date that moves (or stops being provisional) when a year's notice is entered. */
export const MovedDueDateView = Type.Object({
  kind: Type.Enum([...DUE_DATE_KINDS], { description: '期限种类 kind of due date' }),
  kindLabel: Type.String(),
  id: Type.Integer(),
  title: Type.String(),
  regionPath: Type.String(),
  before: Type.String(),
  after: Type.String(),
  moved: Type.Boolean(),
  /** Still provisional: the new date runs through a later year that is not entered either. */
  provisional: Type.Boolean(),
  link: Type.String(),
});
export type MovedDueDateView = Static<typeof MovedDueDateView>;

export const NoticePreviewView = Type.Object({
  year: Type.Integer(),
  days: Type.Array(CalendarDayView),
  dueDates: Type.Array(MovedDueDateView),
});
export type NoticePreviewView = Static<typeof NoticePreviewView>;

export const PublishedNoticeView = Type.Object({ ...YearFields, dueDates: Type.Array(MovedDueDateView) });
export type PublishedNoticeView = Static<typeof PublishedNoticeView>;

export const NoticeBody = Type.Object(
  { source: Nullable(Type.String({ maxLength: 500 })), days: Type.Array(NoticeDay, { maxItems: 120 }) },
  { additionalProperties: false },
);

export const CalendarYearParam = Type.Object({ year: Type.Integer({ minimum: 2000, maximum: 2100 }) });

export const DateParam = Type.Object({ date: IsoDateString });

export const SetDayBody = Type.Object(
  { isOffDay: Type.Boolean(), name: Type.String({ minLength: 1, maxLength: 40 }) },
  { additionalProperties: false },
);

/** The answer of a working-day computation, flagged provisional when it ran through an unpublished year. */
export const ComputationView = Type.Object({
  from: Type.String(),
  days: Type.Integer(),
  result: Type.String(),
  provisional: Type.Boolean({ description: '经过未录入节假日安排的年度，结果为暂定 Runs through a year whose notice is not entered' }),
  provisionalYears: Type.Array(Type.Integer()),
  provisionalReason: Nullable(Type.String()),
});
export type ComputationView = Static<typeof ComputationView>;

export const AddWorkdaysQuery = Type.Object({ from: IsoDateString, days: Type.Integer({ minimum: 0, maximum: 366 }) });

export const WindowEndQuery = Type.Object({ from: IsoDateString, days: Type.Integer({ minimum: 1, maximum: 366 }) });
