import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { Badge, Card, Col, Descriptions, Row, Space, Tag, Typography } from 'antd';
import { systemApi } from '../../api/endpoints';
import { useSession } from '../../auth/session';
import { PageTitle } from '../../components/PageTitle';
import { visibleNavItems } from '../../layout/menu';
import { LEVEL_LABELS } from '../../utils/format';
import { PERMISSION_LABELS as GENERATED_PERMISSION_LABELS } from '../../api/labels';

const PERMISSION_LABELS: Readonly<Record<string, string>> = GENERATED_PERMISSION_LABELS;

export default function DashboardPage() {
  const { user, can } = useSession();
  const health = useQuery({ queryKey: ['system', 'health'], queryFn: ({ signal }) => systemApi.health(signal), staleTime: 60_000 });
  const links = visibleNavItems(can).filter((item) => item.key !== 'home');

  return (
    <>
      <PageTitle title={`您好，${user.displayName}`}>
        <Typography.Text type="secondary">欢迎使用星级社区“以奖代补”专项资金管理平台</Typography.Text>
      </PageTitle>

      <Card title="账号信息" size="small" style={{ marginBottom: 24 }}>
        <Descriptions
          column={{ xs: 1, sm: 2, lg: 3 }}
          size="small"
          items={[
            { key: 'name', label: '姓名', children: user.displayName },
            { key: 'username', label: '用户名', children: user.username },
            { key: 'role', label: '角色', children: <Tag color="red">{user.roleLabel}</Tag> },
            {
              key: 'scope',
              label: '辖区',
              children: user.scope
                ? `${user.scope.name}（${LEVEL_LABELS[user.scope.level] ?? user.scope.level}，${user.scope.code}）`
                : user.orgId !== null
                  ? `机构账号（机构编号 ${user.orgId}）`
                  : '—',
            },
            {
              key: 'perms',
              label: '权限',
              span: 'filled',
              children: (
                <Space size={[4, 4]} wrap>
                  {user.permissions.map((p) => (
                    <Tag key={p}>{PERMISSION_LABELS[p] ?? p}</Tag>
                  ))}
                </Space>
              ),
            },
          ]}
        />
      </Card>

      <Typography.Title level={4} style={{ fontSize: 16 }}>
        常用入口
      </Typography.Title>
      <Row gutter={[16, 16]}>
        {links.map((item) => (
          <Col key={item.key} xs={24} sm={12} lg={8}>
            <Link to={item.path} style={{ display: 'block', height: '100%' }}>
              <Card hoverable size="small" style={{ height: '100%' }}>
                <Card.Meta
                  avatar={<span style={{ fontSize: 24, color: '#b71c1c' }}>{item.icon}</span>}
                  title={item.label}
                  description={item.description}
                />
              </Card>
            </Link>
          </Col>
        ))}
      </Row>

      <div style={{ marginTop: 24 }}>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          系统状态：
          {health.data ? (
            <Badge status="success" text={`正常（数据库：${health.data.db === 'postgres' ? 'PostgreSQL' : 'PGlite'}）`} />
          ) : health.isError ? (
            <Badge status="error" text="无法连接" />
          ) : (
            <Badge status="processing" text="检测中" />
          )}
        </Typography.Text>
      </div>
    </>
  );
}
