import { Link, useNavigate } from 'react-router';
import { Table, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { RegionSummary } from '../../api/endpoints';

export function RegionChildrenTable({ items }: { items: RegionSummary[] }) {
  const navigate = useNavigate();
  const columns: ColumnsType<RegionSummary> = [
    {
      title: '名称',
      dataIndex: 'name',
      render: (name: string, row) => (
        <Link to={`/regions/${row.code}`} onClick={(e) => e.stopPropagation()}>
          {name}
        </Link>
      ),
    },
    { title: '区划代码', dataIndex: 'code', width: 160 },
    { title: '类型', dataIndex: 'kind', width: 100, render: (kind: string) => <Tag>{kind}</Tag> },
    {
      title: '社区数',
      dataIndex: 'communityCount',
      width: 120,
      align: 'right',
      sorter: (a, b) => a.communityCount - b.communityCount,
    },
  ];
  return (
    <Table<RegionSummary>
      rowKey="code"
      size="middle"
      columns={columns}
      dataSource={items}
      pagination={items.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
      rowClassName={() => 'sf-clickable-row'}
      onRow={(row) => ({ onClick: () => void navigate(`/regions/${row.code}`) })}
      locale={{ emptyText: '无下级区域' }}
      scroll={{ x: 520 }}
    />
  );
}
