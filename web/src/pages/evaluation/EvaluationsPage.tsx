import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Descriptions, Form, Input, InputNumber, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import { errorMessage } from '../../api/client';
import { CLOSURE_LABELS, EVALUATION_KIND_LABELS, EVALUATION_METHOD_LABELS, GRADE_LABELS, labelOptions } from '../../api/labels';
import type { ApiBody } from '../../api/paths';
import { useSession } from '../../auth/session';
import { ErrorView } from '../../components/ErrorView';
import { QueryTable } from '../../components/QueryTable';
import { StatusTag } from '../../components/StatusTag';
import { PageTitle } from '../../components/PageTitle';
import { formatFen } from '../../utils/money';
import { useFundYear, useToday } from '../../utils/clock';
import {
  evaluationApi,
  GRADE_COLORS,
  type Assignment,
  type AssignInput,
  type Grade,
  type Participant,
  type Round,
  type RoundDetail,
} from './api';
import { DateField } from '../../components/DateField';
import { RegionPicker } from '../../components/RegionPicker';
import { PageBreadcrumb } from '../../components/PageBreadcrumb';
import { useListFilter } from '../../components/ListFilter';
import { useConfirmAction } from '../../components/ConfirmAction';

/** What the form asks for a new round (the fund year is the selected one). */
type RoundInput = Omit<ApiBody<'/api/evaluation-rounds', 'post'>, 'fundYear'>;
/** The assignment form: participants typed one a line as `category：name`. */
type AssignForm = { method: AssignInput['method']; evaluatorOrgId?: number; meetingOn?: string; participants?: string };

const Countdown = ({ daysLeft, overdue, done }: { daysLeft: number; overdue: boolean; done?: boolean }) =>
  done ? (
    <Tag color="green">已完成</Tag>
  ) : overdue ? (
    <Tag color="red">已逾期 {-daysLeft} 天</Tag>
  ) : daysLeft >= 0 ? (
    <Tag color={daysLeft <= 14 ? 'orange' : 'default'}>剩余 {daysLeft} 天</Tag>
  ) : (
    <Tag>已截止</Tag>
  );

const GradeTag = ({ grade, label }: { grade: Grade | null; label: string | null }) =>
  grade ? <StatusTag status={grade} label={label} colors={GRADE_COLORS} /> : <Tag>未评</Tag>;

/** 评估 [N 3.2]: rounds with countdowns; the district assigns projects; evaluators score their own. */
export default function EvaluationsPage() {
  const { roundId, assignmentId } = useParams();
  if (assignmentId) return <AssignmentView id={Number(assignmentId)} />;
  if (roundId) return <RoundView id={Number(roundId)} />;
  return <RoundsView />;
}

function RoundsView() {
  const { can, user } = useSession();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<RoundInput>();
  const fundYear = useFundYear();
  const rounds = useQuery({
    queryKey: ['evaluation-rounds', fundYear],
    queryFn: ({ signal }) => evaluationApi.rounds(fundYear!, signal),
    enabled: fundYear !== undefined,
  });
  const mine = useQuery({
    queryKey: ['evaluation-assignments', fundYear],
    queryFn: ({ signal }) => evaluationApi.assignments(fundYear!, signal),
    enabled: fundYear !== undefined,
  });
  const openRound = useMutation({
    mutationFn: (v: RoundInput) => evaluationApi.openRound({ fundYear: fundYear!, ...v }),
    onSuccess: () => {
      setOpen(false);
      void qc.invalidateQueries({ queryKey: ['evaluation-rounds'] });
      void message.success('已开启评估');
    },
    onError: (e) => void message.error(errorMessage(e)),
  });
  const districtCode = user.scope?.code && user.scope.code.length === 6 ? user.scope.code : undefined;
  return (
    <>
      <PageTitle
        title="中期与终期评估"
        extra={
          can('evaluations:write') && (
            <Button
              type="primary"
              disabled={fundYear === undefined}
              onClick={() => {
                form.setFieldsValue({ kind: 'final', districtCode });
                setOpen(true);
              }}
            >
              开启评估
            </Button>
          )
        }
      >
        <Typography.Text type="secondary">
          {fundYear ?? '…'} 年度 · 中期评估 6 月 30 日前、终期评估 12 月 10 日前完成 [N 3.2]
        </Typography.Text>
      </PageTitle>
      <QueryTable<Round>
        query={rounds}
        rowKey="id"
        pagination={false}
        columns={[
          { title: '区（县、市）', dataIndex: 'districtName' },
          {
            title: '评估',
            render: (_: unknown, r) => (
              <Link to={`/evaluations/rounds/${r.id}`}>
                {r.fundYear} 年度{r.kindLabel}
              </Link>
            ),
          },
          { title: '截止日期', dataIndex: 'dueOn' },
          {
            title: '期限',
            render: (_: unknown, r) => (
              <Countdown daysLeft={r.daysLeft} overdue={r.overdue} done={r.counts.assigned > 0 && r.counts.outstanding === 0} />
            ),
          },
          { title: '已安排', render: (_: unknown, r) => r.counts.assigned, align: 'right' },
          { title: '已出结论', render: (_: unknown, r) => r.counts.concluded, align: 'right' },
          {
            title: '等次',
            render: (_: unknown, r) =>
              (Object.entries(r.counts.byGrade) as [Grade, number][])
                .filter(([, n]) => n > 0)
                .map(([g, n]) => <StatusTag key={g} status={g} label={`${GRADE_LABELS[g]} ${n}`} colors={GRADE_COLORS} />),
          },
        ]}
      />
      {user.role === 'evaluator' && (
        <Card title="本机构的评估任务" style={{ marginTop: 16 }}>
          <AssignmentTable items={mine.data?.items ?? []} loading={mine.isPending} />
        </Card>
      )}
      <Modal
        title="开启评估"
        open={open}
        onCancel={() => setOpen(false)}
        confirmLoading={openRound.isPending}
        onOk={() => void form.validateFields().then((v) => openRound.mutate(v))}
      >
        <Form form={form} layout="vertical">
          <Form.Item name="kind" label="评估类型" rules={[{ required: true }]}>
            <Select options={labelOptions(EVALUATION_KIND_LABELS)} />
          </Form.Item>
          <Form.Item name="districtCode" label="区（县、市）" rules={[{ required: true, message: '请选择区（县、市）' }]}>
            <RegionPicker level="district" />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

const assignmentText = (a: Assignment) => [a.projectTitle, a.communityName];
const assignmentStatus = (a: Assignment) => a.status;
const assignmentStatusLabel = (s: string) => (s === 'concluded' ? '已出结论' : '评估中');

function AssignmentTable({ items, loading }: { items: Assignment[]; loading?: boolean }) {
  const filter = useListFilter(items, {
    text: assignmentText,
    status: assignmentStatus,
    statusLabel: assignmentStatusLabel,
    placeholder: '搜索项目或社区',
  });
  return (
    <>
      {filter.bar}
      <Table<Assignment>
        rowKey="id"
        loading={loading}
        dataSource={filter.rows}
        pagination={false}
        size="small"
        columns={[
          { title: '项目', render: (_: unknown, a) => <Link to={`/evaluations/assignments/${a.id}`}>{a.projectTitle}</Link> },
          { title: '社区', dataIndex: 'communityName' },
          { title: '评估', dataIndex: 'kindLabel' },
          { title: '方式', render: (_: unknown, a) => (a.method === 'third_party' ? a.evaluatorName : `评审会 ${a.meetingOn ?? ''}`) },
          { title: '预算', dataIndex: 'budgetFen', render: formatFen, align: 'right' },
          {
            title: '期限',
            render: (_: unknown, a) => <Countdown daysLeft={a.daysLeft} overdue={a.overdue} done={a.status === 'concluded'} />,
          },
          { title: '得分', dataIndex: 'score', align: 'right' },
          { title: '等次', render: (_: unknown, a) => <GradeTag grade={a.grade} label={a.gradeLabel} /> },
        ]}
      />
    </>
  );
}

function RoundView({ id }: { id: number }) {
  const { can } = useSession();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const today = useToday();
  const round = useQuery({ queryKey: ['evaluation-round', id], queryFn: ({ signal }) => evaluationApi.round(id, signal) });
  const orgs = useQuery({
    queryKey: ['evaluator-orgs'],
    queryFn: ({ signal }) => evaluationApi.orgs(signal),
    enabled: can('evaluations:write'),
  });
  const [assigning, setAssigning] = useState<number | null>(null);
  const [form] = Form.useForm<AssignForm>();
  const assign = useMutation({
    mutationFn: (v: AssignForm) =>
      evaluationApi.assign(id, {
        planProjectId: assigning!,
        method: v.method,
        ...(v.method === 'third_party'
          ? { evaluatorOrgId: v.evaluatorOrgId }
          : {
              meetingOn: v.meetingOn,
              participants: (v.participants ?? '')
                .split('\n')
                .map((l) => l.trim())
                .filter(Boolean)
                .map((l) => {
                  const [category, name] = l.split(/[:：]/);
                  return { category: category!.trim() as Participant['category'], name: (name ?? category)!.trim() };
                }),
            }),
      }),
    onSuccess: () => {
      setAssigning(null);
      void qc.invalidateQueries({ queryKey: ['evaluation-round', id] });
    },
    onError: (e) => void message.error(errorMessage(e)),
  });
  if (round.isError) return <ErrorView error={round.error} onRetry={() => void round.refetch()} />;
  const r = round.data;
  return (
    <>
      <PageBreadcrumb current={r ? `${r.districtName} ${r.fundYear} 年度${r.kindLabel}` : '评估'} />
      <PageTitle title={r ? `${r.districtName} ${r.fundYear} 年度${r.kindLabel}` : '评估'} extra={<Link to="/evaluations">返回</Link>}>
        {r && (
          <Space>
            <span>截止 {r.dueOn}</span>
            <Countdown daysLeft={r.daysLeft} overdue={r.overdue} done={r.counts.assigned > 0 && r.counts.outstanding === 0} />
          </Space>
        )}
      </PageTitle>
      <Card title="评估任务" loading={round.isPending}>
        <AssignmentTable items={r?.assignments ?? []} />
      </Card>
      {can('evaluations:write') && (r?.unassigned.length ?? 0) > 0 && (
        <Card title="尚未安排评估的备案项目" style={{ marginTop: 16 }}>
          <Table<RoundDetail['unassigned'][number]>
            rowKey="planProjectId"
            dataSource={r?.unassigned ?? []}
            pagination={false}
            size="small"
            columns={[
              { title: '项目', dataIndex: 'title' },
              { title: '社区', render: (_: unknown, p) => p.communityCodes.join('、') },
              { title: '预算', dataIndex: 'budgetFen', render: formatFen, align: 'right' },
              {
                title: '',
                render: (_: unknown, p) => (
                  <Button
                    size="small"
                    onClick={() => {
                      form.setFieldsValue({ method: 'third_party' });
                      setAssigning(p.planProjectId);
                    }}
                  >
                    安排评估
                  </Button>
                ),
              },
            ]}
          />
        </Card>
      )}
      {r && r.fees.length > 0 && (
        <Card title="评估费（非专项资金）" style={{ marginTop: 16 }}>
          {r.fees.map((f) => (
            <div key={f.id}>
              {f.paidOn} {formatFen(f.amountFen)} {f.note} <Typography.Text type="secondary">{f.transferId}</Typography.Text>
            </div>
          ))}
        </Card>
      )}
      <Modal
        title="安排评估"
        open={assigning !== null}
        onCancel={() => setAssigning(null)}
        confirmLoading={assign.isPending}
        onOk={() => void form.validateFields().then((v) => assign.mutate(v))}
      >
        <Form form={form} layout="vertical">
          <Form.Item name="method" label="评估方式">
            <Select options={labelOptions(EVALUATION_METHOD_LABELS)} />
          </Form.Item>
          <Form.Item noStyle shouldUpdate>
            {() =>
              form.getFieldValue('method') === 'third_party' ? (
                <Form.Item name="evaluatorOrgId" label="评估机构" rules={[{ required: true }]}>
                  <Select options={(orgs.data?.items ?? []).map((o) => ({ value: o.id, label: o.name }))} />
                </Form.Item>
              ) : (
                <>
                  <Form.Item name="meetingOn" label="会议日期" rules={[{ required: true, message: '请选择会议日期' }]}>
                    <DateField placeholder={today} />
                  </Form.Item>
                  <Form.Item
                    name="participants"
                    label="参会人员（每行：类别:姓名；类别为 district_staff、street_staff、community_committee、council、representative、npc_deputy、cppcc_member、expert）"
                    rules={[{ required: true }]}
                  >
                    <Input.TextArea rows={4} placeholder={'npc_deputy:张代表\nexpert:王教授'} />
                  </Form.Item>
                </>
              )
            }
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

function AssignmentView({ id }: { id: number }) {
  const { user } = useSession();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const a = useQuery({ queryKey: ['evaluation-assignment', id], queryFn: ({ signal }) => evaluationApi.assignment(id, signal) });
  const [form] = Form.useForm<{ scores: Record<string, number>; peopleCovered?: number; conclusion: string; problems?: string }>();
  const [evidence, setEvidence] = useState('');
  const conclude = useMutation({
    mutationFn: (v: { scores: Record<string, number>; peopleCovered?: number; conclusion: string; problems?: string }) =>
      evaluationApi.conclude(id, {
        scores: Object.entries(v.scores).map(([code, score]) => ({ code, score })),
        peopleCovered: v.peopleCovered ?? null,
        conclusion: v.conclusion,
        problems: v.problems ?? '',
      }),
    onSuccess: (d) => {
      void qc.invalidateQueries({ queryKey: ['evaluation-assignment', id] });
      void message.success(`已出具结论：${d.score} 分，${d.gradeLabel}`);
    },
    onError: (e) => void message.error(errorMessage(e)),
  });
  const addEvidence = useMutation({
    mutationFn: () => evaluationApi.evidence(id, { name: evidence.trim(), kind: 'document' }),
    onSuccess: () => {
      setEvidence('');
      void qc.invalidateQueries({ queryKey: ['evaluation-assignment', id] });
    },
    onError: (e) => void message.error(errorMessage(e)),
  });
  if (a.isError) return <ErrorView error={a.error} onRetry={() => void a.refetch()} />;
  const d = a.data;
  const ask = useConfirmAction();
  const scorer =
    d &&
    d.status === 'assigned' &&
    ((d.method === 'third_party' && user.role === 'evaluator') || (d.method === 'review_meeting' && user.role === 'district_bureau'));
  return (
    <>
      <PageBreadcrumb current={d ? `${d.kindLabel}：${d.projectTitle}` : '评估任务'} />
      <PageTitle title={d ? `${d.kindLabel}：${d.projectTitle}` : '评估任务'} extra={<Link to="/evaluations">返回</Link>} />
      {d && (
        <Space direction="vertical" style={{ width: '100%' }} size={16}>
          <Card>
            <Descriptions column={2} size="small">
              <Descriptions.Item label="社区">{d.communityName}</Descriptions.Item>
              <Descriptions.Item label="预算">{formatFen(d.budgetFen)}</Descriptions.Item>
              <Descriptions.Item label="方式">
                {d.method === 'third_party' ? `第三方：${d.evaluatorName}` : `评审会 ${d.meetingOn}`}
              </Descriptions.Item>
              <Descriptions.Item label="截止">
                {d.dueOn} <Countdown daysLeft={d.daysLeft} overdue={d.overdue} done={d.status === 'concluded'} />
              </Descriptions.Item>
              {d.status === 'concluded' && <Descriptions.Item label="得分">{d.score}</Descriptions.Item>}
              {d.status === 'concluded' && (
                <Descriptions.Item label="等次">
                  <GradeTag grade={d.grade} label={d.gradeLabel} />{' '}
                  {d.closure === 'closed' || d.closure === 'not_closed' ? CLOSURE_LABELS[d.closure] : ''}
                </Descriptions.Item>
              )}
              {d.conclusion && (
                <Descriptions.Item label="结论" span={2}>
                  {d.conclusion}
                </Descriptions.Item>
              )}
              {d.problems && (
                <Descriptions.Item label="发现问题" span={2}>
                  {d.problems}
                </Descriptions.Item>
              )}
            </Descriptions>
            {d.participants.length > 0 && <div>参会人员：{d.participants.map((p) => `${p.categoryLabel} ${p.name}`).join('；')}</div>}
          </Card>
          <Card title="评估证据">
            {d.evidence.map((e) => (
              <div key={e.id}>
                {e.name}（{e.kind}）
              </div>
            ))}
            {scorer && (
              <Space.Compact style={{ marginTop: 8 }}>
                <Input
                  aria-label="证据名称"
                  value={evidence}
                  onChange={(e) => setEvidence(e.target.value)}
                  placeholder="证据名称，如：服务台账"
                />
                <Button disabled={!evidence.trim()} onClick={() => addEvidence.mutate()}>
                  添加
                </Button>
              </Space.Compact>
            )}
          </Card>
          <Card
            title={`评估指标（权重合计 100；优秀 ≥ ${d.gradeThresholds.excellent}、良好 ≥ ${d.gradeThresholds.good}、合格 ≥ ${d.gradeThresholds.pass}）`}
          >
            {scorer ? (
              <Form
                form={form}
                layout="vertical"
                onFinish={(v) =>
                  ask({
                    title: '确认提交评估结论？',
                    action: `${d.kindLabel}：${d.communityName}“${d.projectTitle}”按所填分数得出等级并记入评估结果`,
                    clause: '[N 3.2]',
                    consequence: '此操作不可撤销：结论决定结项、尾款拨付和下一年度承接资格，提交后不能修改。',
                    okText: '提交结论',
                    onOk: () => conclude.mutateAsync(v),
                  })
                }
              >
                {d.rubric.map((item) => (
                  <Form.Item
                    key={item.code}
                    name={['scores', item.code]}
                    label={`${item.label}（权重 ${item.weight}）`}
                    rules={[{ required: true, message: '请评分（0–100 的整数）' }]}
                  >
                    <InputNumber aria-label={item.label} min={0} max={100} precision={0} style={{ width: 160 }} />
                  </Form.Item>
                ))}
                <Form.Item name="peopleCovered" label="实际服务人次">
                  <InputNumber min={0} precision={0} style={{ width: 160 }} />
                </Form.Item>
                <Form.Item name="conclusion" label="评估结论" rules={[{ required: true }]}>
                  <Input.TextArea aria-label="评估结论" rows={3} />
                </Form.Item>
                <Form.Item name="problems" label="发现问题">
                  <Input.TextArea rows={2} />
                </Form.Item>
                <Button type="primary" htmlType="submit" loading={conclude.isPending}>
                  提交评分并出具等次
                </Button>
              </Form>
            ) : (
              <Table
                rowKey="code"
                size="small"
                pagination={false}
                dataSource={d.rubric}
                columns={[
                  { title: '指标', dataIndex: 'label' },
                  { title: '权重', dataIndex: 'weight', align: 'right' },
                  { title: '得分', dataIndex: 'score', align: 'right' },
                ]}
              />
            )}
          </Card>
        </Space>
      )}
    </>
  );
}
