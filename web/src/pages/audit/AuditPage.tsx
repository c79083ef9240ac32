import { useState } from 'react';
import { useInfiniteQuery, useMutation } from '@tanstack/react-query';
import { Alert, Button, Col, Form, Input, Row, Select, Space, Tag, Typography } from 'antd';
import { ReloadOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { auditApi } from '../../api/endpoints';
import type { AuditEvent, AuditEventsQuery } from '../../api/endpoints';
import { ErrorAlert } from '../../components/ErrorView';
import { QueryTable } from '../../components/QueryTable';
import { JsonBlock } from '../../components/JsonBlock';
import { PageTitle } from '../../components/PageTitle';
import { dateTimeText } from '../../utils/format';
import { AUDIT_ACTION_LABELS, AUDIT_ENTITY_LABELS, labelOf, labelOptions } from '../../api/labels';

const PAGE = 50;

interface Filters {
  entityType?: string;
  entityId?: string;
}

export default function AuditPage() {
  const [filters, setFilters] = useState<Filters>({});
  const events = useInfiniteQuery({
    queryKey: ['audit', 'events', filters],
    initialPageParam: undefined as number | undefined,
    queryFn: ({ pageParam, signal }) => {
      const query: AuditEventsQuery = { limit: PAGE, beforeSeq: pageParam, ...filters };
      return auditApi.events(query, signal);
    },
    getNextPageParam: (last) => {
      if (last.items.length < PAGE) return undefined;
      return Math.min(...last.items.map((e) => e.seq));
    },
  });
  const verify = useMutation({ mutationFn: () => auditApi.verify() });
  const rows = events.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <>
      <PageTitle
        title="审计日志"
        extra={
          <>
            <Button icon={<ReloadOutlined />} onClick={() => void events.refetch()} loading={events.isRefetching}>
              刷新
            </Button>
            <Button type="primary" icon={<SafetyCertificateOutlined />} loading={verify.isPending} onClick={() => verify.mutate()}>
              校验链
            </Button>
          </>
        }
      >
        <Typography.Text type="secondary">每条记录以哈希链相连，任何篡改都会使校验失败</Typography.Text>
      </PageTitle>

      <Space orientation="vertical" size={16} style={{ width: '100%' }}>
        {verify.isError && <ErrorAlert error={verify.error} title="校验失败" />}
        {verify.data &&
          (verify.data.ok ? (
            <Alert
              type="success"
              showIcon
              closable={{ onClose: () => verify.reset() }}
              title={`审计链完整：共 ${verify.data.count} 条记录，校验通过（OK）`}
              description={
                verify.data.headHash ? <span style={{ wordBreak: 'break-all' }}>链头哈希：{verify.data.headHash}</span> : undefined
              }
            />
          ) : (
            <Alert
              type="error"
              showIcon
              title={`审计链已断裂${verify.data.brokenSeq !== undefined ? `：第 ${verify.data.brokenSeq} 条记录校验失败` : ''}`}
              description={`${verify.data.reason ?? ''}（共检查 ${verify.data.count} 条）`}
            />
          ))}

        <Form<Filters>
          layout="inline"
          onFinish={(v) => setFilters({ entityType: v.entityType?.trim() || undefined, entityId: v.entityId?.trim() || undefined })}
          style={{ rowGap: 8 }}
        >
          <Form.Item name="entityType" label="对象类型">
            <Select
              placeholder="全部"
              allowClear
              showSearch={{ optionFilterProp: 'label' }}
              options={labelOptions(AUDIT_ENTITY_LABELS)}
              style={{ width: 200 }}
            />
          </Form.Item>
          <Form.Item name="entityId" label="对象编号">
            <Input placeholder="如 210102001001" allowClear style={{ width: 180 }} />
          </Form.Item>
          <Form.Item>
            <Button htmlType="submit">筛选</Button>
          </Form.Item>
        </Form>

        {/* Rows already loaded stay in view when loading more fails. */}
        <QueryTable<AuditEvent>
          query={{
            data: { items: rows },
            isPending: events.isPending,
            isError: events.isError && rows.length === 0,
            error: events.error,
            refetch: events.refetch,
          }}
          rowKey="seq"
          size="small"
          pagination={false}
          scroll={{ x: 900 }}
          locale={{ emptyText: '暂无审计记录' }}
          expandable={{
            expandedRowRender: (e) => (
              <Row gutter={16}>
                <Col xs={24} md={12}>
                  <Typography.Text strong>变更前</Typography.Text>
                  <JsonBlock value={e.before} />
                </Col>
                <Col xs={24} md={12}>
                  <Typography.Text strong>变更后</Typography.Text>
                  <JsonBlock value={e.after} />
                </Col>
                <Col span={24} style={{ marginTop: 8 }}>
                  <Typography.Text type="secondary" style={{ fontSize: 12, wordBreak: 'break-all' }}>
                    哈希：{e.hash}
                  </Typography.Text>
                </Col>
              </Row>
            ),
          }}
          columns={[
            { title: '序号', dataIndex: 'seq', width: 80 },
            { title: '时间', dataIndex: 'at', width: 170, render: (at: string) => dateTimeText(at) },
            {
              title: '操作人',
              dataIndex: 'actorName',
              width: 140,
              render: (n: string | null) => (n === null || n === 'system' ? '系统' : n),
            },
            {
              title: '操作',
              dataIndex: 'action',
              width: 200,
              render: (a: string) => <Tag title={a}>{labelOf(AUDIT_ACTION_LABELS, a)}</Tag>,
            },
            {
              title: '对象',
              key: 'entity',
              render: (_: unknown, e) => (
                <span>
                  {labelOf(AUDIT_ENTITY_LABELS, e.entityType)}
                  {/* The installation's events (the demo seed) have a marker, not a number. */}
                  {e.entityType !== 'installation' && <Typography.Text type="secondary"> 编号 {e.entityId}</Typography.Text>}
                </span>
              ),
            },
            { title: '区域路径', dataIndex: 'regionPath', width: 200, render: (p: string | null) => p ?? '—' },
          ]}
        />
        {events.hasNextPage && (
          <div style={{ textAlign: 'center' }}>
            <Button onClick={() => void events.fetchNextPage()} loading={events.isFetchingNextPage}>
              加载更多
            </Button>
          </div>
        )}
      </Space>
    </>
  );
}
