import { Alert, Form, Input, Modal } from 'antd';

/**
 * The confirmation of an action that cannot be taken back and needs a reason: it states the
 * consequence (amounts included) before anything happens, and sends only a non-empty reason.
 * Replaces the browser's own prompt, which can neither explain nor be styled or tested.
 * The reason is a labelled, required form field (antd Form, Chinese validation message).
 */
export function ReasonModal({
  open,
  title,
  consequence,
  reasonLabel,
  okText,
  loading,
  onCancel,
  onConfirm,
}: {
  open: boolean;
  title: string;
  consequence: React.ReactNode;
  reasonLabel: string;
  okText: string;
  loading?: boolean;
  onCancel: () => void;
  onConfirm: (reason: string) => void;
}) {
  const [form] = Form.useForm<{ reason: string }>();
  const reason = Form.useWatch('reason', form) ?? '';
  return (
    <Modal
      open={open}
      title={title}
      okText={okText}
      okButtonProps={{ danger: true, disabled: !reason.trim(), loading }}
      onCancel={onCancel}
      onOk={() => void form.validateFields().then((v) => onConfirm(v.reason.trim()))}
      afterClose={() => form.resetFields()}
      forceRender
    >
      <Alert type="warning" showIcon title={consequence} style={{ marginBottom: 12 }} />
      <Form form={form} layout="vertical" requiredMark>
        <Form.Item
          name="reason"
          label={reasonLabel}
          rules={[{ required: true, whitespace: true, message: `请填写${reasonLabel.replace(/（.*）$/, '')}` }]}
        >
          <Input.TextArea rows={3} maxLength={500} showCount />
        </Form.Item>
      </Form>
    </Modal>
  );
}
