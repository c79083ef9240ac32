import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { CommonErrors } from '../../common/schemas.js';
import { actorOf } from '../auth/auth.hooks.js';
import {
  AddWorkdaysQuery,
  CalendarYearParam,
  CalendarYearView,
  ComputationView,
  DateParam,
  NoticeBody,
  NoticePreviewView,
  PublishedNoticeView,
  PublishedYearListView,
  SetDayBody,
  WindowEndQuery,
} from './calendar.schemas.js';

export const calendarRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const calendar = app.services.calendar;

  app.get(
    '/calendar',
    {
      schema: { tags: ['calendar'], summary: '已发布的年度 Published years', response: { 200: PublishedYearListView, ...CommonErrors } },
      config: { access: 'calendar:read' },
    },
    async () => ({ items: await calendar.listYears() }),
  );

  app.get(
    '/calendar/:year',
    {
      schema: {
        tags: ['calendar'],
        summary: "年度工作日历 A year's holidays and make-up workdays",
        params: CalendarYearParam,
        response: { 200: CalendarYearView, ...CommonErrors },
      },
      config: { access: 'calendar:read' },
    },
    async (request) => calendar.getYear(request.params.year),
  );

  app.post(
    '/calendar/:year/preview',
    {
      schema: {
        tags: ['calendar'],
        summary: '预览录入节假日安排：将调整的期限 Preview entering a notice: the due dates that would move',
        params: CalendarYearParam,
        body: NoticeBody,
        response: { 200: NoticePreviewView, ...CommonErrors },
      },
      config: { access: 'calendar:write' },
    },
    async (request) => app.services.holidayNotices.preview(actorOf(request), request.params.year, request.body.days),
  );

  app.post(
    '/calendar/:year/publish',
    {
      schema: {
        tags: ['calendar'],
        summary: "发布年度节假日安排 Enter a year's State Council holiday notice",
        description:
          '法定节假日不得安排为工作日（《全国年节及纪念日放假办法》第二条）；按暂定日历计算的未结期限随之重算，变动的期限记入审计并通知相关单位。 A statutory holiday may not be made a working day; open due dates computed provisionally through the year are recomputed, and those that move are audited and sent to the offices concerned.',
        params: CalendarYearParam,
        body: NoticeBody,
        response: { 200: PublishedNoticeView, ...CommonErrors },
      },
      config: { access: 'calendar:write' },
    },
    async (request) => app.services.holidayNotices.publish(actorOf(request), request.params.year, request.body.source, request.body.days),
  );

  app.put(
    '/calendar/days/:date',
    {
      schema: {
        tags: ['calendar'],
        summary: '设置特殊日期 Set a rest day or make-up workday',
        params: DateParam,
        body: SetDayBody,
        response: { 200: CalendarYearView, ...CommonErrors },
      },
      config: { access: 'calendar:write' },
    },
    async (request) => calendar.setDay(actorOf(request), { date: request.params.date, ...request.body }),
  );

  app.delete(
    '/calendar/days/:date',
    {
      schema: {
        tags: ['calendar'],
        summary: '删除特殊日期 Remove an exception day',
        params: DateParam,
        response: { 200: CalendarYearView, ...CommonErrors },
      },
      config: { access: 'calendar:write' },
    },
    async (request) => calendar.removeDay(actorOf(request), request.params.date),
  );

  app.get(
    '/calendar/add-workdays',
    {
      schema: {
        tags: ['calendar'],
        summary: '顺延 N 个工作日 The N-th working day after a date',
        querystring: AddWorkdaysQuery,
        response: { 200: ComputationView, ...CommonErrors },
      },
      config: { access: 'calendar:read' },
    },
    async (request) => calendar.addWorkdaysComputation(request.query.from, request.query.days),
  );

  app.get(
    '/calendar/window-end',
    {
      schema: {
        tags: ['calendar'],
        summary: '期间届满日（民法典第201、203条） End of a period by the Civil Code',
        querystring: WindowEndQuery,
        response: { 200: ComputationView, ...CommonErrors },
      },
      config: { access: 'calendar:read' },
    },
    async (request) => calendar.windowEndComputation(request.query.from, request.query.days),
  );
};
