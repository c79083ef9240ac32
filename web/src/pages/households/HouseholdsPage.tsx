import { useState } from 'react';
import { Link, Navigate, useNavigate, useParams } from 'react-router';
import { keepPreviousData, useQuery, useQueryClient, type UseQueryResult } from '@tanstack/react-query';
import { Alert, App, Button, Card, Col, Empty, Input, Row, Select, Space, Statistic, Table, Tag, Typography, Upload } from 'antd';
import { EditOutlined, PlusOutlined, TeamOutlined, UploadOutlined } from '@ant-design/icons';
import { errorMessage } from '../../api/client';
import { regionsApi } from '../../api/endpoints';
import { useSession } from '../../auth/session';
import { ErrorView } from '../../components/ErrorView';
import { PageLoading } from '../../components/PageLoading';
import { PageTitle } from '../../components/PageTitle';
import { householdsApi, importErrorsOf, PAGE_SIZE, readImportFile, type Household, type ImportRowError, type Roster } from './api';
import { encodingText } from '../../utils/file-upload';
import { HouseholdFormModal } from './HouseholdFormModal';

/**
 * 居民户登记: a community account opens its own community; street, district and city accounts
 * pick a community first (/households/:code).
 */
export default function HouseholdsPage() {
  const { code } = useParams<{ code: string }>();
  const { user } = useSession();
  const own = user.scope?.level === 'community' ? user.scope.code : undefined;
  if (!code && own) return <Navigate to={`/households/${own}`} replace />;
  return (
    <>
      <PageTitle title="居民户登记">
        <Typography.Text type="secondary">
          社区住户台账、居民代表与议事会成员名册；支持 CSV / Excel 批量导入（全部成功或全部不导入）
        </Typography.Text>
      </PageTitle>
      {!own && <CommunityPicker value={code} />}
      {code ? <CommunityRegistry key={code} code={code} /> : <Empty description="请选择社区" style={{ marginTop: 48 }} />}
    </>
  );
}

/** Searchable picker over the communities of the account's scope (GET /regions/:code/communities?q=). */
function CommunityPicker({ value }: { value?: string }) {
  const navigate = useNavigate();
  const [q, setQ] = useState('');
  const scope = useQuery({ queryKey: ['regions', 'scope'], queryFn: ({ signal }) => regionsApi.scope(signal), staleTime: 5 * 60_000 });
  const root = scope.data?.root.code;
  const list = useQuery({
    queryKey: ['regions', 'communities', root, { q: q || undefined, limit: 50, offset: 0 }],
    queryFn: ({ signal }) => regionsApi.communities(root!, { q: q || undefined, limit: 50, offset: 0 }, signal),
    enabled: Boolean(root),
    placeholderData: keepPreviousData,
  });
  const current = useQuery({
    queryKey: ['regions', 'detail', value],
    queryFn: ({ signal }) => regionsApi.detail(value!, signal),
    enabled: Boolean(value),
  });
  const options = (list.data?.items ?? []).map((c) => ({ value: c.code, label: `${c.name}（${c.districtName} · ${c.streetName}）` }));
  if (value && current.data && !options.some((o) => o.value === value)) options.unshift({ value, label: current.data.region.name });
  if (scope.isError) return <ErrorView error={scope.error} what="辖区" onRetry={() => void scope.refetch()} />;
  return (
    <Space style={{ marginBottom: 16 }} wrap>
      <Typography.Text>社区：</Typography.Text>
      <Select
        showSearch
        filterOption={false}
        onSearch={setQ}
        value={value}
        placeholder="输入社区名称搜索"
        style={{ width: 420 }}
        loading={list.isFetching}
        options={options}
        onChange={(c: string) => navigate(`/households/${c}`)}
        notFoundContent={list.isFetching ? '加载中…' : '没有匹配的社区'}
        data-testid="community-picker"
      />
    </Space>
  );
}

function CommunityRegistry({ code }: { code: string }) {
  const { can } = useSession();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [q, setQ] = useState('');
  const [offset, setOffset] = useState(0);
  const [editing, setEditing] = useState<Household | 'new' | null>(null);
  const [importErrors, setImportErrors] = useState<ImportRowError[] | null>(null);
  const [importing, setImporting] = useState(false);
  const writable = can('households:write');

  const detail = useQuery({ queryKey: ['regions', 'detail', code], queryFn: ({ signal }) => regionsApi.detail(code, signal) });
  const roster = useQuery({ queryKey: ['households', 'roster', code], queryFn: ({ signal }) => householdsApi.roster(code, signal) });
  const list = useQuery({
    queryKey: ['households', 'list', code, q, offset],
    queryFn: ({ signal }) => householdsApi.list(code, { q: q || undefined, offset }, signal),
    placeholderData: keepPreviousData,
  });
  const refresh = () => void qc.invalidateQueries({ queryKey: ['households'] });

  const importFile = async (file: File) => {
    setImportErrors(null);
    setImporting(true);
    try {
      const body = await readImportFile(file);
      const r = await householdsApi.importFile(code, body);
      void message.success(
        `导入成功（${encodingText(r.encoding)}）：共 ${r.rows} 户，新增 ${r.created} 户，更新 ${r.updated} 户；名册任期新增 ${r.termsStarted} 条、结束 ${r.termsEnded} 条`,
      );
      refresh();
    } catch (e) {
      const errors = importErrorsOf(e);
      if (errors) setImportErrors(errors);
      else void message.error(errorMessage(e));
    } finally {
      setImporting(false);
    }
  };

  if (detail.isError && list.isError) return <ErrorView error={list.error} what="住户登记" onRetry={() => void list.refetch()} />;
  if (list.isPending && roster.isPending) return <PageLoading />;
  const name = detail.data?.region.name ?? code;
  const masked = list.data?.masked ?? false;

  return (
    <>
      <RosterCard name={name} roster={roster} code={code} />
      <Card
        size="small"
        style={{ marginTop: 16 }}
        title={<Space>住户台账{masked && <Tag>姓名、电话已脱敏</Tag>}</Space>}
        extra={
          <Space wrap>
            <Input.Search
              allowClear
              placeholder="户号 / 地址 / 户主"
              style={{ width: 240 }}
              onSearch={(v) => {
                setQ(v.trim());
                setOffset(0);
              }}
              data-testid="household-search"
            />
            {writable && (
              <>
                <Upload
                  accept=".csv,.xlsx"
                  showUploadList={false}
                  beforeUpload={(f) => {
                    void importFile(f);
                    return false;
                  }}
                >
                  <Button icon={<UploadOutlined />} loading={importing}>
                    导入
                  </Button>
                </Upload>
                <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
                  新增住户
                </Button>
              </>
            )}
          </Space>
        }
      >
        {writable && (
          <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
            导入文件列：户号、楼栋、单元、房号、户主姓名、联系电话、常住人数、居民代表、议事会成员（多人用“、”分隔）。CSV 可为 UTF-8 或
            GBK（Excel
            另存）编码，自动识别。已登记的户号将被更新；角色列中新列出者开始任期，不再列出者任期结束；任何一行有错误则整个文件不导入。
          </Typography.Paragraph>
        )}
        {importErrors && (
          <Alert
            type="error"
            showIcon
            closable
            onClose={() => setImportErrors(null)}
            style={{ marginBottom: 12 }}
            message={`导入文件有 ${importErrors.length} 处错误，未导入任何数据`}
            description={
              <Table
                size="small"
                rowKey={(_, i) => String(i)}
                dataSource={importErrors}
                pagination={importErrors.length > 10 ? { pageSize: 10, showSizeChanger: false } : false}
                columns={[
                  {
                    title: '行号',
                    dataIndex: 'row',
                    width: 80,
                    render: (r: number) => (r === 0 ? '整个文件' : r === 1 ? '表头' : `第 ${r} 行`),
                  },
                  { title: '列', dataIndex: 'column', width: 120, render: (c: string) => c || '—' },
                  { title: '问题', dataIndex: 'message' },
                ]}
                data-testid="import-errors"
              />
            }
          />
        )}
        {list.isError && <Alert type="error" showIcon message={errorMessage(list.error)} style={{ marginBottom: 12 }} />}
        <Table<Household>
          size="small"
          rowKey="id"
          loading={list.isFetching}
          dataSource={list.data?.items ?? []}
          pagination={{
            total: list.data?.total ?? 0,
            pageSize: PAGE_SIZE,
            current: offset / PAGE_SIZE + 1,
            onChange: (p) => setOffset((p - 1) * PAGE_SIZE),
            showSizeChanger: false,
            showTotal: (t) => `共 ${t} 户`,
          }}
          locale={{ emptyText: <Empty description={q ? '没有匹配的住户' : '尚未登记住户'} /> }}
          columns={[
            { title: '户号', dataIndex: 'householdNo', width: 110 },
            { title: '地址', dataIndex: 'address' },
            { title: '户主', dataIndex: 'headName', width: 100 },
            { title: '电话', dataIndex: 'phone', width: 130 },
            { title: '常住人数', dataIndex: 'residents', width: 90, align: 'right' },
            {
              title: '居民代表 / 议事会成员',
              render: (_, h) => {
                const tags = h.members.flatMap((m) => [
                  ...(m.isRepresentative
                    ? [
                        <Tag key={`${m.name}-r`} color="blue">
                          居民代表 {m.name}
                        </Tag>,
                      ]
                    : []),
                  ...(m.isCouncilMember
                    ? [
                        <Tag key={`${m.name}-c`} color="purple">
                          议事会成员 {m.name}
                        </Tag>,
                      ]
                    : []),
                ]);
                return tags.length ? (
                  <Space size={[0, 4]} wrap>
                    {tags}
                  </Space>
                ) : (
                  <Typography.Text type="secondary">—</Typography.Text>
                );
              },
            },
            ...(writable
              ? [
                  {
                    title: '操作',
                    width: 80,
                    render: (_: unknown, h: Household) => (
                      <Button type="link" size="small" icon={<EditOutlined />} onClick={() => setEditing(h)}>
                        编辑
                      </Button>
                    ),
                  },
                ]
              : []),
          ]}
        />
      </Card>
      {editing && (
        <HouseholdFormModal
          code={code}
          household={editing === 'new' ? null : editing}
          onClose={(saved) => {
            setEditing(null);
            if (saved) {
              refresh();
              void message.success(editing === 'new' ? '住户已登记' : '住户信息已修改');
            }
          }}
        />
      )}
    </>
  );
}

function RosterCard({ name, roster, code }: { name: string; roster: UseQueryResult<Roster>; code: string }) {
  if (roster.isError) return <Alert type="error" showIcon message={`名册：${errorMessage(roster.error)}`} />;
  const r = roster.data;
  const mismatch = (a: number, b: number) => ({ color: a === b ? undefined : '#d46b08' });
  return (
    <Card
      size="small"
      loading={roster.isPending}
      title={name}
      extra={
        <Space>
          {r && (r.consistent ? <Tag color="success">名册与社区档案一致</Tag> : <Tag color="warning">名册与社区档案不一致</Tag>)}
          <Link to={`/households/${code}/roster`} data-testid="roster-link">
            <TeamOutlined /> 居民代表与议事会成员（任期）
          </Link>
        </Space>
      }
      data-testid="roster-card"
    >
      {r && (
        <Row gutter={[16, 16]}>
          <Col xs={24} md={8}>
            <Statistic
              title="已登记户数 / 档案常住户数"
              value={r.registeredHouseholds}
              suffix={`/ ${r.profile.residentHouseholds}`}
              valueStyle={mismatch(r.registeredHouseholds, r.profile.residentHouseholds)}
            />
          </Col>
          <Col xs={24} md={8}>
            <Statistic
              title="居民代表：名册 / 档案"
              value={r.roster.representatives}
              suffix={`/ ${r.profile.representatives}`}
              valueStyle={mismatch(r.roster.representatives, r.profile.representatives)}
            />
          </Col>
          <Col xs={24} md={8}>
            <Statistic
              title="议事会成员：名册 / 档案"
              value={r.roster.councilMembers}
              suffix={`/ ${r.profile.councilMembers}`}
              valueStyle={mismatch(r.roster.councilMembers, r.profile.councilMembers)}
            />
          </Col>
        </Row>
      )}
    </Card>
  );
}
