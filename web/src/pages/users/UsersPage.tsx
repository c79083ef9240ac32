import { useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Button, Card, Col, Input, Row, Select, Space, Tag, Typography } from 'antd';
import { DownloadOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { labelOptions, ROLE_LABELS, type Role } from '../../api/labels';
import { useSession } from '../../auth/session';
import { ErrorView } from '../../components/ErrorView';
import { PageLoading } from '../../components/PageLoading';
import { PageTitle } from '../../components/PageTitle';
import { QueryTable } from '../../components/QueryTable';
import { dateTimeText } from '../../utils/format';
import { useScopeRoot } from '../regions/queries';
import { AccountActions } from './AccountActions';
import { AccountFormModal } from './AccountFormModal';
import { accountKeys, accountsApi, exportUrl, PAGE_SIZE, STATUS_LABELS, type Account, type AccountQuery } from './api';
import { ImportAccountsModal } from './ImportAccountsModal';
import { OneTimePasswordModal, type IssuedPassword } from './OneTimePasswordModal';
import { RegionTree } from './RegionTree';

/** The roles administered here (provider and evaluator accounts come from procurement and evaluation). */
const REGION_ROLES: readonly Role[] = ['city_bureau', 'city_finance', 'district_bureau', 'street_office', 'community'];
const ROLE_OPTIONS = REGION_ROLES.map((role) => ({ value: role, label: ROLE_LABELS[role] }));

type Filters = Pick<AccountQuery, 'q' | 'role' | 'status'>;

/**
 * 账号管理 (as RuoYi's 用户管理): the region tree of the caller's scope on the left; on the right the
 * accounts of the selected region and below, searched and filtered on the server, with 新增, 批量导入,
 * 导出 and, on the rows the caller may administer, 编辑, 重置密码 and 停用 / 启用.
 */
export default function UsersPage() {
  const { can } = useSession();
  const canWrite = can('users:write');
  const scope = useScopeRoot();
  const [regionCode, setRegionCode] = useState<string>();
  const [filters, setFilters] = useState<Filters>({});
  const [page, setPage] = useState({ page: 1, pageSize: PAGE_SIZE });
  const [creating, setCreating] = useState(false);
  const [importing, setImporting] = useState(false);
  const [editing, setEditing] = useState<Account | null>(null);
  const [issued, setIssued] = useState<IssuedPassword | null>(null);

  const root = scope.data?.root;
  const region = regionCode ?? root?.code;
  const query: AccountQuery = { ...filters, regionCode: region, ...page };
  const list = useQuery({
    queryKey: accountKeys.list(query),
    queryFn: ({ signal }) => accountsApi.list(query, signal),
    enabled: Boolean(region),
    placeholderData: keepPreviousData,
  });
  const assignable = useQuery({
    queryKey: accountKeys.assignable(),
    queryFn: ({ signal }) => accountsApi.assignable(signal),
    enabled: canWrite,
    staleTime: 5 * 60_000,
  });
  const filter = (next: Filters) => {
    setFilters((f) => ({ ...f, ...next }));
    setPage((p) => ({ ...p, page: 1 }));
  };

  if (scope.isPending) return <PageLoading />;
  if (scope.isError) return <ErrorView error={scope.error} onRetry={() => void scope.refetch()} />;

  return (
    <>
      <PageTitle
        title="账号管理"
        extra={
          <>
            {canWrite && (
              <>
                <Button type="primary" icon={<PlusOutlined />} disabled={!assignable.data} onClick={() => setCreating(true)}>
                  新增账号
                </Button>
                <Button icon={<UploadOutlined />} onClick={() => setImporting(true)}>
                  批量导入
                </Button>
              </>
            )}
            <Button icon={<DownloadOutlined />} href={exportUrl({ ...filters, regionCode: region })}>
              导出
            </Button>
          </>
        }
      >
        <Typography.Text type="secondary">本辖区内的账号：新增、编辑、重置密码、停用与启用均记入审计日志</Typography.Text>
      </PageTitle>
      <Row gutter={16}>
        <Col xs={24} lg={6}>
          <Card size="small" title="区划" style={{ marginBottom: 16 }} styles={{ body: { maxHeight: 640, overflow: 'auto' } }}>
            {root && (
              <RegionTree
                root={root}
                value={region ?? root.code}
                onSelect={(code) => {
                  setRegionCode(code);
                  setPage((p) => ({ ...p, page: 1 }));
                }}
              />
            )}
          </Card>
        </Col>
        <Col xs={24} lg={18}>
          <Space wrap style={{ marginBottom: 12 }}>
            <Input.Search
              allowClear
              placeholder="用户名 / 姓名 / 手机"
              aria-label="搜索账号"
              enterButton="搜索"
              style={{ width: 280 }}
              onSearch={(q) => filter({ q: q.trim() || undefined })}
            />
            <Select<Role>
              allowClear
              placeholder="全部角色"
              aria-label="角色"
              style={{ width: 180 }}
              value={filters.role}
              onChange={(role) => filter({ role })}
              options={ROLE_OPTIONS}
            />
            <Select<'active' | 'disabled'>
              allowClear
              placeholder="全部状态"
              aria-label="状态"
              style={{ width: 120 }}
              value={filters.status}
              onChange={(status) => filter({ status })}
              options={labelOptions(STATUS_LABELS)}
            />
          </Space>
          <QueryTable<Account>
            query={list}
            rowKey="id"
            size="middle"
            scroll={{ x: 960 }}
            loading={list.isFetching}
            serverPages={{
              current: page.page,
              pageSize: page.pageSize,
              showSizeChanger: true,
              showTotal: (t) => `共 ${t} 个账号`,
              onChange: (p, s) => setPage({ page: s === page.pageSize ? p : 1, pageSize: s }),
            }}
            columns={[
              { title: '用户名', dataIndex: 'username', width: 200 },
              { title: '姓名 / 名称', dataIndex: 'displayName', width: 180 },
              { title: '角色', dataIndex: 'roleLabel', width: 160, render: (label: string) => <Tag color="red">{label}</Tag> },
              { title: '区划', dataIndex: 'scopeName', render: (name: string | null) => name ?? '—' },
              { title: '手机', dataIndex: 'phone', width: 130, render: (p: string | null) => p ?? '—' },
              {
                title: '状态',
                key: 'status',
                width: 130,
                render: (_, a) => (
                  <Space size={4} wrap>
                    {a.disabled ? <Tag>{STATUS_LABELS.disabled}</Tag> : <Tag color="green">{STATUS_LABELS.active}</Tag>}
                    {a.mustChangePassword && <Tag color="orange">待改初始密码</Tag>}
                  </Space>
                ),
              },
              { title: '最近登录', dataIndex: 'lastLoginAt', width: 170, render: (t: string | null) => dateTimeText(t) },
              ...(canWrite
                ? [
                    {
                      title: '操作',
                      key: 'actions',
                      width: 220,
                      fixed: 'right' as const,
                      render: (_: unknown, a: Account) =>
                        a.manageable ? <AccountActions account={a} onEdit={() => setEditing(a)} onIssued={setIssued} /> : null,
                    },
                  ]
                : []),
            ]}
          />
        </Col>
      </Row>
      {assignable.data && (creating || editing) && (
        <AccountFormModal
          assignable={assignable.data}
          account={editing ?? undefined}
          onClose={() => {
            setCreating(false);
            setEditing(null);
          }}
          onCreated={({ user, oneTimePassword }) =>
            setIssued({ username: user.username, displayName: user.displayName, oneTimePassword, reason: 'created' })
          }
        />
      )}
      {importing && <ImportAccountsModal onClose={() => setImporting(false)} />}
      {issued && <OneTimePasswordModal issued={issued} onClose={() => setIssued(null)} />}
    </>
  );
}
