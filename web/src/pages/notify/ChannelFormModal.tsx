import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Form, Input, Modal, Select, Switch } from 'antd';
import { errorMessage } from '../../api/client';
import { RegionPicker } from '../../components/RegionPicker';
import { CHANNEL_KIND_LABELS } from '../../api/labels.gen';
import { notifyApi, notifyKeys, type Channel } from './api';

type Kind = keyof typeof CHANNEL_KIND_LABELS;

interface FormValues {
  regionCode: string;
  kind: Kind;
  name: string;
  target: string;
  secret?: string;
  clearSecret?: boolean;
  enabled: boolean;
}

const TARGET_HELP: Record<Kind, string> = {
  email: '收件邮箱，多个用逗号分隔（最多 20 个）',
  wecom: '企业微信群 → 群机器人 → Webhook 地址（https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…）',
  dingtalk: '钉钉群 → 智能群助手 → 自定义机器人 → Webhook 地址（https://oapi.dingtalk.com/robot/send?access_token=…）',
};

/** 新增 / 编辑提醒通道: region and kind are fixed once created; the DingTalk secret is write-only. */
export function ChannelFormModal({ channel, open, onClose }: { channel: Channel | null; open: boolean; onClose: () => void }) {
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<FormValues>();
  const kind = Form.useWatch('kind', form) ?? channel?.kind ?? 'email';
  const save = useMutation({
    mutationFn: (v: FormValues) =>
      channel
        ? notifyApi.update(channel.id, {
            name: v.name,
            target: v.target,
            enabled: v.enabled,
            ...(v.clearSecret ? { secret: null } : v.secret ? { secret: v.secret } : {}),
          })
        : notifyApi.create({
            regionCode: v.regionCode,
            kind: v.kind,
            name: v.name,
            target: v.target,
            enabled: v.enabled,
            ...(v.secret ? { secret: v.secret } : {}),
          }),
    onSuccess: () => {
      void message.success(channel ? '已保存' : '已新增提醒通道');
      void queryClient.invalidateQueries({ queryKey: notifyKeys.all });
      onClose();
    },
    onError: (error) => void message.error(errorMessage(error)),
  });
  return (
    <Modal
      open={open}
      title={channel ? `编辑提醒通道：${channel.name}` : '新增提醒通道'}
      okText="保存"
      cancelText="取消"
      confirmLoading={save.isPending}
      onOk={() => void form.validateFields().then((v) => save.mutate(v))}
      onCancel={onClose}
      destroyOnHidden
    >
      <Form<FormValues>
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={
          channel
            ? { regionCode: channel.regionCode, kind: channel.kind, name: channel.name, target: channel.target, enabled: channel.enabled }
            : { kind: 'email', enabled: true }
        }
      >
        <Form.Item name="regionCode" label="所属区划" rules={[{ required: true, message: '请选择区划' }]} extra="发送该区划各账号的待办">
          {channel ? <Input disabled value={channel.regionName} /> : <RegionPicker level="any" />}
        </Form.Item>
        <Form.Item name="kind" label="通道类型" rules={[{ required: true }]}>
          <Select disabled={!!channel} options={Object.entries(CHANNEL_KIND_LABELS).map(([value, label]) => ({ value, label }))} />
        </Form.Item>
        <Form.Item name="name" label="通道名称" rules={[{ required: true, message: '请填写名称' }, { max: 64 }]}>
          <Input placeholder="如：街道办工作群" />
        </Form.Item>
        <Form.Item
          name="target"
          label={kind === 'email' ? '收件邮箱' : 'Webhook 地址'}
          extra={TARGET_HELP[kind]}
          rules={[{ required: true, message: '请填写接收地址' }, { max: 2000 }]}
        >
          <Input.TextArea autoSize={{ minRows: 1, maxRows: 4 }} />
        </Form.Item>
        {kind === 'dingtalk' && (
          <Form.Item
            name="secret"
            label="加签密钥"
            extra={channel?.hasSecret ? '已设置（不显示）；填写新值替换，留空不变' : '机器人安全设置为"加签"时填写（SEC 开头）'}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
        )}
        {kind === 'dingtalk' && channel?.hasSecret && (
          <Form.Item name="clearSecret" label="清除加签密钥" valuePropName="checked">
            <Switch />
          </Form.Item>
        )}
        <Form.Item name="enabled" label="启用" valuePropName="checked">
          <Switch />
        </Form.Item>
      </Form>
    </Modal>
  );
}
