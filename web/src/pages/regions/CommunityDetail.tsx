import { useState } from 'react';
import { Link } from 'react-router';
import { Button, Card, Col, Descriptions, Row, Space, Table, Tag, Typography } from 'antd';
import { EditOutlined } from '@ant-design/icons';
import type { CommunityProfile, CommunityRating, RegionSummary } from '../../api/endpoints';
import { useSession } from '../../auth/session';
import { Stars } from '../../components/Stars';
import { ProfileEditModal } from './ProfileEditModal';

export function latestRating(ratings: CommunityRating[]): CommunityRating | null {
  return ratings.reduce<CommunityRating | null>((best, r) => (best === null || r.year > best.year ? r : best), null);
}

export function CommunityDetail({
  region,
  ancestors,
  community,
}: {
  region: RegionSummary;
  ancestors: RegionSummary[];
  community: CommunityProfile;
}) {
  const { can } = useSession();
  const [editing, setEditing] = useState(false);
  const latest = latestRating(community.ratings);
  const ratings = [...community.ratings].sort((a, b) => b.year - a.year);
  const belongsTo = ancestors.map((a) => a.name).join(' / ');

  return (
    <>
      <Row justify="space-between" align="middle" gutter={[12, 12]} style={{ marginBottom: 16 }}>
        <Col>
          <Space align="center" wrap>
            <Typography.Title level={2} style={{ margin: 0, fontSize: 22 }} data-testid="community-name">
              {community.name}
            </Typography.Title>
            <Tag>{region.kind}</Tag>
            <Stars stars={latest?.stars ?? null} />
            {latest && <Typography.Text type="secondary">（{latest.year}年度评定）</Typography.Text>}
          </Space>
        </Col>
        {can('regions:write') && (
          <Col>
            <Button type="primary" icon={<EditOutlined />} onClick={() => setEditing(true)}>
              编辑
            </Button>
          </Col>
        )}
      </Row>

      <Row gutter={[16, 16]}>
        <Col xs={24} lg={15}>
          <Card
            title="社区基本情况"
            size="small"
            extra={
              can('households:read') && (
                <Space>
                  <Link to={`/households/${community.code}`}>居民户登记</Link>
                  <Link to={`/households/${community.code}/roster`} data-testid="community-roster-link">
                    居民代表与议事会成员
                  </Link>
                </Space>
              )
            }
          >
            <Descriptions
              column={{ xs: 1, sm: 2 }}
              size="small"
              items={[
                { key: 'code', label: '社区代码', children: community.code },
                { key: 'parent', label: '所属', children: belongsTo || '—' },
                { key: 'households', label: '常住人口户数', children: `${community.residentHouseholds} 户` },
                { key: 'reps', label: '居民代表人数', children: `${community.representatives} 人` },
                { key: 'council', label: '议事会成员人数', children: `${community.councilMembers} 人` },
                { key: 'phone', label: '联系电话', children: community.contactPhone || '—' },
                { key: 'address', label: '地址', span: 'filled', children: community.address || '—' },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} lg={9}>
          <Card title="历年星级评定" size="small">
            <Table<CommunityRating>
              rowKey="year"
              size="small"
              pagination={false}
              dataSource={ratings}
              locale={{ emptyText: '暂无评星记录' }}
              columns={[
                { title: '评定年度', dataIndex: 'year', render: (y: number) => `${y}年度` },
                { title: '星级', dataIndex: 'stars', render: (s: number) => <Stars stars={s} /> },
              ]}
            />
          </Card>
        </Col>
      </Row>

      {editing && <ProfileEditModal community={community} onClose={() => setEditing(false)} />}
    </>
  );
}
