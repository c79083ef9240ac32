import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { CommonErrors } from '../../common/schemas.js';
import { actorOf } from '../auth/auth.hooks.js';
import {
  ChannelIdParam,
  ChannelListView,
  ChannelsQuery,
  ChannelView,
  CreateChannelBody,
  OutboxItemView,
  OutboxListView,
  OutboxQuery,
  RemindersStatusView,
  UpdateChannelBody,
} from './notify.schemas.js';

type App = Parameters<FastifyPluginAsyncTypebox>[0];

/** Reminders (ADR 0018): channels of one's region and below, the outbox, a test send. */
export const notifyRoutes: FastifyPluginAsyncTypebox = async (app) => {
  channelRoutes(app);
  outboxRoutes(app);
};

/** Whether reminders are on; the outbox; a test send. */
function outboxRoutes(app: App): void {
  const notify = app.services.notify;

  app.get(
    '/notify/status',
    {
      schema: {
        tags: ['notify'],
        summary: '提醒是否开启及其设置 Whether reminders are on',
        response: { 200: RemindersStatusView, ...CommonErrors },
      },
      config: { access: 'users:write' },
    },
    async (request) => notify.status(actorOf(request)),
  );

  app.post(
    '/notify/channels/:id/test',
    {
      schema: {
        tags: ['notify'],
        summary: '发送测试消息 Send a test message now',
        description: 'Refused (422 REMINDERS_OFF) while reminders are off: nothing is sent then.',
        params: ChannelIdParam,
        response: { 200: OutboxItemView, ...CommonErrors },
      },
      config: { access: 'users:write' },
    },
    async (request) => notify.sendTest(actorOf(request), request.params.id),
  );

  app.get(
    '/notify/outbox',
    {
      schema: {
        tags: ['notify'],
        summary: '最近的提醒发送记录 Recent outbox of my channels',
        querystring: OutboxQuery,
        response: { 200: OutboxListView, ...CommonErrors },
      },
      config: { access: 'users:write' },
    },
    async (request) => notify.outbox(actorOf(request), request.query),
  );
}

/** The channels of one's region and below: list, create, change / disable. */
function channelRoutes(app: App): void {
  const notify = app.services.notify;

  app.get(
    '/notify/channels',
    {
      schema: {
        tags: ['notify'],
        summary: '本辖区的提醒通道 Notification channels of my region and below',
        description: 'The DingTalk signing secret is never answered (hasSecret says whether one is set).',
        querystring: ChannelsQuery,
        response: { 200: ChannelListView, ...CommonErrors },
      },
      config: { access: 'users:write' },
    },
    async (request) => notify.channels.list(actorOf(request), request.query.regionCode),
  );

  app.post(
    '/notify/channels',
    {
      schema: {
        tags: ['notify'],
        summary: '新增提醒通道 Add a notification channel',
        body: CreateChannelBody,
        response: { 200: ChannelView, ...CommonErrors },
      },
      config: { access: 'users:write' },
    },
    async (request) => notify.channels.create(actorOf(request), request.body),
  );

  app.patch(
    '/notify/channels/:id',
    {
      schema: {
        tags: ['notify'],
        summary: '修改、停用或启用提醒通道 Change, disable or enable a channel',
        params: ChannelIdParam,
        body: UpdateChannelBody,
        response: { 200: ChannelView, ...CommonErrors },
      },
      config: { access: 'users:write' },
    },
    async (request) => notify.channels.update(actorOf(request), request.params.id, request.body),
  );
}
