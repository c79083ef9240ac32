import { Space, Tag } from 'antd';
import type { TableColumnsType } from 'antd';
import { QueryTable, type TableQuery } from '../../components/QueryTable';
import { dateTimeText } from '../../utils/format';
import { AccountActions } from './AccountActions';
import { STATUS_LABELS, type Account } from './api';
import type { IssuedPassword } from './OneTimePasswordModal';

export interface Paging {
  page: number;
  pageSize: number;
}

/** The accounts of one page of the list: names not codes, a label for every state, and the row actions the caller may take. */
export function AccountsTable({
  query,
  paging,
  onPage,
  canWrite,
  onEdit,
  onIssued,
}: {
  query: TableQuery<Account> & { isFetching: boolean };
  paging: Paging;
  onPage: (paging: Paging) => void;
  canWrite: boolean;
  onEdit: (account: Account) => void;
  onIssued: (issued: IssuedPassword) => void;
}) {
  const columns: TableColumnsType<Account> = [
    { title: '用户名', dataIndex: 'username', width: 190 },
    { title: '姓名 / 名称', dataIndex: 'displayName', width: 200 },
    { title: '角色', dataIndex: 'roleLabel', width: 150, render: (label: string) => <Tag color="red">{label}</Tag> },
    { title: '区划', dataIndex: 'scopeName', width: 200, render: (name: string | null) => name ?? '—' },
    { title: '手机', dataIndex: 'phone', width: 120, render: (p: string | null) => p ?? '—' },
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
    { title: '最近登录', dataIndex: 'lastLoginAt', width: 160, render: (t: string | null) => dateTimeText(t) },
  ];
  if (canWrite) {
    columns.push({
      title: '操作',
      key: 'actions',
      width: 200,
      fixed: 'right',
      render: (_, a) => (a.manageable ? <AccountActions account={a} onEdit={() => onEdit(a)} onIssued={onIssued} /> : null),
    });
  }
  return (
    <QueryTable<Account>
      query={query}
      rowKey="id"
      size="middle"
      scroll={{ x: 1350 }}
      loading={query.isFetching}
      empty="该区划下没有符合条件的账号"
      columns={columns}
      serverPages={{
        current: paging.page,
        pageSize: paging.pageSize,
        showSizeChanger: true,
        showTotal: (t) => `共 ${t} 个账号`,
        onChange: (page, pageSize) => onPage({ page: pageSize === paging.pageSize ? page : 1, pageSize }),
      }}
    />
  );
}
