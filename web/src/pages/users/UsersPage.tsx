import { useQuery } from '@tanstack/react-query';
import { Tag, Typography } from 'antd';
import { authApi } from '../../api/endpoints';
import type { AccountListItem } from '../../api/endpoints';
import { QueryTable } from '../../components/QueryTable';
import { PageTitle } from '../../components/PageTitle';

export default function UsersPage() {
  const users = useQuery({ queryKey: ['auth', 'users'], queryFn: ({ signal }) => authApi.users(signal) });
  const items = users.data?.items ?? [];
  const roleFilters = [...new Map(items.map((u) => [u.role, u.roleLabel])).entries()].map(([value, text]) => ({ value, text }));

  return (
    <>
      <PageTitle title="账号">
        <Typography.Text type="secondary">本辖区内的账号</Typography.Text>
      </PageTitle>
      <QueryTable<AccountListItem>
        query={users}
        rowKey="id"
        size="middle"
        scroll={{ x: 640 }}
        pagination={{ pageSize: 50, hideOnSinglePage: true, showTotal: (t) => `共 ${t} 个账号` }}
        columns={[
          { title: '用户名', dataIndex: 'username', width: 180 },
          { title: '姓名 / 名称', dataIndex: 'displayName' },
          {
            title: '角色',
            dataIndex: 'roleLabel',
            width: 180,
            filters: roleFilters,
            onFilter: (value, row) => row.role === value,
            render: (label: string) => <Tag color="red">{label}</Tag>,
          },
          {
            title: '辖区',
            key: 'scope',
            render: (_: unknown, u) =>
              u.scopeName ? (
                <span>
                  {u.scopeName}
                  <Typography.Text type="secondary"> （{u.scopeCode}）</Typography.Text>
                </span>
              ) : (
                '—'
              ),
          },
        ]}
      />
    </>
  );
}
