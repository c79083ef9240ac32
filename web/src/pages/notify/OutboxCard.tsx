import { useQuery } from '@tanstack/react-query';
import { Card, Table } from 'antd';
import { StatusTag } from '../../components/StatusTag';
import { notifyApi, notifyKeys, OUTBOX_STATUS_COLORS } from './api';

const time = (iso: string | null) => (iso ? new Date(iso).toLocaleString('zh-CN', { hour12: false }) : '—');

/** 最近发送记录: the outbox of the channels of one's region, with each message's attempts and last error. */
export function OutboxCard() {
  const outbox = useQuery({ queryKey: notifyKeys.outbox(), queryFn: ({ signal }) => notifyApi.outbox(signal) });
  return (
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
  );
}
