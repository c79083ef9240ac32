import { useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Button, Col, Input, Row, Select, Space, Typography } from 'antd';
import { DownloadOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { labelOptions, ROLE_LABELS, type Role } from '../../api/labels';
import { useSession } from '../../auth/session';
import { ErrorView } from '../../components/ErrorView';
import { PageLoading } from '../../components/PageLoading';
import { PageTitle } from '../../components/PageTitle';
import { useScopeRoot } from '../regions/queries';
import { AccountFormModal } from './AccountFormModal';
import { AccountsTable, type Paging } from './AccountsTable';
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
  const [paging, setPaging] = useState<Paging>({ page: 1, pageSize: PAGE_SIZE });
  const [dialog, setDialog] = useState<'create' | 'import' | Account | null>(null);
  const [issued, setIssued] = useState<IssuedPassword | null>(null);

  const editing = typeof dialog === 'object' ? dialog : null;
  const root = scope.data?.root;
  const region = regionCode ?? root?.code;
  const query: AccountQuery = { ...filters, regionCode: region, ...paging };
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
  const selectRegion = (code: string) => {
    setRegionCode(code);
    setPaging((p) => ({ ...p, page: 1 }));
  };
  const filter = (next: Filters) => {
    setFilters((f) => ({ ...f, ...next }));
    setPaging((p) => ({ ...p, page: 1 }));
  };

  if (scope.isPending) return <PageLoading />;
  if (scope.isError) return <ErrorView error={scope.error} onRetry={() => void scope.refetch()} />;

  return (
    <>
      <UsersTitle
        canWrite={canWrite}
        canCreate={Boolean(assignable.data)}
        onCreate={() => setDialog('create')}
        onImport={() => setDialog('import')}
        exportHref={exportUrl({ ...filters, regionCode: region })}
      />
      <Row gutter={16}>
        <Col xs={24} lg={6}>
          {root && <RegionTree root={root} value={region ?? root.code} onSelect={selectRegion} />}
        </Col>
        <Col xs={24} lg={18}>
          <AccountFilters filters={filters} onChange={filter} />
          <AccountsTable
            query={list}
            paging={paging}
            onPage={setPaging}
            canWrite={canWrite}
            onEdit={(account) => setDialog(account)}
            onIssued={setIssued}
          />
        </Col>
      </Row>
      {assignable.data && (dialog === 'create' || editing) && (
        <AccountFormModal
          assignable={assignable.data}
          account={editing ?? undefined}
          onClose={() => setDialog(null)}
          onCreated={({ user, oneTimePassword }) =>
            setIssued({ username: user.username, displayName: user.displayName, oneTimePassword, reason: 'created' })
          }
        />
      )}
      {dialog === 'import' && <ImportAccountsModal onClose={() => setDialog(null)} />}
      {issued && <OneTimePasswordModal issued={issued} onClose={() => setIssued(null)} />}
    </>
  );
}

/** The page's title with 新增账号, 批量导入 (administrators only) and 导出 (the list as filtered). */
function UsersTitle({
  canWrite,
  canCreate,
  onCreate,
  onImport,
  exportHref,
}: {
  canWrite: boolean;
  canCreate: boolean;
  onCreate: () => void;
  onImport: () => void;
  exportHref: string;
}) {
  return (
    <PageTitle
      title="账号管理"
      extra={
        <>
          {canWrite && (
            <>
              <Button type="primary" icon={<PlusOutlined />} disabled={!canCreate} onClick={onCreate}>
                新增账号
              </Button>
              <Button icon={<UploadOutlined />} onClick={onImport}>
                批量导入
              </Button>
            </>
          )}
          <Button icon={<DownloadOutlined />} href={exportHref}>
            导出
          </Button>
        </>
      }
    >
      <Typography.Text type="secondary">本辖区内的账号：新增、编辑、重置密码、停用与启用均记入审计日志</Typography.Text>
    </PageTitle>
  );
}

/** 搜索 (用户名 / 姓名 / 手机), 角色 and 状态: all applied by the server. */
function AccountFilters({ filters, onChange }: { filters: Filters; onChange: (next: Filters) => void }) {
  return (
    <Space wrap style={{ marginBottom: 12 }}>
      <Input.Search
        allowClear
        placeholder="用户名 / 姓名 / 手机"
        aria-label="搜索账号"
        enterButton="搜索"
        style={{ width: 280 }}
        onSearch={(q) => onChange({ q: q.trim() || undefined })}
      />
      <Select<Role>
        allowClear
        placeholder="全部角色"
        aria-label="角色"
        style={{ width: 180 }}
        value={filters.role}
        onChange={(role) => onChange({ role })}
        options={ROLE_OPTIONS}
      />
      <Select<'active' | 'disabled'>
        allowClear
        placeholder="全部状态"
        aria-label="状态"
        style={{ width: 120 }}
        value={filters.status}
        onChange={(status) => onChange({ status })}
        options={labelOptions(STATUS_LABELS)}
      />
    </Space>
  );
}
