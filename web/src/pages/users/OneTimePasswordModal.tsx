import { Alert, App, Button, Descriptions, Modal, Typography } from 'antd';
import { CopyOutlined } from '@ant-design/icons';

/** What the one-time password modal shows: whose password it is, and the password itself. */
export interface IssuedPassword {
  username: string;
  displayName: string;
  oneTimePassword: string;
  /** 新建 or 重置. */
  reason: 'created' | 'reset';
}

/**
 * The one-time password of a new or reset account, shown once (the server keeps only its hash): a copy
 * button and the note that it must be changed at first sign-in.
 */
export function OneTimePasswordModal({ issued, onClose }: { issued: IssuedPassword; onClose: () => void }) {
  const { message } = App.useApp();
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(issued.oneTimePassword);
      void message.success('已复制一次性密码');
    } catch {
      void message.warning('浏览器不允许复制，请手工抄录');
    }
  };
  return (
    <Modal
      open
      title={issued.reason === 'created' ? '账号已创建' : '密码已重置'}
      onCancel={onClose}
      maskClosable={false}
      footer={
        <Button type="primary" onClick={onClose}>
          我已记下，关闭
        </Button>
      }
    >
      <Alert
        type="warning"
        showIcon
        style={{ marginBottom: 16 }}
        title="一次性密码只显示这一次"
        description="请通过安全渠道交给账号使用人。首次登录时必须修改密码，修改前不能办理任何业务。"
      />
      <Descriptions column={1} bordered size="small">
        <Descriptions.Item label="用户名">{issued.username}</Descriptions.Item>
        <Descriptions.Item label="姓名 / 名称">{issued.displayName}</Descriptions.Item>
        <Descriptions.Item label="一次性密码">
          <Typography.Text code strong data-testid="one-time-password" style={{ fontSize: 16 }}>
            {issued.oneTimePassword}
          </Typography.Text>
          <Button size="small" icon={<CopyOutlined />} onClick={() => void copy()} style={{ marginInlineStart: 8 }}>
            复制
          </Button>
        </Descriptions.Item>
      </Descriptions>
    </Modal>
  );
}
