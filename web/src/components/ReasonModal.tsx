import { useState } from 'react';
import { Alert, Input, Modal, Typography } from 'antd';

/**
 * The confirmation of an action that cannot be taken back and needs a reason: it states the
 * consequence (amounts included) before anything happens, and sends only a non-empty reason.
 * Replaces the browser's own prompt, which can neither explain nor be styled or tested.
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
  const [reason, setReason] = useState('');
  return (
    <Modal
      open={open}
      title={title}
      okText={okText}
      okButtonProps={{ danger: true, disabled: !reason.trim(), loading }}
      onCancel={onCancel}
      onOk={() => onConfirm(reason.trim())}
      afterClose={() => setReason('')}
      destroyOnHidden
    >
      <Alert type="warning" showIcon title={consequence} style={{ marginBottom: 12 }} />
      <Typography.Text>{reasonLabel}</Typography.Text>
      <Input.TextArea
        aria-label={reasonLabel}
        rows={3}
        maxLength={500}
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        style={{ marginTop: 4 }}
      />
    </Modal>
  );
}
