import { Suspense, useState } from 'react';
import { Link, Outlet, useLocation } from 'react-router';
import { Button, Drawer, Flex, Grid, Layout, Menu, Space, Tag, Tooltip, Typography } from 'antd';
import { LogoutOutlined, MenuOutlined, UserOutlined } from '@ant-design/icons';
import { useSession } from '../auth/session';
import { useLogout } from '../auth/useLogout';
import { PageLoading } from '../components/PageLoading';
import { useAppClock } from '../utils/clock';
import { activeNavKey, visibleNavItems } from './menu';
import { MessageBell } from './MessageBell';

const { Header, Sider, Content, Footer } = Layout;

export const APP_TITLE = '星级社区“以奖代补”专项资金管理平台';

export function AppLayout() {
  const { user, can } = useSession();
  const location = useLocation();
  const logout = useLogout();
  const screens = Grid.useBreakpoint();
  const [collapsed, setCollapsed] = useState(false);
  const [drawerOpen, setDrawerOpen] = useState(false);
  // Load the server's clock with the shell, so that pages and forms have today and the fund year at hand.
  useAppClock();
  const items = visibleNavItems(can);
  // Below the lg breakpoint the side menu moves into a drawer opened from the header.
  const compact = screens.lg === false;
  const menu = (
    <Menu
      mode="inline"
      selectedKeys={[activeNavKey(location.pathname)]}
      style={{ borderInlineEnd: 0, paddingTop: 8 }}
      onClick={() => setDrawerOpen(false)}
      items={items.map((item) => ({
        key: item.key,
        icon: item.icon,
        label: <Link to={item.path}>{item.label}</Link>,
      }))}
    />
  );

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Header style={{ display: 'flex', alignItems: 'center', gap: 16, paddingInline: screens.md ? 24 : 12, background: '#8c1414' }}>
        {compact && (
          <Button type="text" aria-label="打开菜单" icon={<MenuOutlined style={{ color: '#fff' }} />} onClick={() => setDrawerOpen(true)} />
        )}
        <Link to="/" className="sf-header-title" style={{ flex: 1, minWidth: 0 }} title={APP_TITLE}>
          {APP_TITLE}
        </Link>
        <Flex align="center" gap={12} style={{ color: '#fff', flexShrink: 0 }} data-testid="header-user">
          <MessageBell />
          <Space size={6}>
            <UserOutlined />
            <span>{user.displayName}</span>
          </Space>
          {screens.md && (
            <Tag color="gold" style={{ marginInlineEnd: 0 }}>
              {user.roleLabel}
            </Tag>
          )}
          {screens.lg && user.scope && (
            <Tooltip title={`辖区：${user.scope.name}（${user.scope.code}）`}>
              <span style={{ opacity: 0.85 }}>{user.scope.name}</span>
            </Tooltip>
          )}
          <Button size="small" ghost icon={<LogoutOutlined />} loading={logout.isPending} onClick={() => logout.mutate()}>
            退出
          </Button>
        </Flex>
      </Header>
      <Layout>
        {compact ? (
          <Drawer
            placement="left"
            open={drawerOpen}
            onClose={() => setDrawerOpen(false)}
            size={240}
            title="功能导航"
            styles={{ body: { padding: 0 } }}
          >
            {menu}
          </Drawer>
        ) : (
          <Sider
            theme="light"
            width={208}
            collapsedWidth={64}
            collapsible
            collapsed={collapsed}
            onCollapse={setCollapsed}
            style={{ borderRight: '1px solid #f0f0f0' }}
          >
            {menu}
          </Sider>
        )}
        <Layout>
          <Content style={{ margin: screens.md ? 24 : 12, minWidth: 0 }}>
            <div style={{ background: '#fff', padding: screens.md ? 24 : 12, borderRadius: 8, minHeight: 360 }}>
              <Suspense fallback={<PageLoading />}>
                <Outlet />
              </Suspense>
            </div>
          </Content>
          <Footer style={{ textAlign: 'center', padding: '12px 24px' }}>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              StarFund · {APP_TITLE}
            </Typography.Text>
          </Footer>
        </Layout>
      </Layout>
    </Layout>
  );
}
