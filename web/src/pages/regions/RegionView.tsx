import { useSearchParams } from 'react-router';
import { Descriptions, Input, Space, Tag, Typography } from 'antd';
import type { RegionDetailResponse } from '../../api/endpoints';
import { ErrorView } from '../../components/ErrorView';
import { PageLoading } from '../../components/PageLoading';
import { PageTitle } from '../../components/PageTitle';
import { LEVEL_LABELS } from '../../utils/format';
import { CommunityDetail } from './CommunityDetail';
import { CommunityTable } from './CommunityTable';
import { RegionBreadcrumb } from './RegionBreadcrumb';
import { RegionChildrenTable } from './RegionChildrenTable';
import { useRegionDetail } from './queries';

export function RegionView({ code }: { code: string }) {
  const detail = useRegionDetail(code);
  if (detail.isPending) return <PageLoading />;
  if (detail.isError) return <ErrorView error={detail.error} what="该区域" onRetry={() => void detail.refetch()} />;

  const { region, ancestors } = detail.data;
  return (
    <>
      <RegionBreadcrumb ancestors={ancestors} region={region} />
      {region.level === 'community' && detail.data.community ? (
        <CommunityDetail region={region} ancestors={ancestors} community={detail.data.community} />
      ) : (
        <RegionOverview data={detail.data} />
      )}
    </>
  );
}

function RegionOverview({ data }: { data: RegionDetailResponse }) {
  const { region, children } = data;
  const [params, setParams] = useSearchParams();
  const q = params.get('q')?.trim() ?? '';
  const childrenAreCommunities = region.level === 'street' || (children.length > 0 && children.every((c) => c.level === 'community'));

  const onSearch = (value: string) => {
    const next = new URLSearchParams(params);
    if (value.trim()) next.set('q', value.trim());
    else next.delete('q');
    setParams(next, { replace: true });
  };

  return (
    <>
      <PageTitle
        title={
          <Space>
            {region.name}
            <Tag>{region.kind}</Tag>
          </Space>
        }
        extra={
          <Input.Search
            key={region.code}
            placeholder="搜索社区"
            aria-label="搜索社区"
            allowClear
            enterButton="搜索"
            defaultValue={q}
            onSearch={onSearch}
            style={{ width: 300, maxWidth: '100%' }}
          />
        }
      />
      <Descriptions
        size="small"
        column={{ xs: 1, sm: 2, md: 4 }}
        style={{ marginBottom: 16 }}
        items={[
          { key: 'code', label: '区划代码', children: region.code },
          { key: 'level', label: '层级', children: LEVEL_LABELS[region.level] ?? region.level },
          { key: 'children', label: '下级区域', children: `${children.length} 个` },
          { key: 'count', label: '社区数', children: `${region.communityCount} 个` },
        ]}
      />
      {q ? (
        <>
          <Typography.Title level={4} style={{ fontSize: 16 }}>
            “{q}”的搜索结果
          </Typography.Title>
          <CommunityTable key={q} code={region.code} q={q} showDistrict />
        </>
      ) : childrenAreCommunities ? (
        <CommunityTable code={region.code} />
      ) : (
        <RegionChildrenTable items={children} />
      )}
    </>
  );
}
