import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Descriptions, Form, Input, Modal, Select, Space, Table, Typography } from 'antd';
import { errorMessage } from '../../api/client';
import { EVALUATION_KIND_LABELS, labelOptions } from '../../api/labels';
import type { ApiBody } from '../../api/paths';
import { useSession } from '../../auth/session';
import { EChart } from '../../components/EChart';
import { ErrorView } from '../../components/ErrorView';
import { QueryTable } from '../../components/QueryTable';
import { StatusTag } from '../../components/StatusTag';
import { PageTitle } from '../../components/PageTitle';
import { formatFen } from '../../utils/money';
import { useFundYear } from '../../utils/clock';
import { evaluationApi, GRADE_COLORS, GRADE_LABELS, type Grade, type ReportSummary } from './api';
import { RegionPicker } from '../../components/RegionPicker';
import { PageBreadcrumb } from '../../components/PageBreadcrumb';
import { ConfirmAction } from '../../components/ConfirmAction';

const score = (bp: number | null) => (bp === null ? '—' : `${Math.floor(bp / 100)}.${String(bp % 100).padStart(2, '0')}`);
const REPORT_STATUS_COLORS: Record<string, string> = { draft: 'default', filed: 'blue', acknowledged: 'green' };

/** 区级评估报告 [N 3.2]: compiled from the district's evaluations, filed with the city bureau. */
export default function ReportsPage() {
  const { id } = useParams();
  return id ? <ReportView id={Number(id)} /> : <ReportList />;
}

/** What the form asks for a new report (the fund year is the selected one). */
type ReportInput = Omit<ApiBody<'/api/district-reports', 'post'>, 'fundYear'>;

function ReportList() {
  const { can, user } = useSession();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<ReportInput>();
  const fundYear = useFundYear();
  const list = useQuery({
    queryKey: ['district-reports', fundYear],
    queryFn: ({ signal }) => evaluationApi.reports(fundYear!, signal),
    enabled: fundYear !== undefined,
  });
  const create = useMutation({
    mutationFn: (v: ReportInput) => evaluationApi.createReport({ fundYear: fundYear!, ...v }),
    onSuccess: () => {
      setOpen(false);
      void qc.invalidateQueries({ queryKey: ['district-reports'] });
    },
    onError: (e) => void message.error(errorMessage(e)),
  });
  return (
    <>
      <PageTitle
        title="评估报告"
        extra={
          can('reports:write') && (
            <Button
              type="primary"
              disabled={fundYear === undefined}
              onClick={() => {
                form.setFieldsValue({ kind: 'final', districtCode: user.scope?.code });
                setOpen(true);
              }}
            >
              编写报告
            </Button>
          )
        }
      >
        <Typography.Text type="secondary">各区中期、终期评估报告，由评估结果汇总，报送市民政局 [N 3.2]</Typography.Text>
      </PageTitle>
      <QueryTable<ReportSummary>
        query={list}
        rowKey="id"
        pagination={false}
        columns={[
          { title: '区（县、市）', dataIndex: 'districtName' },
          {
            title: '报告',
            render: (_: unknown, r) => (
              <Link to={`/district-reports/${r.id}`}>
                {r.fundYear} 年度{r.kindLabel}报告
              </Link>
            ),
          },
          { title: '状态', render: (_: unknown, r) => <StatusTag status={r.status} label={r.statusLabel} colors={REPORT_STATUS_COLORS} /> },
          { title: '报送日期', dataIndex: 'filedOn' },
          { title: '确认日期', dataIndex: 'acknowledgedOn' },
        ]}
      />
      <Modal
        title="编写评估报告"
        open={open}
        onCancel={() => setOpen(false)}
        confirmLoading={create.isPending}
        onOk={() => void form.validateFields().then((v) => create.mutate(v))}
      >
        <Form form={form} layout="vertical">
          <Form.Item name="kind" label="报告类型" rules={[{ required: true }]}>
            <Select options={labelOptions(EVALUATION_KIND_LABELS).map((o) => ({ ...o, label: `${o.label}报告` }))} />
          </Form.Item>
          <Form.Item name="districtCode" label="区（县、市）" rules={[{ required: true, message: '请选择区（县、市）' }]}>
            <RegionPicker level="district" />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

function ReportView({ id }: { id: number }) {
  const { can } = useSession();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const report = useQuery({ queryKey: ['district-report', id], queryFn: ({ signal }) => evaluationApi.report(id, signal) });
  const [narrative, setNarrative] = useState('');
  useEffect(() => {
    if (report.data) setNarrative(report.data.narrative);
  }, [report.data]);
  const done = () => {
    void qc.invalidateQueries({ queryKey: ['district-report', id] });
    void qc.invalidateQueries({ queryKey: ['district-reports'] });
  };
  const save = useMutation({
    mutationFn: () => evaluationApi.saveNarrative(id, narrative),
    onSuccess: () => {
      done();
      void message.success('已保存');
    },
    onError: (e) => void message.error(errorMessage(e)),
  });
  const file = useMutation({
    mutationFn: async () => {
      await evaluationApi.saveNarrative(id, narrative);
      return evaluationApi.fileReport(id);
    },
    onSuccess: () => {
      done();
      void message.success('已报送市民政局');
    },
    onError: (e) => void message.error(errorMessage(e)),
  });
  const ack = useMutation({
    mutationFn: () => evaluationApi.acknowledge(id, '已收悉'),
    onSuccess: () => {
      done();
      void message.success('已确认');
    },
    onError: (e) => void message.error(errorMessage(e)),
  });
  if (report.isError) return <ErrorView error={report.error} onRetry={() => void report.refetch()} />;
  const r = report.data;
  const f = r?.figures;
  return (
    <>
      {/* The printable document (browser print → PDF): the console's frame and buttons are left out. */}
      <style>{'@media print { .ant-layout-sider, .ant-layout-header, .no-print { display: none !important; } }'}</style>
      <div className="no-print">
        <PageBreadcrumb current={r ? `${r.districtName} ${r.fundYear} 年度${r.kindLabel}报告` : '评估报告'} />
      </div>
      <PageTitle
        title={r ? `${r.districtName} ${r.fundYear} 年度${r.kindLabel}报告` : '评估报告'}
        extra={
          <Space className="no-print">
            <Button href={`/api/district-reports/${id}/export`}>导出 Excel</Button>
            <Button onClick={() => window.print()}>打印 / PDF</Button>
            {r?.status === 'draft' && can('reports:write') && (
              <ConfirmAction
                type="primary"
                loading={file.isPending}
                confirm={{
                  title: '确认报送市民政局？',
                  action: `报送${r.districtName} ${r.fundYear} 年度${r.kindLabel}报告`,
                  clause: '[N 3.2]',
                  consequence: '此操作不可撤销：报送后报告不能再修改。',
                  okText: '报送',
                  onOk: () => file.mutateAsync(),
                }}
              >
                报送市民政局
              </ConfirmAction>
            )}
            {r?.status === 'filed' && can('reports:acknowledge') && (
              <ConfirmAction
                type="primary"
                loading={ack.isPending}
                confirm={{
                  title: '确认收到该报告？',
                  action: `确认收到${r.districtName} ${r.fundYear} 年度${r.kindLabel}报告`,
                  clause: '[N 3.2]',
                  consequence: '此操作不可撤销：确认后报告归档。',
                  okText: '确认收到',
                  onOk: () => ack.mutateAsync(),
                }}
              >
                确认收到
              </ConfirmAction>
            )}
            <Link to="/district-reports">返回</Link>
          </Space>
        }
      >
        {r && <StatusTag status={r.status} label={r.statusLabel} colors={REPORT_STATUS_COLORS} />}
      </PageTitle>
      {r && f && (
        <Space direction="vertical" style={{ width: '100%' }} size={16}>
          <Card title="汇总">
            <Descriptions column={3} size="small" bordered>
              <Descriptions.Item label="备案项目">{f.projectsFiled} 个</Descriptions.Item>
              <Descriptions.Item label="备案预算">{formatFen(f.budgetFiledFen)}</Descriptions.Item>
              <Descriptions.Item label="涉及社区">{f.communitiesFiled} 个</Descriptions.Item>
              <Descriptions.Item label="安排评估">
                {f.assigned} 个（第三方 {f.thirdParty}，评审会 {f.reviewMeetings}）
              </Descriptions.Item>
              <Descriptions.Item label="已出结论">{f.concluded} 个</Descriptions.Item>
              <Descriptions.Item label="未完成">{f.outstanding} 个</Descriptions.Item>
              <Descriptions.Item label="已评估预算">{formatFen(f.budgetEvaluatedFen)}</Descriptions.Item>
              <Descriptions.Item label="评估覆盖率">{(f.coveragePermille / 10).toFixed(1)}%</Descriptions.Item>
              <Descriptions.Item label="平均得分">{score(f.averageScoreBp)}</Descriptions.Item>
              <Descriptions.Item label="服务覆盖人数">{f.peopleCovered}</Descriptions.Item>
              <Descriptions.Item label="等次" span={2}>
                {(Object.keys(GRADE_LABELS) as Grade[]).map((g) => (
                  <StatusTag key={g} status={g} label={`${GRADE_LABELS[g]} ${f.byGrade[g]}`} colors={GRADE_COLORS} />
                ))}
              </Descriptions.Item>
            </Descriptions>
            <EChart
              ariaLabel="评估等次分布"
              style={{ height: 260 }}
              option={{
                tooltip: {},
                series: [
                  {
                    type: 'pie',
                    radius: ['40%', '70%'],
                    data: (Object.keys(GRADE_LABELS) as Grade[]).map((g) => ({ name: GRADE_LABELS[g], value: f.byGrade[g] })),
                  },
                ],
              }}
            />
          </Card>
          <Card title="报告正文">
            {r.status === 'draft' && can('reports:write') ? (
              <>
                <Input.TextArea aria-label="报告正文" rows={6} value={narrative} onChange={(e) => setNarrative(e.target.value)} />
                <Button style={{ marginTop: 8 }} loading={save.isPending} onClick={() => save.mutate()}>
                  保存
                </Button>
              </>
            ) : (
              <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{r.narrative}</Typography.Paragraph>
            )}
          </Card>
          <Card title="发现的问题">
            {f.problems.length === 0
              ? '无'
              : f.problems.map((p) => (
                  <div key={p.assignmentId}>
                    {p.communityName} · {p.projectTitle}
                    {p.grade ? `（${GRADE_LABELS[p.grade]}）` : ''}：{p.problems}
                  </div>
                ))}
          </Card>
          <Card title="评估明细">
            <Table
              rowKey="id"
              size="small"
              pagination={false}
              dataSource={r.assignments}
              columns={[
                { title: '项目', dataIndex: 'projectTitle' },
                { title: '社区', dataIndex: 'communityName' },
                { title: '预算', dataIndex: 'budgetFen', render: formatFen, align: 'right' },
                { title: '得分', dataIndex: 'score', align: 'right' },
                {
                  title: '等次',
                  render: (_: unknown, a: { grade: Grade | null; gradeLabel: string | null }) =>
                    a.grade ? <StatusTag status={a.grade} label={a.gradeLabel} colors={GRADE_COLORS} /> : '未完成',
                },
              ]}
            />
          </Card>
        </Space>
      )}
    </>
  );
}
