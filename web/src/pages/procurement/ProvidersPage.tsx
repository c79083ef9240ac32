import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Form, Input, Modal, Select, Tag, Tooltip, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { errorMessage } from '../../api/client';
import { useSession } from '../../auth/session';
import { QueryTable } from '../../components/QueryTable';
import { PageTitle } from '../../components/PageTitle';
import { YearSelect } from '../../components/YearSelect';
import { FIRST_YEAR, useFundYear, useYearChoice, yearRange } from '../../utils/clock';
import { labelOptions, PROVIDER_KIND_LABELS } from '../../api/labels';
import { procurementApi, type Provider, type ProviderInput } from './api';

const KINDS = labelOptions(PROVIDER_KIND_LABELS);

/** 承接主体名录: kinds, credit codes, qualifications and eligibility for a year [N 3.2]. */
export default function ProvidersPage() {
  const { can } = useSession();
  const fundYear = useFundYear();
  const [year, setYear] = useYearChoice();
  const [open, setOpen] = useState(false);
  const [accountFor, setAccountFor] = useState<Provider | null>(null);
  const list = useQuery({
    queryKey: ['providers', year],
    queryFn: ({ signal }) => procurementApi.providers(year!, signal),
    enabled: year !== undefined,
  });
  return (
    <>
      <PageTitle
        title="承接主体名录"
        extra={
          <>
            <YearSelect
              value={year}
              years={fundYear === undefined ? [] : yearRange(FIRST_YEAR, fundYear + 1)}
              onChange={setYear}
              loading={fundYear === undefined}
            />
            {can('providers:write') && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setOpen(true)}>
                登记承接主体
              </Button>
            )}
          </>
        }
      >
        <Typography.Text type="secondary">上年度终期评估不合格的承接主体，本年度不具备承接资格 [N 3.2]</Typography.Text>
      </PageTitle>
      <QueryTable<Provider>
        query={list}
        rowKey="id"
        pagination={{ pageSize: 20 }}
        columns={[
          { title: '名称', dataIndex: 'name' },
          { title: '类型', dataIndex: 'kindLabel', width: 120 },
          {
            title: '统一社会信用代码',
            dataIndex: 'creditCode',
            width: 200,
            render: (v: string) => <Typography.Text code>{v}</Typography.Text>,
          },
          { title: '登记机关', dataIndex: 'registrationAuthority' },
          { title: '联系人', render: (_: unknown, p) => p.contacts.map((c) => `${c.name} ${c.phone}`).join('；') },
          { title: '资质', render: (_: unknown, p) => p.qualifications.map((q) => q.name).join('、') || '—' },
          {
            title: `${year ?? ''} 年度承接资格`,
            width: 160,
            render: (_: unknown, p) =>
              p.eligibility.eligible ? (
                <Tag color="green">具备</Tag>
              ) : (
                <Tooltip title={p.eligibility.reasons.map((r) => r.reason).join('；')}>
                  <Tag color="red">不具备：{p.eligibility.reasons[0]?.reason}</Tag>
                </Tooltip>
              ),
          },
          ...(can('providers:write')
            ? [
                {
                  title: '操作',
                  width: 100,
                  render: (_: unknown, p: Provider) => (
                    <Button size="small" onClick={() => setAccountFor(p)}>
                      开设账号
                    </Button>
                  ),
                },
              ]
            : []),
        ]}
      />
      <RegisterModal open={open} onClose={() => setOpen(false)} />
      <AccountModal provider={accountFor} onClose={() => setAccountFor(null)} />
    </>
  );
}

function RegisterModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const [form] = Form.useForm();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const create = useMutation({
    mutationFn: (v: {
      name: string;
      kind: ProviderInput['kind'];
      creditCode: string;
      registrationAuthority: string;
      contactName: string;
      contactPhone: string;
      qualification?: string;
    }) =>
      procurementApi.createProvider({
        name: v.name,
        kind: v.kind,
        creditCode: v.creditCode,
        registrationAuthority: v.registrationAuthority,
        contacts: [{ name: v.contactName, phone: v.contactPhone }],
        qualifications: v.qualification ? [{ name: v.qualification }] : [],
      }),
    onSuccess: () => {
      void message.success('已登记');
      void qc.invalidateQueries({ queryKey: ['providers'] });
      form.resetFields();
      onClose();
    },
    onError: (e) => void message.error(errorMessage(e)),
  });
  return (
    <Modal title="登记承接主体" open={open} onCancel={onClose} onOk={() => form.submit()} confirmLoading={create.isPending} okText="登记">
      <Form form={form} layout="vertical" onFinish={(v) => create.mutate(v)} initialValues={{ kind: 'social_organisation' }}>
        <Form.Item name="name" label="名称" rules={[{ required: true }]}>
          <Input />
        </Form.Item>
        <Form.Item name="kind" label="类型" rules={[{ required: true }]}>
          <Select options={KINDS} />
        </Form.Item>
        <Form.Item name="creditCode" label="统一社会信用代码（18 位）" rules={[{ required: true, len: 18, message: '应为 18 位' }]}>
          <Input maxLength={18} />
        </Form.Item>
        <Form.Item name="registrationAuthority" label="登记机关" rules={[{ required: true }]}>
          <Input />
        </Form.Item>
        <Form.Item name="contactName" label="联系人" rules={[{ required: true }]}>
          <Input />
        </Form.Item>
        <Form.Item name="contactPhone" label="联系电话" rules={[{ required: true, pattern: /^[0-9+-]{5,20}$/, message: '请输入电话号码' }]}>
          <Input />
        </Form.Item>
        <Form.Item name="qualification" label="资质证书">
          <Input />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function AccountModal({ provider, onClose }: { provider: Provider | null; onClose: () => void }) {
  const [form] = Form.useForm();
  const { message } = App.useApp();
  const create = useMutation({
    mutationFn: (v: { username: string; password: string }) => procurementApi.createAccount(provider!.id, v),
    onSuccess: (a) => {
      void message.success(`已开设账号 ${a.username}`);
      form.resetFields();
      onClose();
    },
    onError: (e) => void message.error(errorMessage(e)),
  });
  return (
    <Modal
      title={`为 ${provider?.name ?? ''} 开设登录账号`}
      open={provider !== null}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={create.isPending}
      okText="开设"
    >
      <Form form={form} layout="vertical" onFinish={(v) => create.mutate(v)}>
        <Form.Item
          name="username"
          label="用户名（小写字母、数字）"
          rules={[{ required: true, pattern: /^[a-z0-9][a-z0-9._-]{2,39}$/, message: '3–40 位小写字母、数字或 ._-' }]}
        >
          <Input />
        </Form.Item>
        <Form.Item name="password" label="初始密码（至少 10 位，含字母和数字）" rules={[{ required: true, min: 10 }]}>
          <Input.Password />
        </Form.Item>
      </Form>
    </Modal>
  );
}
