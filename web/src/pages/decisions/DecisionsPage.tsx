import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  DatePicker,
  Descriptions,
  Form,
  Input,
  InputNumber,
  Modal,
  Radio,
  Result,
  Select,
  Space,
  Spin,
  Table,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { errorMessage } from '../../api/client';
import { useSession } from '../../auth/session';
import { ProvisionalTag } from '../../components/ProvisionalTag';
import { ReopenDecisionButton } from './ReopenDecisionButton';
import { useToday } from '../../utils/clock';
import { formatFen } from '../../utils/money';
import {
  CATALOGUE_CATEGORY_LABELS,
  DECISION_PROCEDURE_LABELS,
  labelOf,
  labelOptions,
  OBJECTION_CHANNEL_LABELS,
  STEP_OUTCOME_LABELS,
  VOTE_LABELS,
} from '../../api/labels';
import {
  BODY_OPTIONS,
  decisionsApi,
  NOTICE_STATUS,
  STATUS_LABELS,
  type Decision,
  type DecisionBody,
  type DecisionStatus,
  type NoticeCore,
  type Procedure,
  type StepInput,
  type Objection,
  type VoteInput,
} from './api';
import { PageBreadcrumb } from '../../components/PageBreadcrumb';
import { AllocationNotice } from './AllocationNotice';
import { useConfirmAction } from '../../components/ConfirmAction';

const statusTag = (s: string) => <Tag color={STATUS_LABELS[s]?.color}>{STATUS_LABELS[s]?.text ?? s}</Tag>;

/** The notice period, 暂定 when its end was computed through a year whose holiday notice is not entered. */
const NoticeWindow = ({ notice }: { notice: Pick<NoticeCore, 'postedOn' | 'windowEnd' | 'windowEndProvisional'> }) => (
  <>
    {notice.postedOn} 至 {notice.windowEnd}
    {notice.windowEndProvisional && <ProvisionalTag />}
  </>
);

/** Democratic decisions [N 3]: the list in scope, and one decision's procedure, vote and notices. */
export default function DecisionsPage() {
  const id = Number(useParams().id) || null;
  return id ? <DecisionDetail id={id} /> : <DecisionList />;
}

function DecisionList() {
  const [status, setStatus] = useState<DecisionStatus | undefined>();
  const navigate = useNavigate();
  const { can } = useSession();
  const list = useQuery({ queryKey: ['decisions', status], queryFn: ({ signal }) => decisionsApi.list({ status }, signal) });
  const [campaignId, setCampaignId] = useState<number | null>(null);
  const [procedure, setProcedure] = useState<Procedure>('major');
  const create = useMutation({
    mutationFn: () => decisionsApi.create({ campaignId: campaignId!, procedure }),
    onSuccess: (d) => navigate(`/decisions/${d.id}`),
  });
  return (
    <Card
      title="民主决策与公示"
      extra={
        <Select
          allowClear
          placeholder="状态"
          style={{ width: 200 }}
          value={status}
          onChange={setStatus}
          options={Object.entries(STATUS_LABELS).map(([value, s]) => ({ value, label: s.text }))}
        />
      }
    >
      {can('decisions:write') && (
        <Space style={{ marginBottom: 16 }} wrap>
          <InputNumber placeholder="需求征集编号" min={1} value={campaignId} onChange={(v) => setCampaignId(v)} />
          <Radio.Group value={procedure} onChange={(e) => setProcedure(e.target.value)} options={labelOptions(DECISION_PROCEDURE_LABELS)} />
          <Button type="primary" disabled={!campaignId} loading={create.isPending} onClick={() => create.mutate()}>
            启动决策程序
          </Button>
          {create.isError && <Typography.Text type="danger">{errorMessage(create.error)}</Typography.Text>}
        </Space>
      )}
      <Table
        rowKey="id"
        loading={list.isLoading}
        dataSource={list.data?.items ?? []}
        columns={[
          { title: '社区', dataIndex: 'communityName', render: (v: string, r) => <Link to={`/decisions/${r.id}`}>{v}</Link> },
          { title: '年度', dataIndex: 'fundYear' },
          { title: '程序', dataIndex: 'procedure', render: (p: string) => labelOf(DECISION_PROCEDURE_LABELS, p) },
          { title: '状态', dataIndex: 'status', render: statusTag },
          { title: '公示期', render: (_, r) => (r.notice ? <NoticeWindow notice={r.notice} /> : '—') },
          { title: '异议', render: (_, r) => (r.notice ? `${r.notice.objectors} / ${r.notice.objectorsNeeded}` : '—') },
        ]}
      />
    </Card>
  );
}

function DecisionDetail({ id }: { id: number }) {
  const { can } = useSession();
  const query = useQuery({ queryKey: ['decision', id], queryFn: ({ signal }) => decisionsApi.get(id, signal) });
  const [modal, setModal] = useState<null | 'step' | 'vote' | 'revote'>(null);
  if (query.isLoading) return <Spin />;
  if (query.isError || !query.data) return <Result status="404" title="决策记录不存在" subTitle={errorMessage(query.error)} />;
  const d = query.data;
  const writable = can('decisions:write');
  const decisive = d.nextStep === 'resident_decision' || d.nextStep === 'committees_decision';
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="large">
      <PageBreadcrumb current={`${d.communityName} ${d.fundYear} 年度项目清单决策`} />
      <Card
        title={
          <>
            {d.communityName} {d.fundYear} 年度项目清单决策 {statusTag(d.status)}
          </>
        }
        extra={
          <Space>
            {writable && <ReopenDecisionButton decision={d} />}
            <Link to="/decisions">返回列表</Link>
          </Space>
        }
      >
        <Descriptions
          size="small"
          column={3}
          items={[
            { key: 'p', label: '程序', children: labelOf(DECISION_PROCEDURE_LABELS, d.procedure) },
            { key: 'r', label: '表决轮次', children: d.round },
            { key: 'n', label: '下一步', children: d.nextStep ? d.steps.find((s) => s.step === d.nextStep)?.label : '—' },
          ]}
        />
        <Table
          size="small"
          rowKey="id"
          pagination={false}
          dataSource={d.projects}
          style={{ marginTop: 12 }}
          columns={[
            { title: '序', dataIndex: 'rank', width: 50 },
            { title: '项目', dataIndex: 'title' },
            { title: '类别', dataIndex: 'category', render: (c: string) => labelOf(CATALOGUE_CATEGORY_LABELS, c) },
            { title: '预算', dataIndex: 'estimatedBudgetFen', align: 'right', render: (v: number) => formatFen(v) },
            {
              title: '表决结果',
              dataIndex: 'passed',
              render: (p: boolean | null) => (p === null ? '—' : p ? <Tag color="success">通过</Tag> : <Tag>未通过</Tag>),
            },
          ]}
        />
        <AllocationNotice allocation={d.allocation} where="decision" />
      </Card>
      <Card
        title="程序步骤"
        extra={
          writable &&
          d.status === 'in_progress' && (
            <Space>
              {!decisive && <Button onClick={() => setModal('step')}>记录步骤</Button>}
              {decisive && (
                <Button type="primary" onClick={() => setModal('vote')}>
                  录入表决
                </Button>
              )}
            </Space>
          )
        }
      >
        <Timeline
          items={[
            ...d.records.map((r) => ({
              color: r.outcome === 'returned' ? 'red' : 'green',
              children: (
                <div data-testid={`record-${r.seq}`}>
                  <b>{r.label}</b>
                  {r.bodyLabel ? `（${r.bodyLabel}）` : ''} · {r.heldOn} · 应到 {r.expectedAttendance} / 实到 {r.actualAttendance} ·{' '}
                  {labelOf(STEP_OUTCOME_LABELS, r.outcome)}
                  <div style={{ color: '#666' }}>{r.minutes}</div>
                  {r.attachments.length > 0 && <div>附件：{r.attachments.map((a) => a.name).join('、')}</div>}
                </div>
              ),
            })),
            ...(d.nextStep ? [{ color: 'gray', children: `待办：${d.steps.find((s) => s.step === d.nextStep)?.label}` }] : []),
          ]}
        />
      </Card>
      {d.notices
        .slice()
        .reverse()
        .map((n) => (
          <Card
            key={n.id}
            title={
              <>
                第 {n.round} 次公示 <Tag color={NOTICE_STATUS[n.status]?.color}>{NOTICE_STATUS[n.status]?.text}</Tag>
              </>
            }
            extra={
              <Space>
                <a href={`/n/${n.id}`} target="_blank" rel="noreferrer">
                  公示页 / 打印
                </a>
                {writable && d.status === 'suspended' && n.round === d.round && (n.status === 'suspended' || n.status === 'closed') && (
                  <Button danger onClick={() => setModal('revote')}>
                    {n.status === 'closed' ? '议事会重新表决（增补项目）' : '针对异议重新表决'}
                  </Button>
                )}
              </Space>
            }
          >
            <Descriptions
              size="small"
              column={3}
              items={[
                { key: 'w', label: '公示期', children: <NoticeWindow notice={n} /> },
                { key: 'l', label: '剩余', children: `${n.daysLeft} 天` },
                { key: 'o', label: '异议', children: `${n.objectors} / ${n.objectorsNeeded}（代表 ${n.representatives} 人）` },
                ...(n.paperEntryUntil
                  ? [
                      {
                        key: 'p',
                        label: '书面异议补录截止',
                        children: (
                          <span data-testid="paper-entry-until">
                            {n.paperEntryUntil}
                            {d.paperEntry?.provisional ? '（暂定）' : ''}
                          </span>
                        ),
                      },
                    ]
                  : []),
                ...(n.suspendedAt
                  ? [
                      {
                        key: 's',
                        label: '中止时间',
                        children: <span data-testid="suspended-at">{dayjs(n.suspendedAt).format('YYYY-MM-DD HH:mm')}</span>,
                      },
                    ]
                  : []),
              ]}
            />
            {n.suspendReason && (
              <Alert
                style={{ margin: '8px 0' }}
                type="error"
                showIcon
                data-testid="suspend-reason"
                title={n.round === d.round && d.suspension?.lateEntry ? '中止原因（补录的书面异议）' : '中止原因'}
                description={n.suspendReason}
              />
            )}
            <Table
              size="small"
              rowKey="id"
              pagination={false}
              dataSource={n.objections}
              locale={{ emptyText: '暂无异议' }}
              columns={[
                { title: '户号', dataIndex: 'householdNo' },
                { title: '居民代表', dataIndex: 'representativeName' },
                { title: '方式', dataIndex: 'channel', render: (c: string) => labelOf(OBJECTION_CHANNEL_LABELS, c) },
                { title: '收到日期', dataIndex: 'receivedOn' },
                {
                  title: '录入日期',
                  dataIndex: 'enteredOn',
                  render: (v: string, o: Objection) =>
                    o.enteredLate ? (
                      <>
                        {v} <Tag color="orange">公示期满后补录</Tag>
                      </>
                    ) : (
                      v
                    ),
                },
                { title: '理由', dataIndex: 'reason' },
              ]}
            />
            {writable && d.paperEntry?.noticeId === n.id && d.paperEntry.open && (
              <PaperObjection notice={n} entryUntil={d.paperEntry.until} decisionId={d.id} />
            )}
          </Card>
        ))}
      {modal === 'step' && <StepModal decision={d} onClose={() => setModal(null)} />}
      {(modal === 'vote' || modal === 'revote') && <VoteModal decision={d} revote={modal === 'revote'} onClose={() => setModal(null)} />}
    </Space>
  );
}

function PaperObjection({ notice, entryUntil, decisionId }: { notice: NoticeCore; entryUntil: string; decisionId: number }) {
  const client = useQueryClient();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const today = useToday();
  // The received date defaults to today (or the window's last day once it has ended) by the server's clock.
  useEffect(() => {
    if (today && !form.isFieldTouched('receivedOn'))
      form.setFieldValue('receivedOn', dayjs(today < notice.windowEnd ? today : notice.windowEnd));
  }, [today, form, notice.windowEnd]);
  const m = useMutation({
    mutationFn: (v: { householdNo: string; representativeName: string; reason?: string; receivedOn: dayjs.Dayjs }) =>
      decisionsApi.paperObjection(notice.id, {
        householdNo: v.householdNo,
        representativeName: v.representativeName,
        reason: v.reason,
        receivedOn: v.receivedOn.format('YYYY-MM-DD'),
      }),
    onSuccess: () => {
      form.resetFields();
      void message.success('书面异议已登记');
      void client.invalidateQueries({ queryKey: ['decision', decisionId] });
    },
  });
  return (
    <Form form={form} layout="inline" style={{ marginTop: 12 }} onFinish={(v) => m.mutate(v)}>
      <Form.Item name="householdNo" rules={[{ required: true }]}>
        <Input placeholder="户号" />
      </Form.Item>
      <Form.Item name="representativeName" rules={[{ required: true }]}>
        <Input placeholder="居民代表姓名" />
      </Form.Item>
      <Form.Item
        name="receivedOn"
        label="收到日期"
        rules={[{ required: true }]}
        tooltip={`按收到日期计入：须在公示期 ${notice.postedOn} 至 ${notice.windowEnd} 内，可补录至 ${entryUntil}`}
      >
        <DatePicker
          disabledDate={(d) =>
            d.isBefore(dayjs(notice.postedOn), 'day') ||
            d.isAfter(dayjs(notice.windowEnd), 'day') ||
            (today ? d.isAfter(dayjs(today), 'day') : false)
          }
        />
      </Form.Item>
      <Form.Item name="reason">
        <Input placeholder="理由" />
      </Form.Item>
      <Button htmlType="submit" loading={m.isPending}>
        录入书面异议
      </Button>
      {m.isError && <Typography.Text type="danger">{errorMessage(m.error)}</Typography.Text>}
    </Form>
  );
}

function StepModal({ decision, onClose }: { decision: Decision; onClose: () => void }) {
  const client = useQueryClient();
  const [form] = Form.useForm();
  const today = useToday();
  // The meeting date defaults to today by the server's clock, once it is known and unless already picked.
  useEffect(() => {
    if (today && !form.isFieldTouched('heldOn')) form.setFieldValue('heldOn', dayjs(today));
  }, [today, form]);
  const m = useMutation({
    mutationFn: (v: {
      heldOn: dayjs.Dayjs;
      expectedAttendance: number;
      actualAttendance: number;
      outcome: string;
      minutes: string;
      attachment?: string;
    }) =>
      decisionsApi.step(decision.id, {
        step: decision.nextStep as StepInput['step'],
        heldOn: v.heldOn.format('YYYY-MM-DD'),
        expectedAttendance: v.expectedAttendance,
        actualAttendance: v.actualAttendance,
        outcome: v.outcome as StepInput['outcome'],
        minutes: v.minutes,
        attachments: v.attachment ? [{ name: v.attachment, url: null }] : [],
      }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['decision', decision.id] });
      onClose();
    },
  });
  return (
    <Modal
      open
      title={`记录：${decision.steps.find((s) => s.step === decision.nextStep)?.label}`}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={m.isPending}
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{ outcome: 'approved', heldOn: today ? dayjs(today) : undefined }}
        onFinish={(v) => m.mutate(v)}
      >
        <Form.Item name="heldOn" label="日期" rules={[{ required: true }]}>
          <DatePicker />
        </Form.Item>
        <Space>
          <Form.Item name="expectedAttendance" label="应到" rules={[{ required: true }]}>
            <InputNumber min={0} />
          </Form.Item>
          <Form.Item name="actualAttendance" label="实到" rules={[{ required: true }]}>
            <InputNumber min={0} />
          </Form.Item>
        </Space>
        <Form.Item name="outcome" label="结果">
          <Radio.Group options={(['approved', 'returned'] as const).map((value) => ({ value, label: STEP_OUTCOME_LABELS[value] }))} />
        </Form.Item>
        <Form.Item name="minutes" label="会议纪要" rules={[{ required: true }]}>
          <Input.TextArea rows={4} />
        </Form.Item>
        <Form.Item name="attachment" label="附件名称">
          <Input placeholder="如：会议纪要.pdf" />
        </Form.Item>
        {m.isError && <Alert type="error" showIcon title={errorMessage(m.error)} />}
      </Form>
    </Modal>
  );
}

function VoteModal({ decision, revote, onClose }: { decision: Decision; revote: boolean; onClose: () => void }) {
  const client = useQueryClient();
  const [body, setBody] = useState<DecisionBody>(decision.procedure === 'simplified' ? 'committees' : 'council');
  const [present, setPresent] = useState<string[]>([]);
  const [counts, setCounts] = useState<{ expected?: number; actual?: number }>({});
  const today = useToday();
  const [pickedOn, setHeldOn] = useState<dayjs.Dayjs | null>(null);
  // Today by the server's clock until a date is picked.
  const heldOn = pickedOn ?? (today ? dayjs(today) : null);
  // The roster as it stands on the meeting day [N 3.1.2(1)].
  const rosterOn = heldOn?.format('YYYY-MM-DD');
  const roster = useQuery({
    queryKey: ['roster', decision.communityCode, rosterOn],
    queryFn: ({ signal }) => decisionsApi.roster(decision.communityCode, rosterOn, signal),
  });
  const members = (roster.data?.members ?? []).filter((m) =>
    body === 'council' ? m.isCouncilMember : body === 'representatives_meeting' ? m.isRepresentative : false,
  );
  const [minutes, setMinutes] = useState('');
  const [votes, setVotes] = useState<Record<number, { for: number; against: number; abstain: number }>>({});
  const m = useMutation({
    mutationFn: () => {
      const input: VoteInput = {
        heldOn: heldOn!.format('YYYY-MM-DD'),
        body,
        minutes,
        votes: decision.projects.map((p) => ({ projectId: p.id, ...(votes[p.id] ?? { for: 0, against: 0, abstain: 0 }) })),
        ...(members.length
          ? {
              presentMembers: present.map((k) => {
                const [householdNo, name] = k.split('|');
                return { householdNo: householdNo!, name: name! };
              }),
            }
          : { expectedAttendance: counts.expected, actualAttendance: counts.actual }),
      };
      return revote ? decisionsApi.revote(decision.id, input) : decisionsApi.vote(decision.id, input);
    },
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['decision', decision.id] });
      onClose();
    },
  });
  const bodies = BODY_OPTIONS.filter((o) =>
    revote
      ? ['council', 'representatives_meeting'].includes(o.value)
      : decision.procedure === 'simplified'
        ? o.value === 'committees'
        : o.value !== 'committees',
  );
  const ask = useConfirmAction();
  const setVote = (id: number, k: 'for' | 'against' | 'abstain', v: number | null) =>
    setVotes((s) => ({ ...s, [id]: { ...(s[id] ?? { for: 0, against: 0, abstain: 0 }), [k]: v ?? 0 } }));
  return (
    <Modal
      open
      width={760}
      title={revote ? (decision.notices.at(-1)?.status === 'closed' ? '议事会重新表决（增补项目）' : '针对异议重新表决') : '录入表决'}
      onCancel={onClose}
      onOk={() =>
        ask({
          title: revote ? '确认保存重新表决结果并重新公示？' : '确认保存表决结果并公示？',
          action: `${decision.communityName}：逐项表决结果记入决策，通过的项目立即公示`,
          amountFen: decision.allocation.totalFen,
          clause: '[N 3.1.2(1)]',
          consequence: `此操作不可撤销：公示立即发布，居民代表可在公示期内提出异议。${decision.allocation.message ? `注意：${decision.allocation.message}。` : ''}`,
          okText: '保存并公示',
          onOk: () => m.mutateAsync(),
        })
      }
      confirmLoading={m.isPending}
      okButtonProps={{ disabled: !heldOn }}
      okText="保存并公示"
    >
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Space wrap>
          <DatePicker value={heldOn} onChange={(v) => v && setHeldOn(v)} />
          <Select
            value={body}
            onChange={(v) => {
              setBody(v);
              setPresent([]);
            }}
            options={bodies}
            style={{ width: 220 }}
          />
        </Space>
        {members.length > 0 ? (
          <div>
            <div>
              实到成员（名册 {members.length} 人，已选 {present.length} 人）
            </div>
            <Checkbox.Group
              value={present}
              onChange={(v) => setPresent(v as string[])}
              options={members.map((mb) => ({ value: `${mb.householdNo}|${mb.name}`, label: `${mb.name}（${mb.householdNo}）` }))}
            />
          </div>
        ) : (
          <Space>
            应到 <InputNumber min={0} value={counts.expected} onChange={(v) => setCounts((c) => ({ ...c, expected: v ?? undefined }))} />{' '}
            实到 <InputNumber min={0} value={counts.actual} onChange={(v) => setCounts((c) => ({ ...c, actual: v ?? undefined }))} />
          </Space>
        )}
        <Table
          size="small"
          rowKey="id"
          pagination={false}
          dataSource={decision.projects}
          columns={[
            { title: '项目', dataIndex: 'title' },
            ...(['for', 'against', 'abstain'] as const).map((k) => ({
              title: VOTE_LABELS[k],
              render: (_: unknown, p: Decision['projects'][number]) => (
                <InputNumber min={0} size="small" value={votes[p.id]?.[k] ?? 0} onChange={(v) => setVote(p.id, k, v)} />
              ),
            })),
          ]}
        />
        <Input.TextArea rows={3} placeholder="会议纪要" value={minutes} onChange={(e) => setMinutes(e.target.value)} />
        <AllocationNotice allocation={decision.allocation} where="decision" />
        {m.isError && <Alert type="error" showIcon title={errorMessage(m.error)} />}
      </Space>
    </Modal>
  );
}
