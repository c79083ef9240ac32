import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ErrorResponse, IsoDateString } from '../../common/schemas.js';
import { actorOf } from '../auth/auth.hooks.js';
import { invalidField } from '../../common/errors.js';
import { isIsoDate } from '../../common/dates.js';

const Day = Type.Object({ date: IsoDateString, isOffDay: Type.Boolean(), name: Type.String({ minLength: 1, maxLength: 40 }) }, { additionalProperties: false });
const YearView = Type.Object({
  year: Type.Integer(),
  published: Type.Boolean(),
  source: Type.Union([Type.String(), Type.Null()]),
  publishedAt: Type.Union([Type.String(), Type.Null()]),
  days: Type.Array(Type.Object({ date: Type.String(), isOffDay: Type.Boolean(), name: Type.String() })),
});
const CalendarYearParam = Type.Object({ year: Type.Integer({ minimum: 2000, maximum: 2100 }) });
const Computation = Type.Object({ from: Type.String(), days: Type.Integer(), result: Type.String() });
const ComputationQuery = Type.Object({ from: IsoDateString, days: Type.Integer({ minimum: 0, maximum: 366 }) });

function checkDate(value: string, field: string) {
  if (!isIsoDate(value)) throw invalidField(field, `${value} 不是有效日期`, `${value} is not a valid date`);
}

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

  app.post('/calendar/:year/publish', {
    schema: {
      tags: ['calendar'], summary: '发布年度节假日安排 Enter a year\'s State Council holiday notice', params: CalendarYearParam,
      body: Type.Object({ source: Type.Union([Type.String({ maxLength: 500 }), Type.Null()]), days: Type.Array(Day, { maxItems: 120 }) }, { additionalProperties: false }),
      response: { 200: YearView, 409: ErrorResponse },
    },
    config: { access: 'calendar:write' },
  }, async (request) => calendar.publishYear(actorOf(request), request.params.year, request.body.source, request.body.days));

  app.put('/calendar/days/:date', {
    schema: {
      tags: ['calendar'], summary: '设置特殊日期 Set a rest day or make-up workday', params: Type.Object({ date: IsoDateString }),
      body: Type.Object({ isOffDay: Type.Boolean(), name: Type.String({ minLength: 1, maxLength: 40 }) }, { additionalProperties: false }),
      response: { 200: YearView, 400: ErrorResponse, 422: ErrorResponse },
    },
    config: { access: 'calendar:write' },
  }, async (request) => {
    checkDate(request.params.date, 'date');
    return calendar.setDay(actorOf(request), { date: request.params.date, ...request.body });
  });

  app.delete('/calendar/days/:date', {
    schema: { tags: ['calendar'], summary: '删除特殊日期 Remove an exception day', params: Type.Object({ date: IsoDateString }), response: { 200: YearView, 404: ErrorResponse } },
    config: { access: 'calendar:write' },
  }, async (request) => calendar.removeDay(actorOf(request), request.params.date));

  app.get('/calendar/add-workdays', {
    schema: { tags: ['calendar'], summary: '顺延 N 个工作日 The N-th working day after a date', querystring: ComputationQuery, response: { 200: Computation, 422: ErrorResponse } },
    config: { access: 'calendar:read' },
  }, async (request) => {
    checkDate(request.query.from, 'from');
    return { from: request.query.from, days: request.query.days, result: await calendar.addWorkdays(request.query.from, request.query.days) };
  });

  app.get('/calendar/window-end', {
    schema: { tags: ['calendar'], summary: '期间届满日（民法典第201、203条） End of a period by the Civil Code', querystring: Type.Object({ from: IsoDateString, days: Type.Integer({ minimum: 1, maximum: 366 }) }), response: { 200: Computation, 422: ErrorResponse } },
    config: { access: 'calendar:read' },
  }, async (request) => {
    checkDate(request.query.from, 'from');
    return { from: request.query.from, days: request.query.days, result: await calendar.windowEnd(request.query.from, request.query.days) };
  });
};
