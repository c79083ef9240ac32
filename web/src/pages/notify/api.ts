import { client, data } from '../../api/client';
import type { ApiBody, ApiResponse, Item } from '../../api/paths';

/** Types of the reminders API (server/src/modules/notify), from the generated schema. */
export type ChannelList = ApiResponse<'/api/notify/channels', 'get'>;
export type Channel = Item<ChannelList['items']>;
export type ChannelCreate = ApiBody<'/api/notify/channels', 'post'>;
export type ChannelPatch = ApiBody<'/api/notify/channels/{id}', 'patch'>;
export type OutboxList = ApiResponse<'/api/notify/outbox', 'get'>;
export type OutboxItem = Item<OutboxList['items']>;
export type RemindersStatus = ApiResponse<'/api/notify/status', 'get'>;

export const notifyKeys = {
  all: ['notify'] as const,
  status: () => ['notify', 'status'] as const,
  channels: () => ['notify', 'channels'] as const,
  outbox: () => ['notify', 'outbox'] as const,
};

const id = (channelId: number) => ({ path: { id: channelId } });

export const notifyApi = {
  status: (signal?: AbortSignal) => data(client.GET('/api/notify/status', { signal })),
  channels: (signal?: AbortSignal) => data(client.GET('/api/notify/channels', { signal })),
  create: (body: ChannelCreate) => data(client.POST('/api/notify/channels', { body })),
  update: (channelId: number, body: ChannelPatch) => data(client.PATCH('/api/notify/channels/{id}', { params: id(channelId), body })),
  test: (channelId: number) => data(client.POST('/api/notify/channels/{id}/test', { params: id(channelId) })),
  outbox: (signal?: AbortSignal) => data(client.GET('/api/notify/outbox', { params: { query: { limit: 50 } }, signal })),
};

/** Colours of the outbox states (labels come from the server: statusLabel). */
export const OUTBOX_STATUS_COLORS: Record<string, string> = { pending: 'blue', sending: 'processing', sent: 'green', failed: 'red' };
