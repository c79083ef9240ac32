import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import {} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { CommunityListItem } from '../../api/endpoints';
import { QueryTable } from '../../components/QueryTable';
import { Stars } from '../../components/Stars';
import { useCommunities } from './queries';

const PAGE_SIZE = 20;

/** Communities under a region (optionally matching q), with stars of the latest rating year. */
export function CommunityTable({ code, q, showDistrict = false }: { code: string; q?: string; showDistrict?: boolean }) {
  const navigate = useNavigate();
  const [page, setPage] = useState({ current: 1, pageSize: PAGE_SIZE });
  const query = { q: q || undefined, limit: page.pageSize, offset: (page.current - 1) * page.pageSize };
  const list = useCommunities(code, query);

  const columns: ColumnsType<CommunityListItem> = [
    {
      title: '社区名称',
      dataIndex: 'name',
      render: (name: string, row) => (
        <Link to={`/regions/${row.code}`} onClick={(e) => e.stopPropagation()}>
          {name}
        </Link>
      ),
    },
    ...(showDistrict ? ([{ title: '所属区县', dataIndex: 'districtName', width: 120 }] as ColumnsType<CommunityListItem>) : []),
    { title: '所属街道（乡镇）', dataIndex: 'streetName', width: 160, responsive: ['md'] },
    { title: '区划代码', dataIndex: 'code', width: 140, responsive: ['lg'] },
    {
      title: list.data?.ratingYear ? `星级（${list.data.ratingYear}年度）` : '星级',
      dataIndex: 'stars',
      width: 150,
      render: (stars: number | null) => <Stars stars={stars} />,
    },
    { title: '常住户数', dataIndex: 'residentHouseholds', width: 100, align: 'right' },
    { title: '居民代表', dataIndex: 'representatives', width: 100, align: 'right' },
    { title: '议事会成员', dataIndex: 'councilMembers', width: 110, align: 'right' },
  ];

  return (
    <QueryTable<CommunityListItem>
      query={list}
      what="社区列表"
      rowKey="code"
      size="middle"
      loading={list.isFetching}
      columns={columns}
      rowClassName={() => 'sf-clickable-row'}
      onRow={(row) => ({ onClick: () => void navigate(`/regions/${row.code}`) })}
      empty={q ? '未找到匹配的社区' : '暂无社区'}
      scroll={{ x: 640 }}
      serverPages={{
        current: page.current,
        pageSize: page.pageSize,
        showSizeChanger: true,
        pageSizeOptions: [20, 50, 100],
        showTotal: (total) => `共 ${total} 个社区`,
        onChange: (current, pageSize) => setPage({ current: pageSize === page.pageSize ? current : 1, pageSize }),
      }}
    />
  );
}
