import { useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { useMutation, useQuery } from '@tanstack/react-query';
import { App, Button, Card, DatePicker, Form, Input, Select, Table, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { errorMessage } from '../../api/client';
import { labelOptions, PROCUREMENT_METHOD_LABELS } from '../../api/labels';
import { useToday } from '../../utils/clock';
import { formatFen } from '../../utils/money';
import { newRequestId } from '../../utils/request-id';
import { procurementApi, type ContractableProject, type InstalmentCondition, type ProcurementMethod } from './api';

const METHODS = labelOptions(PROCUREMENT_METHOD_LABELS);

const SCHEDULES: Record<string, { label: string; parts: { condition: InstalmentCondition; share: number }[] }> = {
  '40-30-30': {
    label: '签订后 40%，中期评估合格后 30%，终期评估合格后 30%',
    parts: [
      { condition: 'on_signing', share: 40 },
      { condition: 'after_midterm_passed', share: 30 },
      { condition: 'after_final_passed', share: 30 },
    ],
  },
  '50-50': {
    label: '签订后 50%，终期评估合格后 50%',
    parts: [
      { condition: 'on_signing', share: 50 },
      { condition: 'after_final_passed', share: 50 },
    ],
  },
  '100-final': { label: '终期评估合格后一次付清', parts: [{ condition: 'after_final_passed', share: 100 }] },
};

/** Instalments in whole fen that add up exactly to the amount (the last takes the remainder). */
export function splitInstalments(amountFen: number, parts: { condition: InstalmentCondition; share: number }[]) {
  let left = amountFen;
  return parts.map((p, i) => {
    const amount = i === parts.length - 1 ? left : Math.floor((amountFen * p.share) / 100);
    left -= amount;
    return { condition: p.condition, amountFen: amount };
  });
}

/** 登记采购并起草合同 for filed projects of the community (or the street's area) [N 3.1.3]. */
export function NewContractCard({ fundYear, communityCode }: { fundYear: number; communityCode: string | null }) {
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [form] = Form.useForm();
  const [selected, setSelected] = useState<number[]>([]);
  // The procurement is decided today by the server's clock.
  const today = useToday();
  const projects = useQuery({
    queryKey: ['procurement-projects', fundYear],
    queryFn: ({ signal }) => procurementApi.projects(fundYear, signal),
  });
  const providers = useQuery({ queryKey: ['providers', fundYear], queryFn: ({ signal }) => procurementApi.providers(fundYear, signal) });
  const chosen = (projects.data?.items ?? []).filter((p) => selected.includes(p.projectId));
  const budget = chosen.reduce((s, p) => s + p.budgetFen, 0);
  // One attempt = one key, kept while the form and the selection are unchanged: submitting again
  // after a lost answer returns the procurement and contract already recorded (ADR 0010).
  const attempt = useRef<string | null>(null);
  const create = useMutation({
    mutationFn: async (v: {
      method: ProcurementMethod;
      providerId: number;
      selectionReason: string;
      title: string;
      period: [Dayjs, Dayjs];
      schedule: string;
      deliverables: string;
    }) => {
      attempt.current ??= newRequestId();
      const community = communityCode ?? chosen[0]?.communityCodes[0] ?? '';
      const purchaser = communityCode ?? community.slice(0, 9);
      const proc = await procurementApi.createProcurement({
        fundYear,
        purchaserCode: purchaser,
        method: v.method,
        projectIds: selected,
        candidates: [{ providerId: v.providerId, name: providers.data?.items.find((p) => p.id === v.providerId)?.name ?? '' }],
        selectedProviderId: v.providerId,
        selectionReason: v.selectionReason,
        decidedOn: today!,
        requestId: `${attempt.current}-p`,
      });
      return procurementApi.createContract({
        procurementId: proc.id,
        communityCode: community,
        title: v.title,
        amountFen: budget,
        startsOn: v.period[0].format('YYYY-MM-DD'),
        endsOn: v.period[1].format('YYYY-MM-DD'),
        deliverables: v.deliverables
          .split(/[；;\n]/)
          .map((d) => d.trim())
          .filter(Boolean),
        instalments: splitInstalments(budget, SCHEDULES[v.schedule]!.parts),
        requestId: `${attempt.current}-c`,
      });
    },
    onSuccess: (c) => {
      attempt.current = null;
      void message.success(`合同 ${c.ref} 已起草，核对后签订`);
      void navigate(`/contracts/${c.id}`);
    },
    onError: (e) => void message.error(errorMessage(e)),
  });
  return (
    <Card size="small" title="登记采购并起草合同" style={{ marginBottom: 16 }}>
      <Table<ContractableProject>
        rowKey="projectId"
        size="small"
        pagination={false}
        loading={projects.isPending}
        dataSource={projects.data?.items ?? []}
        locale={{ emptyText: '暂无已备案的项目' }}
        rowSelection={{
          selectedRowKeys: selected,
          onChange: (keys) => {
            attempt.current = null;
            setSelected(keys.map(Number));
          },
          getCheckboxProps: (p) => ({ disabled: p.contractId !== null }),
        }}
        columns={[
          { title: '已备案项目', dataIndex: 'title' },
          { title: '预算', dataIndex: 'budgetFen', render: formatFen, align: 'right' },
          { title: '合同', dataIndex: 'contractId', render: (id: number | null) => (id ? `已签约（#${id}）` : '—') },
        ]}
      />
      {selected.length > 0 && (
        <Form
          form={form}
          layout="vertical"
          style={{ marginTop: 16, maxWidth: 720 }}
          onFinish={(v) => create.mutate(v)}
          onValuesChange={() => (attempt.current = null)}
          initialValues={{ method: 'competitive_consultation', schedule: '40-30-30' }}
        >
          <Typography.Paragraph>
            合同金额（所选项目预算合计）：<strong>{formatFen(budget)}</strong>
          </Typography.Paragraph>
          <Form.Item name="method" label="采购方式" rules={[{ required: true }]}>
            <Select options={METHODS} />
          </Form.Item>
          <Form.Item name="providerId" label="承接主体" rules={[{ required: true }]}>
            <Select
              options={(providers.data?.items ?? []).map((p) => ({
                value: p.id,
                label: `${p.name}${p.eligibility.eligible ? '' : '（本年度不具备承接资格）'}`,
                disabled: !p.eligibility.eligible,
              }))}
            />
          </Form.Item>
          <Form.Item name="selectionReason" label="选定理由" rules={[{ required: true }]}>
            <Input.TextArea rows={2} />
          </Form.Item>
          <Form.Item name="title" label="合同名称" rules={[{ required: true }]}>
            <Input />
          </Form.Item>
          <Form.Item name="period" label="合同期限" rules={[{ required: true }]}>
            <DatePicker.RangePicker />
          </Form.Item>
          <Form.Item name="deliverables" label="交付成果（以分号分隔）" rules={[{ required: true }]}>
            <Input.TextArea rows={2} />
          </Form.Item>
          <Form.Item name="schedule" label="分期付款">
            <Select options={Object.entries(SCHEDULES).map(([value, s]) => ({ value, label: s.label }))} />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={create.isPending} disabled={!today}>
            登记采购并起草合同
          </Button>
        </Form>
      )}
    </Card>
  );
}
