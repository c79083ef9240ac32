import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Popconfirm, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { errorMessage } from '../../api/client';
import { PageTitle } from '../../components/PageTitle';
import { StatusTag } from '../../components/StatusTag';
import { notifyApi, notifyKeys, OUTBOX_STATUS_COLORS, type Channel } from './api';
import { ChannelFormModal } from './ChannelFormModal';

const time = (iso: string | null) => (iso ? new Date(iso).toLocaleString('zh-CN', { hour12: false }) : '—');

/** 提醒设置: the channels of one's region and below, a test send, and the recent outbox (ADR 0018). */
export default function NotifyPage() {
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState<Channel | null | 'new'>(null);
  const status = useQuery({ queryKey: notifyKeys.status(), queryFn: ({ signal }) => notifyApi.status(signal) });
  const channels = useQuery({ queryKey: notifyKeys.channels(), queryFn: ({ signal }) => notifyApi.channels(signal) });
  const outbox = useQuery({ queryKey: notifyKeys.outbox(), queryFn: ({ signal }) => notifyApi.outbox(signal) });
  const refresh = () => void queryClient.invalidateQueries({ queryKey: notifyKeys.all });
  const onError = (error: unknown) => void message.error(errorMessage(error));
  const disable = useMutation({
    mutationFn: (c: Channel) => notifyApi.update(c.id, { enabled: !c.enabled }),
    onSuccess: (c) => {
      void message.success(c.enabled ? '已启用' : '已停用');
      refresh();
    },
    onError,
  });
  const test = useMutation({
    mutationFn: (c: Channel) => notifyApi.test(c.id),
    onSuccess: (row) => {
      if (row.status === 'sent') void message.success('测试消息已发送');
      else void message.warning(`测试消息未发出：${row.lastError ?? row.statusLabel}`);
      refresh();
    },
    onError,
  });

  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="large">
      <PageTitle
        title="提醒设置"
        extra={
          <Button type="primary" onClick={() => setEditing('new')}>
            新增通道
          </Button>
        }
      >
        <Typography.Text type="secondary">
          每个工作日 {status.data?.digestHour ?? 8}{' '}
          时起发送本区划各账号的待办汇总；两个工作日内到期或已逾期的事项另行即时提醒，每项只发一次。
        </Typography.Text>
      </PageTitle>
      {status.data && !status.data.enabled && (
        <Alert
          type="warning"
          showIcon
          title="提醒功能未开启"
          description="服务器设置环境变量 REMINDERS=on 后才会发送提醒（见 README“配置”）。"
        />
      )}
      {status.data?.enabled && !status.data.emailConfigured && (
        <Alert type="info" showIcon title="未配置邮件服务器（SMTP_URL），邮件通道无法发送；企业微信、钉钉机器人不受影响。" />
      )}
      <Card title="提醒通道">
        <Table
          rowKey="id"
          loading={channels.isLoading}
          dataSource={channels.data?.items ?? []}
          pagination={false}
          locale={{ emptyText: '尚未设置提醒通道' }}
          columns={[
            { title: '名称', dataIndex: 'name' },
            { title: '区划', dataIndex: 'regionName' },
            { title: '类型', dataIndex: 'kindLabel' },
            {
              title: '接收地址',
              dataIndex: 'target',
              render: (v: string, c) => (
                <Typography.Text ellipsis={{ tooltip: v }} style={{ maxWidth: 320 }}>
                  {v}
                  {c.hasSecret && <Tag style={{ marginLeft: 8 }}>已加签</Tag>}
                </Typography.Text>
              ),
            },
            { title: '状态', dataIndex: 'enabled', render: (v: boolean) => (v ? <Tag color="green">启用</Tag> : <Tag>已停用</Tag>) },
            {
              title: '操作',
              key: 'actions',
              render: (_, c) => (
                <Space size="small" wrap>
                  <Button size="small" onClick={() => setEditing(c)}>
                    编辑
                  </Button>
                  <Tooltip title={status.data?.enabled ? '立即向该通道发送一条测试消息' : '提醒功能未开启'}>
                    <Button
                      size="small"
                      disabled={!status.data?.enabled || !c.enabled}
                      loading={test.isPending && test.variables?.id === c.id}
                      onClick={() => test.mutate(c)}
                    >
                      发送测试
                    </Button>
                  </Tooltip>
                  {c.enabled ? (
                    <Popconfirm
                      title={`停用通道"${c.name}"？`}
                      description="停用后不再向该通道发送任何提醒，未发出的消息将记为发送失败。"
                      okText="停用"
                      cancelText="取消"
                      okButtonProps={{ danger: true }}
                      onConfirm={() => disable.mutate(c)}
                    >
                      <Button size="small" danger>
                        停用
                      </Button>
                    </Popconfirm>
                  ) : (
                    <Button size="small" onClick={() => disable.mutate(c)}>
                      启用
                    </Button>
                  )}
                </Space>
              ),
            },
          ]}
        />
      </Card>
      <Card title="最近发送记录">
        <Table
          rowKey="id"
          loading={outbox.isLoading}
          dataSource={outbox.data?.items ?? []}
          pagination={{ pageSize: 10, hideOnSinglePage: true }}
          locale={{ emptyText: '暂无发送记录' }}
          columns={[
            { title: '业务日期', dataIndex: 'businessDate' },
            { title: '通道', dataIndex: 'channelName' },
            { title: '类别', dataIndex: 'kindLabel' },
            { title: '标题', dataIndex: 'subject' },
            {
              title: '状态',
              dataIndex: 'status',
              render: (v: string, r) => <StatusTag status={v} label={r.statusLabel} colors={OUTBOX_STATUS_COLORS} />,
            },
            { title: '尝试次数', dataIndex: 'attempts' },
            { title: '发送时间', dataIndex: 'sentAt', render: time },
            { title: '最近错误', dataIndex: 'lastError', render: (v: string | null) => v ?? '—' },
          ]}
        />
      </Card>
      {editing !== null && <ChannelFormModal open channel={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
    </Space>
  );
}
