import { useState } from 'react';
import { Link } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Input, Modal, Segmented, Space, Tag, Typography } from 'antd';
import { errorMessage } from '../../api/client';
import { PROCUREMENT_STATUS_LABELS } from '../../api/labels';
import { useSession } from '../../auth/session';
import { QueryTable } from '../../components/QueryTable';
import { PageTitle } from '../../components/PageTitle';
import { formatFen } from '../../utils/money';
import { procurementApi, STATUS_LABELS, type PaymentRequestStatus, type RequestListItem } from './api';
import { ConfirmAction } from '../../components/ConfirmAction';

const STATUS_FILTERS: readonly PaymentRequestStatus[] = ['requested', 'approved', 'rejected'];

/** 拨付审批: the street office approves (disburses) or rejects the providers' requests [N 3.3]. */
export default function PaymentsPage() {
  const { can } = useSession();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [status, setStatus] = useState<PaymentRequestStatus | 'all'>('requested');
  const [rejecting, setRejecting] = useState<RequestListItem | null>(null);
  const [reason, setReason] = useState('');
  const list = useQuery({
    queryKey: ['payment-requests', status],
    queryFn: ({ signal }) => procurementApi.paymentRequests(status === 'all' ? undefined : status, signal),
  });
  const done = () => {
    void qc.invalidateQueries({ queryKey: ['payment-requests'] });
    void qc.invalidateQueries({ queryKey: ['contract'] });
  };
  const approve = useMutation({
    mutationFn: (id: number) => procurementApi.approve(id),
    onSuccess: () => {
      void message.success('已批准，资金已拨付');
      done();
    },
    onError: (e) => void message.error(errorMessage(e)),
  });
  const reject = useMutation({
    mutationFn: ({ id, reason }: { id: number; reason: string }) => procurementApi.reject(id, reason),
    onSuccess: () => {
      setRejecting(null);
      setReason('');
      done();
    },
    onError: (e) => void message.error(errorMessage(e)),
  });
  return (
    <>
      <PageTitle
        title="拨付审批"
        extra={
          <Segmented<PaymentRequestStatus | 'all'>
            value={status}
            onChange={setStatus}
            options={[
              ...STATUS_FILTERS.map((value) => ({ value, label: PROCUREMENT_STATUS_LABELS[value] })),
              { value: 'all', label: '全部' },
            ]}
          />
        }
      >
        <Typography.Text type="secondary">只拨付给签约的承接主体、只拨付条件已满足的期次、每期只拨付一次 [N 3.3]</Typography.Text>
      </PageTitle>
      <QueryTable<RequestListItem>
        query={list}
        rowKey="id"
        columns={[
          { title: '合同', render: (_: unknown, r) => <Link to={`/contracts/${r.contract.id}`}>{r.contract.ref}</Link> },
          { title: '承接主体', dataIndex: 'providerName' },
          { title: '期次', render: (_: unknown, r) => `第 ${r.instalment.seq} 期 · ${r.instalment.conditionLabel}` },
          { title: '金额', dataIndex: 'amountFen', render: formatFen, align: 'right' },
          { title: '申请日期', dataIndex: 'requestedOn', width: 110 },
          { title: '说明', dataIndex: 'note' },
          { title: '状态', dataIndex: 'status', render: (s: string) => <Tag>{STATUS_LABELS[s] ?? s}</Tag> },
          {
            title: '操作',
            render: (_: unknown, r) =>
              r.status === 'requested' && can('payments:approve') ? (
                <Space>
                  <ConfirmAction
                    type="primary"
                    size="small"
                    loading={approve.isPending}
                    confirm={{
                      title: '确认批准拨付？',
                      action: `向 ${r.providerName} 拨付合同 ${r.contract.ref} 第 ${r.instalment.seq} 期款项（${r.instalment.conditionLabel}）`,
                      amountFen: r.amountFen,
                      clause: '[N 3.3]',
                      consequence: '此操作不可撤销：批准后款项即从合同占用转为已拨付，记入资金台账，每期只拨付一次。',
                      okText: '批准拨付',
                      onOk: () => approve.mutateAsync(r.id),
                    }}
                  >
                    批准拨付
                  </ConfirmAction>
                  <Button size="small" onClick={() => setRejecting(r)}>
                    驳回
                  </Button>
                </Space>
              ) : (
                r.decisionNote
              ),
          },
        ]}
      />
      <Modal
        title="驳回拨付申请"
        open={rejecting !== null}
        onCancel={() => setRejecting(null)}
        okButtonProps={{ disabled: !reason.trim() }}
        confirmLoading={reject.isPending}
        onOk={() => rejecting && reject.mutate({ id: rejecting.id, reason: reason.trim() })}
      >
        <Input.TextArea rows={3} value={reason} onChange={(e) => setReason(e.target.value)} placeholder="驳回理由" />
      </Modal>
    </>
  );
}
