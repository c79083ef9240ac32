import { useState } from 'react';
import { Link } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Form, Input, InputNumber, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import { client as http, data, errorMessage } from '../../api/client';
import { DISCLOSURE_LABELS, DISCLOSURE_STATUS_LABELS } from '../../api/labels';
import type { ApiBody, ApiResponse, Item } from '../../api/paths';
import type { DisclosureItem } from '../portal/api';
import { DateField } from '../../components/DateField';
import { useConfirmAction } from '../../components/ConfirmAction';

type MonitorRow = Item<ApiResponse<'/api/disclosure/monitor', 'get'>['communities']>;
type RecordInput = ApiBody<'/api/disclosure/records', 'post'>;

const STATUS_COLORS: Record<DisclosureItem['status'], string> = {
  published: 'green',
  late: 'orange',
  missing: 'red',
  due: 'blue',
  not_due: 'default',
};
const STATUS = Object.fromEntries(
  (Object.keys(STATUS_COLORS) as DisclosureItem['status'][]).map((k) => [
    k,
    { text: DISCLOSURE_STATUS_LABELS[k], color: STATUS_COLORS[k] },
  ]),
) as Record<DisclosureItem['status'], { text: string; color: string }>;
const RECORDED = (['plan', 'contracts', 'progress', 'midterm', 'final', 'payments'] as const).map((value) => ({
  value,
  label: DISCLOSURE_LABELS[value].label,
}));

/** 信息公开监测 [N 4.2]: each community's required disclosures; late or missing ones flagged; record a disclosure. */
export default function DisclosureMonitorPage() {
  const client = useQueryClient();
  const [year, setYear] = useState<number | undefined>(undefined);
  const [recording, setRecording] = useState<{ code: string; name: string; kind?: string } | null>(null);
  const [form] = Form.useForm<{ kind: RecordInput['kind']; publishedOn: string; title: string; url?: string }>();
  const monitor = useQuery({
    queryKey: ['disclosure-monitor', year],
    queryFn: ({ signal }) => data(http.GET('/api/disclosure/monitor', { params: { query: { year } }, signal })),
  });
  const ask = useConfirmAction();
  const record = useMutation({
    mutationFn: (input: RecordInput) => http.POST('/api/disclosure/records', { body: input }),
    onSuccess: () => {
      setRecording(null);
      void client.invalidateQueries({ queryKey: ['disclosure-monitor'] });
      void client.invalidateQueries({ queryKey: ['todo'] });
    },
  });
  const m = monitor.data;
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="large">
      <Card
        title={
          <>
            信息公开监测{' '}
            {m && (
              <Typography.Text>
                （{m.region.name} · {m.fundYear} 年度 · 今天 {m.today}）
              </Typography.Text>
            )}
          </>
        }
        extra={
          <InputNumber aria-label="资金年度" min={2000} max={2100} value={year ?? m?.fundYear} onChange={(v) => setYear(v ?? undefined)} />
        }
      >
        {monitor.isError && <Alert type="error" showIcon title={errorMessage(monitor.error)} />}
        {m && m.flagged > 0 && (
          <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={`共有 ${m.flagged} 项公开逾期或缺失 [N 4.2]`} />
        )}
        <Table<MonitorRow>
          rowKey="code"
          data-testid="disclosure-monitor"
          loading={monitor.isLoading}
          dataSource={m?.communities ?? []}
          pagination={false}
          scroll={{ x: true }}
          locale={{ emptyText: '本年度暂无需要公开的事项' }}
          columns={[
            {
              title: '社区',
              dataIndex: 'name',
              render: (v: string, r) => (
                <Link to={`/portal/c/${r.code}?year=${m?.fundYear ?? ''}`}>
                  {r.streetName}
                  {v}
                </Link>
              ),
            },
            {
              title: '公开事项',
              dataIndex: 'items',
              render: (items: DisclosureItem[]) => (
                <Space wrap>
                  {items
                    .filter((i) => i.status !== 'not_due')
                    .map((i) => (
                      <Tag
                        key={i.kind}
                        color={STATUS[i.status].color}
                        title={`应于 ${i.dueOn ?? '—'} 前公开；${i.publishedOn ? `${i.publishedOn} 公开` : '尚未公开'}`}
                      >
                        {i.label}：{STATUS[i.status].text}
                      </Tag>
                    ))}
                </Space>
              ),
            },
            { title: '问题', dataIndex: 'flagged', render: (v: number) => (v ? <Tag color="red">{v}</Tag> : <Tag color="green">0</Tag>) },
            {
              title: '',
              key: 'act',
              render: (_, r) => (
                <Button
                  size="small"
                  onClick={() => {
                    setRecording({ code: r.code, name: r.name, kind: r.items.find((i) => i.flagged && i.status === 'missing')?.kind });
                    form.resetFields();
                  }}
                >
                  登记公开
                </Button>
              ),
            },
          ]}
        />
      </Card>
      <Modal
        title={recording ? `登记公开：${recording.name}` : ''}
        open={!!recording}
        onCancel={() => setRecording(null)}
        okText="登记"
        confirmLoading={record.isPending}
        onOk={() => form.submit()}
        destroyOnHidden
      >
        {record.isError && <Alert type="error" showIcon title={errorMessage(record.error)} style={{ marginBottom: 12 }} />}
        <Form
          form={form}
          layout="vertical"
          initialValues={{ kind: recording?.kind, publishedOn: m?.today }}
          onFinish={(v) =>
            recording &&
            m &&
            ask({
              title: '确认登记公开？',
              action: `${recording.name}：${DISCLOSURE_LABELS[v.kind as keyof typeof DISCLOSURE_LABELS] ?? v.kind}于 ${v.publishedOn} 公开（${v.title}）`,
              clause: '[N 4.2]',
              consequence: '登记后计入公开情况并在信息公开平台展示，不能撤销。',
              okText: '登记',
              onOk: () =>
                record.mutateAsync({
                  communityCode: recording.code,
                  fundYear: m.fundYear,
                  kind: v.kind,
                  publishedOn: v.publishedOn,
                  title: v.title,
                  url: v.url || null,
                }),
            })
          }
        >
          <Form.Item label="公开事项" name="kind" rules={[{ required: true, message: '请选择' }]}>
            <Select options={RECORDED} />
          </Form.Item>
          <Form.Item label="公开日期" name="publishedOn" rules={[{ required: true, message: '请选择日期' }]}>
            <DateField />
          </Form.Item>
          <Form.Item label="标题" name="title" rules={[{ required: true, whitespace: true, message: '请填写' }]}>
            <Input maxLength={200} placeholder="例如：服务合同公示（公示栏张贴）" />
          </Form.Item>
          <Form.Item label="链接（可选）" name="url">
            <Input maxLength={1000} placeholder="https://…" />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
