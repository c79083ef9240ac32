import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { Button, Segmented, Select, Space, Table, Tag, Tooltip, Typography, type TableColumnsType } from 'antd';
import { ProvisionalTag } from '../../components/ProvisionalTag';
import type { TodoItem } from '../plans/api';

/** How urgent an item is: overdue, due within two working days, dated, undated (the page's groups). */
export type Urgency = 'overdue' | 'soon' | 'dated' | 'undated';
export const URGENCY_LABELS: Record<Urgency, string> = { overdue: '已逾期', soon: '两个工作日内到期', dated: '有期限', undated: '无期限' };
const URGENCY_COLORS: Record<Urgency, string> = { overdue: 'red', soon: 'volcano', dated: 'blue', undated: 'default' };

export function urgencyOf(i: TodoItem): Urgency {
  if (i.overdue) return 'overdue';
  if (i.workdaysLeft !== null && i.workdaysLeft <= 2) return 'soon';
  return i.dueOn ? 'dated' : 'undated';
}
const ORDER: Urgency[] = ['overdue', 'soon', 'dated', 'undated'];

/** 剩余工作日: red when overdue or two working days or fewer left; 暂定 when counted through an unpublished calendar year. */
function WorkdaysLeft({ item }: { item: TodoItem }) {
  if (item.workdaysLeft === null) return <Typography.Text type="secondary">—</Typography.Text>;
  const tag = item.overdue ? (
    <Tag color="red">已逾期 {Math.abs(item.workdaysLeft)} 个工作日</Tag>
  ) : (
    <Tag color={item.workdaysLeft <= 2 ? 'red' : 'blue'}>{item.workdaysLeft} 个工作日</Tag>
  );
  return (
    <>
      {tag}
      {item.provisional && <ProvisionalTag />}
    </>
  );
}

const COLUMNS: TableColumnsType<TodoItem> = [
  {
    title: '紧急程度',
    key: 'urgency',
    width: 120,
    render: (_, r) => <Tag color={URGENCY_COLORS[urgencyOf(r)]}>{URGENCY_LABELS[urgencyOf(r)]}</Tag>,
  },
  {
    title: '事项',
    dataIndex: 'title',
    render: (v: string, r) => (
      <Space orientation="vertical" size={0}>
        <Tag>{r.kindLabel}</Tag>
        <Typography.Text strong>{v}</Typography.Text>
        <Typography.Text type="secondary">{r.detail}</Typography.Text>
      </Space>
    ),
  },
  { title: '地区', dataIndex: 'regionName', width: 140 },
  {
    title: '期限',
    dataIndex: 'dueOn',
    width: 120,
    render: (v: string | null, r) => (v ? <Typography.Text type={r.overdue ? 'danger' : undefined}>{v}</Typography.Text> : '—'),
  },
  { title: '剩余工作日', dataIndex: 'workdaysLeft', width: 170, render: (_, r) => <WorkdaysLeft item={r} /> },
  {
    title: '依据',
    dataIndex: 'clause',
    width: 120,
    render: (v: string) => (
      <Tooltip title="规定该事项或其期限的条款">
        <Typography.Text code>{v}</Typography.Text>
      </Tooltip>
    ),
  },
  {
    title: '操作',
    key: 'action',
    width: 100,
    fixed: 'right',
    render: (_, r) => (
      <Link to={r.link}>
        <Button type="primary" size="small">
          去办理
        </Button>
      </Link>
    ),
  },
];

/** The to-do list: by urgency (overdue first, then due within two working days), filterable by kind and urgency. */
export function TodoTable({ items, loading }: { items: TodoItem[]; loading: boolean }) {
  const [kind, setKind] = useState<string | undefined>();
  const [urgency, setUrgency] = useState<Urgency | 'all'>('all');
  const kinds = useMemo(() => {
    const seen = new Map<string, { label: string; count: number }>();
    for (const i of items) seen.set(i.kind, { label: i.kindLabel, count: (seen.get(i.kind)?.count ?? 0) + 1 });
    return [...seen.entries()].map(([value, k]) => ({ value, label: `${k.label}（${k.count}）` }));
  }, [items]);
  const shown = useMemo(
    () =>
      items
        .filter((i) => (!kind || i.kind === kind) && (urgency === 'all' || urgencyOf(i) === urgency))
        .sort((a, b) => ORDER.indexOf(urgencyOf(a)) - ORDER.indexOf(urgencyOf(b))),
    [items, kind, urgency],
  );
  const counts = (u: Urgency) => items.filter((i) => urgencyOf(i) === u).length;
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <Segmented
          aria-label="按紧急程度筛选"
          value={urgency}
          onChange={(v) => setUrgency(v as Urgency | 'all')}
          options={[
            { value: 'all', label: `全部（${items.length}）` },
            ...ORDER.map((u) => ({ value: u, label: `${URGENCY_LABELS[u]}（${counts(u)}）` })),
          ]}
        />
        {kinds.length > 1 && (
          <Select
            aria-label="按事项类别筛选"
            allowClear
            placeholder="全部类别"
            style={{ minWidth: 200 }}
            value={kind}
            onChange={setKind}
            options={kinds}
          />
        )}
      </Space>
      <Table<TodoItem>
        rowKey="key"
        data-testid="todo-table"
        loading={loading}
        dataSource={shown}
        pagination={shown.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
        locale={{ emptyText: '暂无待办' }}
        scroll={{ x: 960 }}
        columns={COLUMNS}
      />
    </Space>
  );
}
