import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Popconfirm, Space, Tooltip } from 'antd';
import { errorMessage } from '../../api/client';
import { notifyApi, notifyKeys, type Channel } from './api';

/** A channel's 编辑, 发送测试 and 停用 (after confirmation) / 启用. */
export function ChannelActions({ channel: c, remindersOn, onEdit }: { channel: Channel; remindersOn: boolean; onEdit: () => void }) {
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const refresh = () => void queryClient.invalidateQueries({ queryKey: notifyKeys.all });
  const onError = (error: unknown) => void message.error(errorMessage(error));
  const disable = useMutation({
    mutationFn: () => notifyApi.update(c.id, { enabled: !c.enabled }),
    onSuccess: (updated) => {
      void message.success(updated.enabled ? '已启用' : '已停用');
      refresh();
    },
    onError,
  });
  const test = useMutation({
    mutationFn: () => notifyApi.test(c.id),
    onSuccess: (row) => {
      if (row.status === 'sent') void message.success('测试消息已发送');
      else void message.warning(`测试消息未发出：${row.lastError ?? row.statusLabel}`);
      refresh();
    },
    onError,
  });
  return (
    <Space size="small" wrap>
      <Button size="small" onClick={onEdit}>
        编辑
      </Button>
      <Tooltip title={remindersOn ? '立即向该通道发送一条测试消息' : '提醒功能未开启'}>
        <Button size="small" disabled={!remindersOn || !c.enabled} loading={test.isPending} onClick={() => test.mutate()}>
          发送测试
        </Button>
      </Tooltip>
      {c.enabled ? (
        <Popconfirm
          title={`停用通道"${c.name}"？`}
          description="停用后不再向该通道发送任何提醒，未发出的消息将记为发送失败。"
          okText="停用"
          cancelText="取消"
          okButtonProps={{ danger: true }}
          onConfirm={() => disable.mutate()}
        >
          <Button size="small" danger>
            停用
          </Button>
        </Popconfirm>
      ) : (
        <Button size="small" onClick={() => disable.mutate()}>
          启用
        </Button>
      )}
    </Space>
  );
}
