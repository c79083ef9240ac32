import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Space, Table, Tag, Typography } from 'antd';
import { PageTitle } from '../../components/PageTitle';
import { notifyApi, notifyKeys, type Channel } from './api';
import { ChannelActions } from './ChannelActions';
import { ChannelFormModal } from './ChannelFormModal';
import { OutboxCard } from './OutboxCard';

/** 提醒设置: the channels of one's region and below, a test send, and the recent outbox (ADR 0018). */
export default function NotifyPage() {
  const [editing, setEditing] = useState<Channel | null | 'new'>(null);
  const status = useQuery({ queryKey: notifyKeys.status(), queryFn: ({ signal }) => notifyApi.status(signal) });
  const channels = useQuery({ queryKey: notifyKeys.channels(), queryFn: ({ signal }) => notifyApi.channels(signal) });
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
              render: (_, c) => <ChannelActions channel={c} remindersOn={!!status.data?.enabled} onEdit={() => setEditing(c)} />,
            },
          ]}
        />
      </Card>
      <OutboxCard />
      {editing !== null && <ChannelFormModal open channel={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
    </Space>
  );
}
