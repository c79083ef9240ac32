import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ErrorResponse, IsoDateString } from '../../common/schemas.js';
import { actorOf } from '../auth/auth.hooks.js';
import { provisionalReason } from './calendar.rules.js';

const Day = Type.Object({ date: IsoDateString, isOffDay: Type.Boolean(), name: Type.String({ minLength: 1, maxLength: 40 }) }, { additionalProperties: false });
const YearFields = {
  year: Type.Integer(),
  published: Type.Boolean({ description: '国务院节假日安排已录入 The State Council notice is entered' }),
  provisional: Type.Boolean({ description: '未录入时按法定节假日推算（暂定） Not entered: statutory holidays and weekends only, provisional' }),
  provisionalReason: Type.Union([Type.String(), Type.Null()]),
  statutorySource: Type.String({ description: '适用的法定节假日依据 The statutory holiday law governing the year' }),
  source: Type.Union([Type.String(), Type.Null()]),
  publishedAt: Type.Union([Type.String(), Type.Null()]),
  days: Type.Array(Type.Object({ date: Type.String(), isOffDay: Type.Boolean(), name: Type.String() })),
};
const YearView = Type.Object(YearFields);
const MovedDueDate = Type.Object({
  kind: Type.String(), kindLabel: Type.String(), id: Type.Integer(), title: Type.String(), regionPath: Type.String(),
  before: Type.String(), after: Type.String(), moved: Type.Boolean(), provisional: Type.Boolean(), link: Type.String(),
});
const NoticeBody = Type.Object({ source: Type.Union([Type.String({ maxLength: 500 }), Type.Null()]), days: Type.Array(Day, { maxItems: 120 }) }, { additionalProperties: false });
const CalendarYearParam = Type.Object({ year: Type.Integer({ minimum: 2000, maximum: 2100 }) });
const Computation = Type.Object({
  from: Type.String(), days: Type.Integer(), result: Type.String(),
  provisional: Type.Boolean({ description: '经过未录入节假日安排的年度，结果为暂定 Runs through a year whose notice is not entered' }),
  provisionalYears: Type.Array(Type.Integer()),
  provisionalReason: Type.Union([Type.String(), Type.Null()]),
});
const ComputationQuery = Type.Object({ from: IsoDateString, days: Type.Integer({ minimum: 0, maximum: 366 }) });

export const calendarRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const calendar = app.services.calendar;

  app.get('/calendar', {
    schema: { tags: ['calendar'], summary: '已发布的年度 Published years', response: { 200: Type.Object({ items: Type.Array(Type.Object({ year: Type.Integer(), source: Type.Union([Type.String(), Type.Null()]), publishedAt: Type.String() })) }) } },
    config: { access: 'calendar:read' },
  }, async () => ({ items: await calendar.listYears() }));

  app.get('/calendar/:year', {
    schema: { tags: ['calendar'], summary: '年度工作日历 A year\'s holidays and make-up workdays', params: CalendarYearParam, response: { 200: YearView } },
    config: { access: 'calendar:read' },
  }, async (request) => calendar.getYear(request.params.year));

  app.post('/calendar/:year/preview', {
    schema: {
      tags: ['calendar'], summary: '预览录入节假日安排：将调整的期限 Preview entering a notice: the due dates that would move', params: CalendarYearParam,
      body: NoticeBody,
      response: { 200: Type.Object({ year: Type.Integer(), days: YearFields.days, dueDates: Type.Array(MovedDueDate) }), 400: ErrorResponse },
    },
    config: { access: 'calendar:write' },
  }, async (request) => app.services.holidayNotices.preview(actorOf(request), request.params.year, request.body.days));

  app.post('/calendar/:year/publish', {
    schema: {
      tags: ['calendar'],
      summary: '发布年度节假日安排 Enter a year\'s State Council holiday notice',
      description: '法定节假日不得安排为工作日（《全国年节及纪念日放假办法》第二条）；按暂定日历计算的未结期限随之重算，变动的期限记入审计并通知相关单位。 A statutory holiday may not be made a working day; open due dates computed provisionally through the year are recomputed, and those that move are audited and sent to the offices concerned.',
      params: CalendarYearParam,
      body: NoticeBody,
      response: { 200: Type.Object({ ...YearFields, dueDates: Type.Array(MovedDueDate) }), 400: ErrorResponse, 409: ErrorResponse },
    },
    config: { access: 'calendar:write' },
  }, async (request) => app.services.holidayNotices.publish(actorOf(request), request.params.year, request.body.source, request.body.days));

  app.put('/calendar/days/:date', {
    schema: {
      tags: ['calendar'], summary: '设置特殊日期 Set a rest day or make-up workday', params: Type.Object({ date: IsoDateString }),
      body: Type.Object({ isOffDay: Type.Boolean(), name: Type.String({ minLength: 1, maxLength: 40 }) }, { additionalProperties: false }),
      response: { 200: YearView, 400: ErrorResponse, 422: ErrorResponse },
    },
    config: { access: 'calendar:write' },
  }, async (request) => calendar.setDay(actorOf(request), { date: request.params.date, ...request.body }));

  app.delete('/calendar/days/:date', {
    schema: { tags: ['calendar'], summary: '删除特殊日期 Remove an exception day', params: Type.Object({ date: IsoDateString }), response: { 200: YearView, 404: ErrorResponse } },
    config: { access: 'calendar:write' },
  }, async (request) => calendar.removeDay(actorOf(request), request.params.date));

  app.get('/calendar/add-workdays', {
    schema: { tags: ['calendar'], summary: '顺延 N 个工作日 The N-th working day after a date', querystring: ComputationQuery, response: { 200: Computation, 422: ErrorResponse } },
    config: { access: 'calendar:read' },
  }, async (request) => {
    const computed = await calendar.addWorkdaysDetailed(request.query.from, request.query.days);
    return { from: request.query.from, days: request.query.days, result: computed.date, provisional: computed.provisional, provisionalYears: computed.provisionalYears, provisionalReason: provisionalReason(computed.provisionalYears)?.zh ?? null };
  });

  app.get('/calendar/window-end', {
    schema: { tags: ['calendar'], summary: '期间届满日（民法典第201、203条） End of a period by the Civil Code', querystring: Type.Object({ from: IsoDateString, days: Type.Integer({ minimum: 1, maximum: 366 }) }), response: { 200: Computation, 422: ErrorResponse } },
    config: { access: 'calendar:read' },
  }, async (request) => {
    const computed = await calendar.windowEndDetailed(request.query.from, request.query.days);
    return { from: request.query.from, days: request.query.days, result: computed.date, provisional: computed.provisional, provisionalYears: computed.provisionalYears, provisionalReason: provisionalReason(computed.provisionalYears)?.zh ?? null };
  });
};
