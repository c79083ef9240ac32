import { useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Checkbox, Form, Input, InputNumber, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import { errorMessage } from '../../api/client';
import { FINDING_SOURCE_LABELS, labelOptions, SAMPLE_UNIT_LABELS } from '../../api/labels';
import type { ApiBody } from '../../api/paths';
import { useSession } from '../../auth/session';
import { ErrorView } from '../../components/ErrorView';
import { QueryTable } from '../../components/QueryTable';
import { PageTitle } from '../../components/PageTitle';
import { ProvisionalTag } from '../../components/ProvisionalTag';
import { useFundYear, useToday } from '../../utils/clock';
import { newRequestId } from '../../utils/request-id';
import { evaluationApi, type Finding, type SpotCheckSummary } from './api';
import { PageBreadcrumb } from '../../components/PageBreadcrumb';
import { useConfirmAction } from '../../components/ConfirmAction';

/** 抽查与督导 [N 4.3]: spot checks drawn from a published seed, findings and rectification. */
export default function SupervisionPage() {
  const { id } = useParams();
  return id ? <SpotCheckView id={Number(id)} /> : <Overview />;
}

function FindingsTable({ items }: { items: Finding[] }) {
  const { can } = useSession();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [acting, setActing] = useState<{ finding: Finding; kind: 'respond' | 'close' } | null>(null);
  const [text, setText] = useState('');
  const act = useMutation({
    mutationFn: () =>
      acting!.kind === 'respond'
        ? evaluationApi.respond(acting!.finding.id, text.trim())
        : evaluationApi.closeFinding(acting!.finding.id, text.trim()),
    onSuccess: () => {
      setActing(null);
      setText('');
      void qc.invalidateQueries({ queryKey: ['findings'] });
      void qc.invalidateQueries({ queryKey: ['spot-check'] });
    },
    onError: (e) => void message.error(errorMessage(e)),
  });
  return (
    <>
      <Table<Finding>
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={items}
        columns={[
          { title: '社区', dataIndex: 'communityName' },
          { title: '来源', render: (_: unknown, f) => FINDING_SOURCE_LABELS[f.source] },
          { title: '问题', dataIndex: 'description' },
          { title: '整改要求', dataIndex: 'demand' },
          {
            title: '整改期限',
            render: (_: unknown, f) => (
              <Space size={4}>
                {f.deadlineOn}
                {f.deadlineProvisional && <ProvisionalTag />}
                {f.overdue && <Tag color="red">逾期</Tag>}
              </Space>
            ),
          },
          {
            title: '状态',
            render: (_: unknown, f) => (
              <Tag color={f.status === 'closed' ? 'green' : f.status === 'responded' ? 'blue' : 'orange'}>{f.statusLabel}</Tag>
            ),
          },
          { title: '社区反馈', dataIndex: 'response' },
          {
            title: '操作',
            render: (_: unknown, f) => (
              <Space>
                {f.status !== 'closed' && can('findings:respond') && (
                  <Button size="small" onClick={() => setActing({ finding: f, kind: 'respond' })}>
                    反馈整改
                  </Button>
                )}
                {f.status === 'responded' && can('findings:close') && (
                  <Button size="small" onClick={() => setActing({ finding: f, kind: 'close' })}>
                    核查销号
                  </Button>
                )}
              </Space>
            ),
          },
        ]}
      />
      <Modal
        title={acting?.kind === 'respond' ? '反馈整改情况' : '核查销号'}
        open={acting !== null}
        onCancel={() => setActing(null)}
        okButtonProps={{ disabled: !text.trim() }}
        confirmLoading={act.isPending}
        onOk={() => act.mutate()}
      >
        <Input.TextArea rows={3} value={text} onChange={(e) => setText(e.target.value)} />
      </Modal>
    </>
  );
}

/** What the draw form asks for (the fund year is the selected one; the request id is the attempt's). */
type DrawInput = Omit<ApiBody<'/api/spot-checks', 'post'>, 'fundYear' | 'requestId'>;

function Overview() {
  const { can } = useSession();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<DrawInput>();
  const checks = useQuery({ queryKey: ['spot-checks'], queryFn: ({ signal }) => evaluationApi.spotChecks(signal) });
  const findings = useQuery({ queryKey: ['findings'], queryFn: ({ signal }) => evaluationApi.findings(signal) });
  const fundYear = useFundYear();
  const today = useToday();
  const ask = useConfirmAction();
  // One draw attempt = one key, kept while the form is unchanged: confirming again after a lost
  // answer returns the spot check already drawn (ADR 0010).
  const attempt = useRef<string | null>(null);
  const draw = useMutation({
    mutationFn: (v: DrawInput) => {
      attempt.current ??= newRequestId();
      return evaluationApi.drawSpotCheck({ fundYear: fundYear!, ...v, requestId: attempt.current });
    },
    onSuccess: () => {
      attempt.current = null;
      setOpen(false);
      void qc.invalidateQueries({ queryKey: ['spot-checks'] });
    },
    onError: (e) => void message.error(errorMessage(e)),
  });
  return (
    <>
      <PageTitle
        title="抽查与督导"
        extra={
          can('spotchecks:write') && (
            <Button
              type="primary"
              disabled={fundYear === undefined}
              onClick={() => {
                attempt.current = null;
                form.setFieldsValue({ unit: 'community', size: 10, stratifyByDistrict: true });
                setOpen(true);
              }}
            >
              随机抽查
            </Button>
          )
        }
      >
        <Typography.Text type="secondary">市民政局按公开的随机种子抽取样本，任何人可用同一种子复核抽样结果 [N 4.3]</Typography.Text>
      </PageTitle>
      <QueryTable<SpotCheckSummary>
        query={checks}
        rowKey="id"
        pagination={false}
        columns={[
          { title: '抽查', render: (_: unknown, c) => <Link to={`/supervision/spot-checks/${c.id}`}>{c.title}</Link> },
          { title: '对象', render: (_: unknown, c) => SAMPLE_UNIT_LABELS[c.unit] },
          {
            title: '随机种子',
            dataIndex: 'seed',
            render: (s: string) => (
              <Typography.Text code copyable>
                {s}
              </Typography.Text>
            ),
          },
          { title: '样本 / 总体', render: (_: unknown, c) => `${c.sampleSize} / ${c.populationSize}` },
          {
            title: '分层',
            render: (_: unknown, c) =>
              [c.stratifyByDistrict && '按区', c.stratifyByStars && '按星级'].filter(Boolean).join('、') || '不分层',
          },
          { title: '抽取日期', dataIndex: 'drawnOn' },
          { title: '未销号问题', dataIndex: 'openFindings', align: 'right' },
        ]}
      />
      <Card title="问题与整改" style={{ marginTop: 16 }} loading={findings.isPending}>
        <FindingsTable items={findings.data?.items ?? []} />
      </Card>
      <Modal
        title="随机抽查"
        open={open}
        onCancel={() => setOpen(false)}
        confirmLoading={draw.isPending}
        onOk={() =>
          void form.validateFields().then((v) => {
            ask({
              title: '确认抽取？',
              action: `以公开种子「${v.seed}」从${fundYear ?? ''} 年度的${SAMPLE_UNIT_LABELS[v.unit ?? 'community']}中随机抽取 ${v.size ?? 10} 个${
                [v.stratifyByDistrict && '（按区分层）', v.stratifyByStars && '（按星级分层）'].filter(Boolean).join('') || ''
              }`,
              clause: '[N 4.3]',
              consequence: '抽取结果立即公开，不能撤销或重抽；任何人可用同一种子复核抽样。',
              okText: '抽取',
              onOk: () => draw.mutateAsync(v),
            });
          })
        }
      >
        <Form form={form} layout="vertical" onValuesChange={() => (attempt.current = null)}>
          <Form.Item name="title" label="名称" rules={[{ required: true }]}>
            <Input />
          </Form.Item>
          <Form.Item name="unit" label="抽查对象">
            <Select options={labelOptions(SAMPLE_UNIT_LABELS)} />
          </Form.Item>
          <Form.Item name="seed" label="随机种子（公开）" rules={[{ required: true }]}>
            <Input placeholder={`如：${today ?? 'YYYY-MM-DD'} 福利彩票开奖号码`} />
          </Form.Item>
          <Form.Item name="size" label="抽取数量">
            <InputNumber min={1} precision={0} />
          </Form.Item>
          <Form.Item name="stratifyByDistrict" valuePropName="checked">
            <Checkbox>按区分层</Checkbox>
          </Form.Item>
          <Form.Item name="stratifyByStars" valuePropName="checked">
            <Checkbox>按星级分层</Checkbox>
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

function SpotCheckView({ id }: { id: number }) {
  const { can } = useSession();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const check = useQuery({ queryKey: ['spot-check', id], queryFn: ({ signal }) => evaluationApi.spotCheck(id, signal) });
  const [target, setTarget] = useState<string | null>(null);
  const [form] = Form.useForm<{ description: string; demand: string; workdays: number }>();
  // One key per finding attempt, kept while the form and the unit are unchanged (ADR 0010).
  const attempt = useRef<string | null>(null);
  const add = useMutation({
    mutationFn: (v: { description: string; demand: string; workdays: number }) => {
      attempt.current ??= newRequestId();
      const unit = check.data!.unit;
      const u = check.data!.sample.find((s) => s.key === target)!;
      return evaluationApi.addFinding(id, {
        ...v,
        communityCode: u.communityCode,
        ...(unit === 'project' ? { planProjectId: Number(u.key) } : {}),
        requestId: attempt.current,
      });
    },
    onSuccess: () => {
      attempt.current = null;
      setTarget(null);
      void qc.invalidateQueries({ queryKey: ['spot-check', id] });
    },
    onError: (e) => void message.error(errorMessage(e)),
  });
  if (check.isError) return <ErrorView error={check.error} onRetry={() => void check.refetch()} />;
  const c = check.data;
  return (
    <>
      <PageBreadcrumb current={c?.title ?? '抽查'} />
      <PageTitle
        title={c?.title ?? '抽查'}
        extra={
          <Space>
            <a href={`/api/public/spot-checks/${id}`} target="_blank" rel="noreferrer">
              公开复核
            </a>
            <Link to="/supervision">返回</Link>
          </Space>
        }
      >
        {c && (
          <Typography.Text>
            随机种子{' '}
            <Typography.Text code copyable>
              {c.seed}
            </Typography.Text>{' '}
            · 总体 {c.populationSize} · 样本 {c.sampleSize}
          </Typography.Text>
        )}
      </PageTitle>
      {c && (
        <Space direction="vertical" style={{ width: '100%' }} size={16}>
          <Card title="抽样方法">
            <Typography.Paragraph>{c.algorithm}</Typography.Paragraph>
            {c.strata.map((s) => (
              <Tag key={s.stratum}>
                {s.label ?? s.stratum}：{s.drawn}/{s.population}
              </Tag>
            ))}
          </Card>
          <Card title="样本">
            <Table
              rowKey="key"
              size="small"
              pagination={false}
              dataSource={c.sample}
              columns={[
                { title: '编号', dataIndex: 'key' },
                { title: '对象', dataIndex: 'label' },
                {
                  title: '层',
                  dataIndex: 'stratum',
                  render: (v: string, u: { key: string; stratumLabel?: string }) => u.stratumLabel ?? v,
                },
                {
                  title: '',
                  render: (_: unknown, u: { key: string }) =>
                    can('spotchecks:write') && (
                      <Button
                        size="small"
                        onClick={() => {
                          attempt.current = null;
                          setTarget(u.key);
                        }}
                      >
                        登记问题
                      </Button>
                    ),
                },
              ]}
            />
          </Card>
          <Card title="问题与整改">
            <FindingsTable items={c.findings} />
          </Card>
        </Space>
      )}
      <Modal
        title="登记问题、下达整改要求"
        open={target !== null}
        onCancel={() => setTarget(null)}
        confirmLoading={add.isPending}
        onOk={() => void form.validateFields().then((v) => add.mutate(v))}
      >
        <Form form={form} layout="vertical" initialValues={{ workdays: 15 }} onValuesChange={() => (attempt.current = null)}>
          <Form.Item name="description" label="发现问题" rules={[{ required: true }]}>
            <Input.TextArea rows={2} />
          </Form.Item>
          <Form.Item name="demand" label="整改要求" rules={[{ required: true }]}>
            <Input.TextArea rows={2} />
          </Form.Item>
          <Form.Item name="workdays" label="整改期限（工作日）" rules={[{ required: true }]}>
            <InputNumber min={1} max={120} precision={0} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
