import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Popconfirm, Space } from 'antd';
import { errorMessage } from '../../api/client';
import { accountKeys, accountsApi, type Account } from './api';
import type { IssuedPassword } from './OneTimePasswordModal';

/**
 * A row's 编辑, 重置密码 and 停用 / 启用; each irreversible step first says what it will do.
 * A reset's one-time password goes to `onIssued` (shown once).
 */
export function AccountActions({
  account,
  onEdit,
  onIssued,
}: {
  account: Account;
  onEdit: () => void;
  onIssued: (issued: IssuedPassword) => void;
}) {
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const refresh = () => void queryClient.invalidateQueries({ queryKey: accountKeys.all });
  const onError = (error: unknown) => void message.error(errorMessage(error));

  const reset = useMutation({
    mutationFn: () => accountsApi.resetPassword(account.id),
    onSuccess: ({ user, oneTimePassword }) => {
      refresh();
      onIssued({ username: user.username, displayName: user.displayName, oneTimePassword, reason: 'reset' });
    },
    onError,
  });
  const toggle = useMutation({
    mutationFn: () => accountsApi.update(account.id, { disabled: !account.disabled }),
    onSuccess: () => {
      refresh();
      void message.success(account.disabled ? '已启用' : '已停用');
    },
    onError,
  });

  return (
    <Space size={0} wrap>
      <Button type="link" size="small" onClick={onEdit}>
        编辑
      </Button>
      <Popconfirm
        title={`重置 ${account.username} 的密码？`}
        description={<div style={{ maxWidth: 280 }}>将生成一次性密码，原密码立即失效，该账号所有登录将被终止。</div>}
        okText="重置密码"
        okButtonProps={{ danger: true }}
        onConfirm={() => reset.mutateAsync().catch(() => undefined)}
      >
        <Button type="link" size="small" loading={reset.isPending}>
          重置密码
        </Button>
      </Popconfirm>
      <Popconfirm
        title={account.disabled ? `启用 ${account.username}？` : `停用 ${account.username}？`}
        description={
          <div style={{ maxWidth: 280 }}>
            {account.disabled
              ? '启用后该账号可以用原密码重新登录。'
              : '停用后该账号不能登录，其所有登录将被立即终止；可随时重新启用，记录不会删除。'}
          </div>
        }
        okText={account.disabled ? '启用' : '停用'}
        okButtonProps={{ danger: !account.disabled }}
        onConfirm={() => toggle.mutateAsync().catch(() => undefined)}
      >
        <Button type="link" size="small" danger={!account.disabled} loading={toggle.isPending}>
          {account.disabled ? '启用' : '停用'}
        </Button>
      </Popconfirm>
    </Space>
  );
}
