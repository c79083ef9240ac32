import { useState } from 'react';
import { useParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import dayjs from 'dayjs';
import { Alert, Button, Card, DatePicker, Input, Segmented, Space, Table, Tag, Typography } from 'antd';
import { PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { regionsApi } from '../../api/endpoints';
import { ROSTER_BODY_LABELS, labelOf, labelOptions } from '../../api/labels';
import { useSession } from '../../auth/session';
import { ErrorView } from '../../components/ErrorView';
import { PageLoading } from '../../components/PageLoading';
import { PageTitle } from '../../components/PageTitle';
import { useToday } from '../../utils/clock';
import { householdsApi, type RosterTerm } from './api';
import { AddModal, EndModal, ImportModal, ReplaceModal } from './RosterModals';
import { PageBreadcrumb } from '../../components/PageBreadcrumb';

type Body = RosterTerm['body'];
const ROSTER_HINT =
  '决策按会议当日在任的名册计算应到人数；公示的异议门槛按公示当日在任的居民代表人数计算；只有公示期内在任的居民代表可以提出异议。';
const fmt = (d: dayjs.Dayjs) => d.format('YYYY-MM-DD');

/**
 * 居民代表与议事会成员 of one community [N 3.1.2(1)]: the roster as of a day, each term with its
 * dates, the history, and (for the community's staff) adding, ending, replacing and importing.
 */
export default function RosterPage() {
  const { code } = useParams<{ code: string }>();
  const { can } = useSession();
  const today = useToday();
  const [on, setOn] = useState<string | undefined>(undefined);
  const [adding, setAdding] = useState(false);
  const [ending, setEnding] = useState<RosterTerm | null>(null);
  const [replacing, setReplacing] = useState<RosterTerm | null>(null);
  const [importing, setImporting] = useState(false);
  const writable = can('households:write');
  const detail = useQuery({
    queryKey: ['regions', 'detail', code],
    queryFn: ({ signal }) => regionsApi.detail(code!, signal),
    enabled: !!code,
  });
  const roster = useQuery({
    queryKey: ['households', 'roster-terms', code, on],
    queryFn: ({ signal }) => householdsApi.rosterTerms(code!, on, signal),
    enabled: !!code,
  });
  if (!code) return null;
  if (roster.isError) return <ErrorView error={roster.error} what="名册" onRetry={() => void roster.refetch()} />;
  if (roster.isPending) return <PageLoading />;
  const r = roster.data;
  const name = detail.data?.region.name ?? code;
  const columns = termColumns(writable, setEnding, setReplacing);

  return (
    <>
      <PageBreadcrumb parents={[{ title: name, to: `/households/${code}` }]} />
      <PageTitle
        title={`${name} · 居民代表与议事会成员`}
        extra={
          <Space wrap>
            <Typography.Text>查询日：</Typography.Text>
            <DatePicker
              allowClear
              placeholder={today ? `今日 ${today}` : '今日'}
              value={on ? dayjs(on) : null}
              onChange={(d) => setOn(d ? fmt(d) : undefined)}
              data-testid="roster-on"
            />
            {writable && (
              <>
                <Button icon={<UploadOutlined />} onClick={() => setImporting(true)}>
                  导入名册
                </Button>
                <Button type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)}>
                  增加成员
                </Button>
              </>
            )}
          </Space>
        }
      >
        <Typography.Text type="secondary">{ROSTER_HINT}</Typography.Text>
      </PageTitle>
      {r.masked && <Alert type="info" showIcon style={{ marginBottom: 12 }} message="姓名已脱敏（仅本社区工作人员可见全名）" />}
      <Space orientation="vertical" size={16} style={{ width: '100%' }}>
        <InOfficeCard
          title={`居民代表（${r.on} 在任 ${r.representatives.length} 人 / 社区档案 ${r.profile.representatives} 人）`}
          terms={r.representatives}
          columns={columns}
          testId="roster-representatives"
        />
        <InOfficeCard
          title={`议事会成员（${r.on} 在任 ${r.councilMembers.length} 人 / 社区档案 ${r.profile.councilMembers} 人）`}
          terms={r.councilMembers}
          columns={columns}
          testId="roster-council"
        />
        <HistoryCard history={r.history} />
      </Space>
      {adding && <AddModal code={code} onClose={() => setAdding(false)} />}
      {ending && <EndModal term={ending} onClose={() => setEnding(null)} />}
      {replacing && <ReplaceModal term={replacing} onClose={() => setReplacing(null)} />}
      {importing && <ImportModal code={code} onClose={() => setImporting(false)} />}
    </>
  );
}

function HistoryCard({ history }: { history: RosterTerm[] }) {
  const [body, setBody] = useState<Body | 'all'>('all');
  const [q, setQ] = useState('');
  const rows = history.filter((t) => (body === 'all' || t.body === body) && (!q || t.personName.includes(q)));
  const nameOf = (id: number | null) => history.find((t) => t.id === id)?.personName;
  return (
    <Card
      size="small"
      title="任期历史"
      extra={
        <Space wrap>
          <Segmented<Body | 'all'>
            value={body}
            onChange={setBody}
            options={[{ value: 'all', label: '全部' }, ...labelOptions(ROSTER_BODY_LABELS)]}
          />
          <Input.Search allowClear placeholder="姓名" style={{ width: 160 }} onSearch={(v) => setQ(v.trim())} />
        </Space>
      }
    >
      <Table<RosterTerm>
        size="small"
        rowKey="id"
        dataSource={rows}
        pagination={rows.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
        columns={[
          { title: '类别', dataIndex: 'body', width: 110, render: (b: Body) => labelOf(ROSTER_BODY_LABELS, b) },
          { title: '姓名', dataIndex: 'personName', width: 110 },
          { title: '户号', dataIndex: 'householdNo', width: 100, render: (v: string | null) => v ?? '—' },
          { title: '任期起', dataIndex: 'fromDate', width: 110 },
          { title: '任期止（含）', dataIndex: 'toDate', width: 110, render: (v: string | null) => v ?? <Tag color="green">在任</Tag> },
          {
            title: '说明',
            render: (_: unknown, t: RosterTerm) => (
              <Space size={4} wrap>
                {t.endReason && <span>{t.endReason}</span>}
                {t.replacesId !== null && <Tag color="blue">接替 {nameOf(t.replacesId) ?? `#${t.replacesId}`}</Tag>}
                {t.replacedById !== null && <Tag color="orange">由 {nameOf(t.replacedById) ?? `#${t.replacedById}`} 接替</Tag>}
              </Space>
            ),
          },
        ]}
        data-testid="roster-history"
      />
    </Card>
  );
}

/** Columns of the in-office lists, with the end and replace actions for the community's staff. */
function termColumns(writable: boolean, setEnding: (t: RosterTerm) => void, setReplacing: (t: RosterTerm) => void) {
  const actions = (t: RosterTerm) =>
    writable && t.toDate === null ? (
      <Space size={0}>
        <Button type="link" size="small" onClick={() => setEnding(t)}>
          结束任期
        </Button>
        <Button type="link" size="small" onClick={() => setReplacing(t)}>
          更替
        </Button>
      </Space>
    ) : null;
  return [
    { title: '姓名', dataIndex: 'personName', width: 120 },
    {
      title: '户号',
      dataIndex: 'householdNo',
      width: 110,
      render: (v: string | null) => v ?? <Typography.Text type="secondary">未关联住户</Typography.Text>,
    },
    { title: '任期起', dataIndex: 'fromDate', width: 120 },
    { title: '任期止（含）', dataIndex: 'toDate', width: 120, render: (v: string | null) => v ?? <Tag color="green">在任</Tag> },
    { title: '操作', key: 'actions', render: (_: unknown, t: RosterTerm) => actions(t) },
  ];
}

function InOfficeCard({
  title,
  terms,
  columns,
  testId,
}: {
  title: string;
  terms: RosterTerm[];
  columns: ReturnType<typeof termColumns>;
  testId: string;
}) {
  return (
    <Card size="small" title={title}>
      <Table<RosterTerm> size="small" rowKey="id" dataSource={terms} columns={columns} pagination={false} data-testid={testId} />
    </Card>
  );
}
