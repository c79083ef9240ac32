import { Link, Navigate, useLocation, useNavigate } from 'react-router';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Flex, Form, Input, Typography } from 'antd';
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { authApi } from '../../api/endpoints';
import { errorMessage } from '../../api/client';
import type { LoginRequest } from '../../api/endpoints';
import { ME_QUERY_KEY, useMeQuery } from '../../auth/session';
import { PageLoading } from '../../components/PageLoading';
import { landingPath } from '../../auth/landing';

const TITLE = '星级社区“以奖代补”专项资金管理平台';

function safeFrom(state: unknown): string {
  const from = (state as { from?: unknown } | null)?.from;
  return typeof from === 'string' && from.startsWith('/') && !from.startsWith('//') && !from.startsWith('/login') ? from : '/';
}

export default function LoginPage() {
  const me = useMeQuery();
  const location = useLocation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const target = safeFrom(location.state);

  const login = useMutation({
    mutationFn: (values: LoginRequest) => authApi.login(values),
    meta: { skipAuthRedirect: true },
    onSuccess: ({ user }) => {
      queryClient.setQueryData(ME_QUERY_KEY, user);
      void navigate(landingPath(user.role, target), { replace: true });
    },
  });

  if (me.isPending) return <PageLoading fullscreen />;
  if (me.data) return <Navigate to={landingPath(me.data.role, target)} replace />;

  return (
    <Flex
      align="center"
      justify="center"
      style={{ minHeight: '100vh', padding: 16, background: 'linear-gradient(160deg, #8c1414 0%, #b71c1c 35%, #f5f5f5 35%)' }}
    >
      <Card style={{ width: '100%', maxWidth: 400 }} styles={{ body: { padding: 32 } }}>
        <Typography.Title level={3} style={{ textAlign: 'center', marginBottom: 4 }}>
          {TITLE}
        </Typography.Title>
        <Typography.Paragraph type="secondary" style={{ textAlign: 'center', marginBottom: 24 }}>
          沈阳市民政局 · 账号登录
        </Typography.Paragraph>
        {login.isError && <Alert type="error" showIcon title={errorMessage(login.error)} style={{ marginBottom: 16 }} role="alert" />}
        <Form<LoginRequest> layout="vertical" requiredMark={false} onFinish={(values) => login.mutate(values)} autoComplete="on">
          <Form.Item label="用户名" name="username" rules={[{ required: true, whitespace: true, message: '请输入用户名' }]}>
            <Input id="username" prefix={<UserOutlined />} placeholder="用户名" autoComplete="username" size="large" autoFocus />
          </Form.Item>
          <Form.Item label="密码" name="password" rules={[{ required: true, message: '请输入密码' }]}>
            <Input.Password id="password" prefix={<LockOutlined />} placeholder="密码" autoComplete="current-password" size="large" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block size="large" loading={login.isPending}>
            登录
          </Button>
        </Form>
        <Typography.Paragraph style={{ textAlign: 'center', marginTop: 16, marginBottom: 0 }}>
          <Link to="/portal">居民与公众：查看信息公开（无需登录）</Link>
        </Typography.Paragraph>
      </Card>
    </Flex>
  );
}
