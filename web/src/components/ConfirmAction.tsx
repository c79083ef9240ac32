import { App, Button, Descriptions, Typography, type ButtonProps } from 'antd';
import { formatFen } from '../utils/money';

/**
 * Confirmation of an irreversible action (issue 19): what will happen, the amount, the clause and
 * the consequence, before anything is sent. Cancel sends nothing. Convenience only — the server
 * still checks every rule and permission.
 */
export interface ConfirmOptions {
  /** The question, e.g. "确认批准拨付？" */
  title: string;
  /** What will happen, e.g. "向承接机构拨付第 1 期款项". */
  action: React.ReactNode;
  /** The amount moved or approved, in fen (shown as ¥…). */
  amountFen?: number | null;
  /** The clause of the spec the action follows, e.g. "[N 3.1.2(2)]". */
  clause?: string;
  /** Why it cannot be taken back; defaults to "此操作不可撤销，提交后将立即生效。" */
  consequence?: React.ReactNode;
  okText?: string;
  danger?: boolean;
  /** Runs on OK; the modal waits for it. A failure is left to the page to show. */
  onOk: () => unknown;
}

const DEFAULT_CONSEQUENCE = '此操作不可撤销，提交后将立即生效。';

/** The modal's body: a short table of what, how much and by which clause, then the consequence. */
function ConfirmBody({ action, amountFen, clause, consequence }: Pick<ConfirmOptions, 'action' | 'amountFen' | 'clause' | 'consequence'>) {
  return (
    <div data-testid="confirm-action">
      <Descriptions
        size="small"
        column={1}
        items={[
          { key: 'a', label: '操作', children: action },
          ...(amountFen !== undefined && amountFen !== null
            ? [{ key: 'm', label: '金额', children: <span data-testid="confirm-amount">{formatFen(amountFen)}</span> }]
            : []),
          ...(clause ? [{ key: 'c', label: '依据', children: <span data-testid="confirm-clause">{clause}</span> }] : []),
        ]}
      />
      <Typography.Paragraph type="danger" style={{ marginTop: 8, marginBottom: 0 }}>
        {consequence ?? DEFAULT_CONSEQUENCE}
      </Typography.Paragraph>
    </div>
  );
}

/** A function that asks first, then runs `onOk` (for form submissions and row actions). */
export function useConfirmAction() {
  const { modal } = App.useApp();
  return (o: ConfirmOptions) =>
    modal.confirm({
      title: o.title,
      content: <ConfirmBody action={o.action} amountFen={o.amountFen} clause={o.clause} consequence={o.consequence} />,
      okText: o.okText ?? '确认',
      cancelText: '取消',
      okButtonProps: o.danger ? { danger: true } : undefined,
      width: 480,
      // The modal closes whether the action succeeds or fails; the page shows the error.
      onOk: () => Promise.resolve(o.onOk()).catch(() => undefined),
    });
}

/** A button that asks for confirmation before an irreversible action. */
export function ConfirmAction({
  confirm,
  children,
  ...button
}: Omit<ButtonProps, 'onClick'> & { confirm: ConfirmOptions; children: React.ReactNode }) {
  const ask = useConfirmAction();
  return (
    <Button {...button} onClick={() => ask(confirm)}>
      {children}
    </Button>
  );
}
