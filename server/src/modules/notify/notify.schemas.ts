import { Type, type Static } from 'typebox';
import { IsoDate, Literals, Nullable, RegionCode, RowId, Text } from '../../common/schemas.js';
import { CHANNEL_KINDS, OUTBOX_KINDS, OUTBOX_STATUSES } from './notify.rules.js';

export const ChannelKind = Literals(CHANNEL_KINDS, 'email 电子邮件 | wecom 企业微信群机器人 | dingtalk 钉钉群机器人');

/** A channel as the API answers it: the DingTalk secret is never answered, only whether one is set. */
export const ChannelView = Type.Object({
  id: RowId(),
  regionCode: Type.String(),
  regionName: Type.String(),
  kind: ChannelKind,
  kindLabel: Type.String(),
  name: Type.String(),
  target: Type.String({ description: '邮箱地址（逗号分隔）或机器人 Webhook 地址' }),
  hasSecret: Type.Boolean({ description: '已设置钉钉加签密钥（密钥本身从不返回）' }),
  enabled: Type.Boolean(),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});
export type ChannelView = Static<typeof ChannelView>;

export const ChannelListView = Type.Object({ items: Type.Array(ChannelView) });
export type ChannelListView = Static<typeof ChannelListView>;

export const ChannelsQuery = Type.Object({
  regionCode: Type.Optional(RegionCode('只看该区划及以下的通道')),
});

export const CreateChannelBody = Type.Object(
  {
    regionCode: RegionCode('通道所属区划（本辖区及以下）'),
    kind: ChannelKind,
    name: Text(64, 1, '通道名称，如"区民政局工作群"'),
    target: Text(2000, 1, '邮箱地址（逗号分隔，最多 20 个）或机器人 Webhook 地址'),
    secret: Type.Optional(Nullable(Text(200, 1, '钉钉机器人加签密钥（SEC 开头），仅钉钉'))),
    enabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type CreateChannelBody = Static<typeof CreateChannelBody>;

export const UpdateChannelBody = Type.Object(
  {
    name: Type.Optional(Text(64)),
    target: Type.Optional(Text(2000)),
    secret: Type.Optional(Nullable(Text(200, 1, '新的加签密钥；null 清除；省略则不变'))),
    enabled: Type.Optional(Type.Boolean({ description: 'false 停用通道（不再发送），true 重新启用' })),
  },
  { additionalProperties: false },
);
export type UpdateChannelBody = Static<typeof UpdateChannelBody>;

export const ChannelIdParam = Type.Object({ id: RowId() });

export const OutboxItemView = Type.Object({
  id: RowId(),
  channelId: RowId(),
  channelName: Type.String(),
  channelKind: ChannelKind,
  regionName: Type.String(),
  kind: Literals(OUTBOX_KINDS),
  kindLabel: Type.String(),
  businessDate: IsoDate('业务日期'),
  subject: Type.String(),
  status: Literals(OUTBOX_STATUSES),
  statusLabel: Type.String(),
  attempts: Type.Integer(),
  nextAttemptAt: Type.String({ format: 'date-time' }),
  lastError: Nullable(Type.String()),
  sentAt: Nullable(Type.String({ format: 'date-time' })),
  createdAt: Type.String({ format: 'date-time' }),
});
export type OutboxItemView = Static<typeof OutboxItemView>;

export const OutboxListView = Type.Object({ items: Type.Array(OutboxItemView) });
export type OutboxListView = Static<typeof OutboxListView>;

export const OutboxQuery = Type.Object({
  channelId: Type.Optional(RowId()),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
});

export const RemindersStatusView = Type.Object({
  enabled: Type.Boolean({ description: '提醒已开启（REMINDERS=on）' }),
  digestHour: Type.Integer({ description: '每日汇总的发送时刻（北京时间，时）' }),
  intervalMinutes: Type.Integer(),
  emailConfigured: Type.Boolean({ description: '已配置 SMTP_URL' }),
  publicBaseUrl: Type.String(),
});
export type RemindersStatusView = Static<typeof RemindersStatusView>;

export const RunResultView = Type.Object({
  enqueued: Type.Integer(),
  sent: Type.Integer(),
  failed: Type.Integer(),
});
export type RunResultView = Static<typeof RunResultView>;
