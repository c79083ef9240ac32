import { Link } from 'react-router';
import { Breadcrumb } from 'antd';
import { HomeOutlined } from '@ant-design/icons';
import type { RegionSummary } from '../../api/endpoints';

export function RegionBreadcrumb({ ancestors, region }: { ancestors: RegionSummary[]; region: RegionSummary }) {
  return (
    <Breadcrumb
      style={{ marginBottom: 12 }}
      items={[
        {
          key: 'root',
          title: (
            <Link to="/regions" aria-label="我的辖区">
              <HomeOutlined />
            </Link>
          ),
        },
        ...ancestors.map((a) => ({ key: a.code, title: <Link to={`/regions/${a.code}`}>{a.name}</Link> })),
        { key: region.code, title: region.name },
      ]}
    />
  );
}
