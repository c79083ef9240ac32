/** Labels of reminders shown by the console (generated into web/src/api/labels.gen.ts). ADR 0018. */

/** The kinds of channel. */
export const CHANNEL_KIND_LABELS = { email: '电子邮件', wecom: '企业微信群机器人', dingtalk: '钉钉群机器人' } as const;

/** The kinds of message in the outbox. */
export const OUTBOX_KIND_LABELS = { digest: '每日待办汇总', immediate: '临期/逾期提醒', test: '测试消息' } as const;

/** The states of a message in the outbox. */
export const OUTBOX_STATUS_LABELS = { pending: '待发送', sending: '发送中', sent: '已发送', failed: '发送失败' } as const;
