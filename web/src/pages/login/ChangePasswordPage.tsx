import { useNavigate } from 'react-router';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Flex, Form, Input, Typography } from 'antd';
import { LockOutlined } from '@ant-design/icons';
import { errorMessage, isApiError } from '../../api/client';
import { authApi, type ChangePasswordRequest } from '../../api/endpoints';
import { ME_QUERY_KEY, useSession } from '../../auth/session';
import { useLogout } from '../../auth/useLogout';

type Values = ChangePasswordRequest & { confirm: string };

/** The password policy as the server enforces it (auth.rules.ts passwordProblem / newPasswordVerdict). */
const POLICY_HINT = '至少 10 个字符，须同时包含字母和数字，不能与用户名相同，也不能与当前密码相同。';

/**
 * 修改初始密码: what an account with a one-time password (new, or reset by its administrator) sees
 * instead of the console until it has chosen its own password; then it goes on to its to-do.
 */
export default function ChangePasswordPage() {
  const { user } = useSession();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const logout = useLogout();
  const [form] = Form.useForm<Values>();
  const change = useMutation({
    mutationFn: ({ currentPassword, newPassword }: Values) => authApi.changePassword({ currentPassword, newPassword }),
    meta: { skipAuthRedirect: true },
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ME_QUERY_KEY });
      void navigate('/todo', { replace: true });
    },
    onError: (error) => {
      if (isApiError(error) && (error.field === 'currentPassword' || error.field === 'newPassword')) {
        form.setFields([{ name: error.field, errors: [error.message] }]);
      }
    },
  });
  const fieldError = isApiError(change.error) && (change.error.field === 'currentPassword' || change.error.field === 'newPassword');

  return (
    <Flex
      align="center"
      justify="center"
      style={{ minHeight: '100vh', padding: 16, background: 'linear-gradient(160deg, #8c1414 0%, #b71c1c 35%, #f5f5f5 35%)' }}
    >
      <Card style={{ width: '100%', maxWidth: 440 }} styles={{ body: { padding: 32 } }}>
        <Typography.Title level={3} style={{ textAlign: 'center', marginBottom: 4 }}>
          修改初始密码
        </Typography.Title>
        <Typography.Paragraph type="secondary" style={{ textAlign: 'center' }}>
          {user.displayName}（{user.username}）
        </Typography.Paragraph>
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          title="您正在使用管理员发放的一次性密码，请先设置自己的密码，之后才能办理业务。"
        />
        {change.isError && !fieldError && <Alert type="error" showIcon title={errorMessage(change.error)} style={{ marginBottom: 16 }} />}
        <Form<Values> form={form} layout="vertical" requiredMark={false} onFinish={(v) => change.mutate(v)}>
          <Form.Item label="当前密码（一次性密码）" name="currentPassword" rules={[{ required: true, message: '请输入当前密码' }]}>
            <Input.Password id="currentPassword" prefix={<LockOutlined />} autoComplete="current-password" autoFocus />
          </Form.Item>
          <Form.Item label="新密码" name="newPassword" extra={POLICY_HINT} rules={[{ required: true, message: '请输入新密码' }]}>
            <Input.Password id="newPassword" prefix={<LockOutlined />} autoComplete="new-password" />
          </Form.Item>
          <Form.Item
            label="再次输入新密码"
            name="confirm"
            dependencies={['newPassword']}
            rules={[
              { required: true, message: '请再次输入新密码' },
              ({ getFieldValue }) => ({
                validator: (_, value) =>
                  !value || value === getFieldValue('newPassword')
                    ? Promise.resolve()
                    : Promise.reject(new Error('两次输入的新密码不一致')),
              }),
            ]}
          >
            <Input.Password id="confirm" prefix={<LockOutlined />} autoComplete="new-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block size="large" loading={change.isPending}>
            修改密码并进入系统
          </Button>
        </Form>
        <Button type="link" block style={{ marginTop: 8 }} loading={logout.isPending} onClick={() => logout.mutate()}>
          退出登录
        </Button>
      </Card>
    </Flex>
  );
}
