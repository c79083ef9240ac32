import { useEffect, useRef, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Col,
  Descriptions,
  Empty,
  Form,
  Input,
  InputNumber,
  Modal,
  Progress,
  Row,
  Select,
  Space,
  Statistic,
  Table,
  Tabs,
  Tag,
  Typography,
  Upload,
} from 'antd';
import { PlusOutlined, QrcodeOutlined, UploadOutlined } from '@ant-design/icons';
import { errorMessage } from '../../api/client';
import { useSession } from '../../auth/session';
import { PageTitle } from '../../components/PageTitle';
import { ReasonModal } from '../../components/ReasonModal';
import { DateField } from '../../components/DateField';
import { RegionPicker } from '../../components/RegionPicker';
import { useFundYear } from '../../utils/clock';
import { formatFen, parseYuanToFen } from '../../utils/money';
import { newRequestId } from '../../utils/request-id';
import { encodingText, readFileForUpload } from '../../utils/file-upload';
import {
  CAMPAIGN_STATUS_LABELS,
  labelOf,
  OPINION_ENTERED_BY_LABELS,
  PROPOSAL_SOURCE_LABELS,
  PROPOSAL_STATUS_LABELS,
} from '../../api/labels';
import {
  CHANNELS,
  channelLabel,
  needsApi,
  percent,
  thresholdPercent,
  type Campaign,
  type CampaignCreate,
  type OpinionInput,
  type Proposal,
  type ProposalInput,
} from './api';
import { ConfirmAction } from '../../components/ConfirmAction';

const STATUS_COLORS: Record<keyof typeof CAMPAIGN_STATUS_LABELS, string> = { open: 'processing', concluded: 'success', ready: 'purple' };
const STATUS: Record<string, { label: string; color: string }> = Object.fromEntries(
  (Object.keys(CAMPAIGN_STATUS_LABELS) as (keyof typeof CAMPAIGN_STATUS_LABELS)[]).map((k) => [
    k,
    { label: CAMPAIGN_STATUS_LABELS[k], color: STATUS_COLORS[k] },
  ]),
);
const PROPOSAL_STATUS: Readonly<Record<string, string>> = PROPOSAL_STATUS_LABELS;

/** Needs campaigns of the caller's scope: coverage, opinions, paper entry, proposals and the draft list. */
export default function NeedsPage() {
  const id = Number(useParams().id) || null;
  const navigate = useNavigate();
  const { user, can } = useSession();
  const list = useQuery({ queryKey: ['needs', 'campaigns'], queryFn: ({ signal }) => needsApi.campaigns(signal) });
  const [creating, setCreating] = useState(false);
  const communityCode = user.role === 'community' ? user.scope?.code : undefined;

  return (
    <>
      <PageTitle
        title="需求征集与提案"
        extra={
          can('needs:write') && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
              发起征集
            </Button>
          )
        }
      >
        <Typography.Text type="secondary">
          一户一票、院落会议、问卷、网络投票、实地走访；入户覆盖率达标后形成项目清单 [N 3.1.1]
        </Typography.Text>
      </PageTitle>
      <Table
        size="small"
        rowKey="id"
        loading={list.isLoading}
        dataSource={list.data?.items ?? []}
        pagination={false}
        onRow={(r) => ({ onClick: () => navigate(`/needs/${r.id}`), style: { cursor: 'pointer' } })}
        rowClassName={(r) => (r.id === id ? 'ant-table-row-selected' : '')}
        columns={[
          { title: '社区', dataIndex: 'communityName' },
          { title: '年度', dataIndex: 'fundYear', width: 80 },
          { title: '标题', dataIndex: 'title' },
          { title: '时间', render: (_, r) => `${r.opensOn} ~ ${r.closesOn}` },
          { title: '状态', dataIndex: 'status', render: (s: string) => <Tag color={STATUS[s]?.color}>{STATUS[s]?.label ?? s}</Tag> },
          {
            title: '覆盖率',
            render: (_, r) => (
              <Typography.Text type={r.coverage.meets ? 'success' : 'warning'}>
                {percent(r.coverage.basisPoints)}（{r.coverage.reached}/{r.coverage.residentHouseholds}）
              </Typography.Text>
            ),
          },
        ]}
      />
      {id && <CampaignDetail id={id} />}
      {creating && (
        <CreateCampaignModal
          communityCode={communityCode}
          onClose={(newId) => {
            setCreating(false);
            if (newId) navigate(`/needs/${newId}`);
          }}
        />
      )}
    </>
  );
}

function CreateCampaignModal({ communityCode, onClose }: { communityCode?: string; onClose: (id?: number) => void }) {
  const [form] = Form.useForm();
  const qc = useQueryClient();
  // The fund year of the server's clock; filled in once known unless already typed.
  const year = useFundYear();
  useEffect(() => {
    if (year === undefined || form.isFieldsTouched(['fundYear', 'title'])) return;
    form.setFieldsValue({ fundYear: year, title: `${year} 年度居民需求征集` });
  }, [year, form]);
  const create = useMutation({
    mutationFn: (v: CampaignCreate) => needsApi.create(v),
    onSuccess: (r) => {
      void qc.invalidateQueries({ queryKey: ['needs'] });
      onClose(r.campaign.id);
    },
  });
  return (
    <Modal open title="发起需求征集" onCancel={() => onClose()} onOk={() => form.submit()} confirmLoading={create.isPending} width={640}>
      <Form
        form={form}
        layout="vertical"
        initialValues={{
          communityCode,
          fundYear: year,
          title: year === undefined ? undefined : `${year} 年度居民需求征集`,
          channels: CHANNELS.map((c) => c.code),
          itemCodes: ['E1', 'E2', 'E3', 'E4', 'E5', 'E6'],
          freeText: true,
          allowChanges: false,
        }}
        onFinish={(v) =>
          create.mutate({
            communityCode: v.communityCode,
            fundYear: v.fundYear,
            title: v.title,
            opensOn: v.opensOn,
            closesOn: v.closesOn,
            channels: v.channels,
            allowChanges: v.allowChanges,
            questionnaire: { itemCodes: v.itemCodes, freeText: v.freeText, prompt: v.prompt || null },
          })
        }
      >
        <Row gutter={12}>
          <Col span={12}>
            <Form.Item name="communityCode" label="社区" rules={[{ required: true, message: '请选择社区' }]}>
              <RegionPicker level="community" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="fundYear" label="资金年度" rules={[{ required: true }]}>
              <InputNumber style={{ width: '100%' }} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="title" label="标题" rules={[{ required: true }]}>
          <Input />
        </Form.Item>
        <Row gutter={12}>
          <Col span={12}>
            <Form.Item name="opensOn" label="开始日期" rules={[{ required: true, message: '请选择开始日期' }]}>
              <DateField />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="closesOn" label="截止日期" rules={[{ required: true, message: '请选择截止日期' }]}>
              <DateField />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="channels" label="征集渠道">
          <Checkbox.Group options={CHANNELS.map((c) => ({ label: c.label, value: c.code }))} />
        </Form.Item>
        <Form.Item name="itemCodes" label="问卷选项（提升类项目编码）">
          <Select mode="tags" />
        </Form.Item>
        <Form.Item name="prompt" label="问题">
          <Input placeholder="您最希望社区开展哪些服务？" />
        </Form.Item>
        <Space>
          <Form.Item name="freeText" valuePropName="checked">
            <Checkbox>收集文字意见</Checkbox>
          </Form.Item>
          <Form.Item name="allowChanges" valuePropName="checked">
            <Checkbox>截止前允许修改</Checkbox>
          </Form.Item>
        </Space>
        {create.isError && <Alert type="error" showIcon message={errorMessage(create.error)} />}
      </Form>
    </Modal>
  );
}

function CampaignDetail({ id }: { id: number }) {
  const { can } = useSession();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const q = useQuery({
    queryKey: ['needs', 'campaign', id],
    queryFn: ({ signal }) => needsApi.campaign(id, signal),
    refetchInterval: 15_000,
  });
  const conclude = useMutation({
    mutationFn: () => needsApi.conclude(id),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['needs'] });
      void message.success('征集已完结');
    },
    onError: (e) => void message.error(errorMessage(e)),
  });
  if (!q.data) return q.isError ? <Alert type="error" message={errorMessage(q.error)} style={{ marginTop: 16 }} /> : null;
  const c = q.data.campaign;
  const writable = can('needs:write');
  return (
    <Card
      style={{ marginTop: 16 }}
      title={
        <Space>
          {c.communityName} · {c.title}
          <Tag color={STATUS[c.status]?.color}>{STATUS[c.status]?.label}</Tag>
        </Space>
      }
      extra={
        <Space>
          <Link to={`/r/${c.id}/poster`} target="_blank">
            <Button icon={<QrcodeOutlined />}>二维码海报</Button>
          </Link>
          <Link to={`/r/${c.id}`} target="_blank">
            居民填写页
          </Link>
        </Space>
      }
    >
      <Tabs
        items={[
          {
            key: 'overview',
            label: '覆盖率',
            children: (
              <Overview
                c={c}
                onConclude={writable && c.status === 'open' ? () => conclude.mutate() : undefined}
                concluding={conclude.isPending}
              />
            ),
          },
          {
            key: 'opinions',
            label: `意见（${c.coverage.reached}）`,
            children: <Opinions c={c} writable={writable && c.status === 'open'} />,
          },
          { key: 'proposals', label: '提案与项目清单', children: <Proposals c={c} writable={writable && c.status !== 'ready'} /> },
        ]}
      />
    </Card>
  );
}

function Overview({ c, onConclude, concluding }: { c: Campaign; onConclude?: () => void; concluding: boolean }) {
  const cov = c.coverage;
  const target = (cov.threshold.numerator * 100) / cov.threshold.denominator;
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} md={10}>
        <Space direction="vertical" style={{ width: '100%' }}>
          <Statistic
            title="入户覆盖率（不同户数 ÷ 常住户数）"
            value={percent(cov.basisPoints)}
            valueStyle={{ color: cov.meets ? '#389e0d' : '#d46b08' }}
            data-testid="coverage-value"
          />
          <Progress
            percent={Math.min(100, cov.basisPoints / 100)}
            success={{ percent: Math.min(target, cov.basisPoints / 100) }}
            format={() => `${cov.reached}/${cov.residentHouseholds}`}
          />
          <Typography.Text type="secondary">
            政策要求 {thresholdPercent(cov.threshold)}，至少 {cov.required} 户
            {cov.meets ? '，已达标' : `，还差 ${cov.required - cov.reached} 户`}。
          </Typography.Text>
          {onConclude && (
            <ConfirmAction
              type="primary"
              disabled={!cov.meets}
              loading={concluding}
              confirm={{
                title: '确认完结需求征集？',
                action: `完结 ${c.fundYear} 年度需求征集（覆盖 ${cov.reached} 户），形成提案`,
                clause: '[N 3.1.1(1)]',
                consequence: '此操作不可撤销：完结后不能再录入居民意见。',
                okText: '完结征集',
                onOk: onConclude,
              }}
            >
              完结征集，形成提案
            </ConfirmAction>
          )}
        </Space>
      </Col>
      <Col xs={24} md={14}>
        <Descriptions
          size="small"
          column={1}
          items={c.byChannel.map((b) => ({ key: b.channel, label: b.label, children: `${b.households} 户` }))}
        />
        <Table
          size="small"
          rowKey="code"
          pagination={false}
          dataSource={c.tally}
          columns={[
            { title: '服务类别', dataIndex: 'name' },
            { title: '选择户数', dataIndex: 'households' },
          ]}
          style={{ marginTop: 12 }}
        />
      </Col>
    </Row>
  );
}

function Opinions({ c, writable }: { c: Campaign; writable: boolean }) {
  const [offset, setOffset] = useState(0);
  const [householdNo, setHouseholdNo] = useState('');
  const qc = useQueryClient();
  const { message } = App.useApp();
  const q = useQuery({
    queryKey: ['needs', 'opinions', c.id, offset, householdNo],
    queryFn: ({ signal }) => needsApi.opinions(c.id, offset, signal, householdNo),
  });
  const [form] = Form.useForm();
  const refresh = () => void qc.invalidateQueries({ queryKey: ['needs'] });
  const enter = useMutation({
    mutationFn: (v: OpinionInput) => needsApi.enter(c.id, v),
    onSuccess: () => {
      form.resetFields(['householdNo', 'choices', 'freeText']);
      refresh();
      void message.success('已录入');
    },
  });
  const [importErrors, setImportErrors] = useState<{ row: number; column: string; message: string }[] | null>(null);
  // One key per import attempt, kept while the same file is chosen again: importing it again after
  // a lost answer returns the import already recorded (ADR 0010); another file is a new attempt.
  const importAttempt = useRef<{ file: string; key: string } | null>(null);
  const importFile = async (file: File) => {
    setImportErrors(null);
    const upload = await readFileForUpload(file);
    const fileKey = `${c.id}:${file.name}:${file.size}:${file.lastModified}`;
    if (importAttempt.current?.file !== fileKey) importAttempt.current = { file: fileKey, key: newRequestId() };
    try {
      const r = await needsApi.importOpinions(c.id, { ...upload, requestId: importAttempt.current.key });
      importAttempt.current = null;
      void message.success(`已导入 ${r.rows} 户（${encodingText(r.encoding)}）`);
      refresh();
    } catch (e) {
      const details = (e as { details?: { errors?: { row: number; column: string; message: string }[] } }).details;
      if (details?.errors) setImportErrors(details.errors);
      else void message.error(errorMessage(e));
    }
    return false;
  };
  return (
    <>
      {writable && (
        <Card size="small" title="录入纸质问卷 / 院落会议结果" style={{ marginBottom: 16 }}>
          <Form
            form={form}
            layout="inline"
            initialValues={{ channel: c.channels.find((ch) => ch !== 'online_vote') ?? c.channels[0] }}
            onFinish={(v) => enter.mutate({ ...v, choices: v.choices ?? [], freeText: v.freeText || null })}
          >
            <Form.Item name="householdNo" label="户号" rules={[{ required: true, message: '请填写户号' }]}>
              <Input placeholder="户号" style={{ width: 120 }} data-testid="entry-household-no" />
            </Form.Item>
            <Form.Item name="channel" label="渠道">
              <Select style={{ width: 120 }} options={c.channels.map((ch) => ({ value: ch, label: channelLabel(ch) }))} />
            </Form.Item>
            <Form.Item name="choices" label="选择">
              <Checkbox.Group options={c.questionnaire.items.map((i) => ({ label: i.name, value: i.code }))} />
            </Form.Item>
            {c.questionnaire.freeText && (
              <Form.Item name="freeText" label="其他意见">
                <Input placeholder="其他意见" style={{ width: 200 }} />
              </Form.Item>
            )}
            <Button htmlType="submit" type="primary" loading={enter.isPending}>
              录入
            </Button>
            <Upload accept=".csv,.xlsx" showUploadList={false} beforeUpload={(f) => void importFile(f) as unknown as boolean}>
              <Button icon={<UploadOutlined />} style={{ marginLeft: 8 }}>
                批量导入
              </Button>
            </Upload>
          </Form>
          {enter.isError && <Alert type="error" showIcon message={errorMessage(enter.error)} style={{ marginTop: 8 }} />}
          {importErrors && (
            <Alert
              type="error"
              showIcon
              style={{ marginTop: 8 }}
              message={`导入文件有 ${importErrors.length} 处错误，未导入任何数据`}
              description={
                <ul style={{ margin: 0 }}>
                  {importErrors.slice(0, 20).map((e, i) => (
                    <li key={i}>
                      第 {e.row} 行 {e.column}：{e.message}
                    </li>
                  ))}
                </ul>
              }
            />
          )}
        </Card>
      )}
      <Input.Search
        allowClear
        aria-label="按户号搜索意见"
        placeholder="按户号搜索"
        data-testid="opinion-search"
        style={{ width: 240, marginBottom: 8 }}
        onSearch={(v) => {
          setHouseholdNo(v.trim());
          setOffset(0);
        }}
      />
      <Table
        size="small"
        rowKey="id"
        loading={q.isLoading}
        dataSource={q.data?.items ?? []}
        data-testid="opinion-table"
        pagination={{
          total: q.data?.total ?? 0,
          pageSize: 20,
          current: offset / 20 + 1,
          onChange: (p) => setOffset((p - 1) * 20),
          showSizeChanger: false,
        }}
        columns={[
          { title: '户号', dataIndex: 'householdNo' },
          { title: '地址', dataIndex: 'address' },
          { title: '户主', dataIndex: 'headName' },
          { title: '渠道', dataIndex: 'channel', render: channelLabel },
          {
            title: '选择',
            dataIndex: 'choices',
            render: (v: string[]) =>
              v.map((code) => <Tag key={code}>{c.questionnaire.items.find((i) => i.code === code)?.name ?? code}</Tag>),
          },
          { title: '意见', dataIndex: 'freeText' },
          { title: '录入', dataIndex: 'enteredBy', render: (v: string) => labelOf(OPINION_ENTERED_BY_LABELS, v) },
        ]}
      />
    </>
  );
}

function Proposals({ c, writable }: { c: Campaign; writable: boolean }) {
  const qc = useQueryClient();
  const { message } = App.useApp();
  const q = useQuery({ queryKey: ['needs', 'proposals', c.id], queryFn: ({ signal }) => needsApi.proposals(c.id, signal) });
  const draft = useQuery({ queryKey: ['needs', 'draft', c.id], queryFn: ({ signal }) => needsApi.draftList(c.id, signal) });
  const refresh = () => void qc.invalidateQueries({ queryKey: ['needs'] });
  const onError = (e: unknown) => void message.error(errorMessage(e));
  const [selected, setSelected] = useState<number[]>([]);
  const [budgets, setBudgets] = useState<Record<number, string>>({});
  const [form] = Form.useForm();
  const add = useMutation({
    mutationFn: (v: ProposalInput) => needsApi.addProposal(c.id, v),
    onSuccess: () => {
      form.resetFields();
      refresh();
    },
    onError,
  });
  const [screening, setScreening] = useState<Proposal | null>(null);
  const screen = useMutation({
    mutationFn: (v: { id: number; decision: 'reject' | 'restore'; reason?: string }) =>
      needsApi.screen(v.id, { decision: v.decision, reason: v.reason }),
    onSuccess: () => {
      setScreening(null);
      refresh();
    },
    onError,
  });
  const merge = useMutation({
    mutationFn: () => needsApi.merge(c.id, { targetId: selected[0]!, sourceIds: selected.slice(1) }),
    onSuccess: () => {
      setSelected([]);
      refresh();
    },
    onError,
  });
  const setList = useMutation({
    mutationFn: () =>
      needsApi.setDraftList(
        c.id,
        selected.map((proposalId) => ({
          proposalId,
          ...(budgets[proposalId] ? { estimatedBudgetFen: parseYuanToFen(budgets[proposalId]!) } : {}),
        })),
      ),
    onSuccess: () => {
      setSelected([]);
      refresh();
      void message.success('项目清单已更新');
    },
    onError,
  });
  const ready = useMutation({
    mutationFn: () => needsApi.ready(c.id),
    onSuccess: () => {
      refresh();
      void message.success('已提交居民议事会');
    },
    onError,
  });
  const items: Proposal[] = q.data?.items ?? [];
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} xl={14}>
        {writable && (
          <Form
            form={form}
            layout="inline"
            style={{ marginBottom: 12 }}
            onFinish={(v) => add.mutate({ title: v.title, catalogueCode: v.catalogueCode || null })}
          >
            <Form.Item name="title" label="提案名称" rules={[{ required: true, message: '请填写提案名称' }]}>
              <Input placeholder="新提案（两委直接提出）" style={{ width: 220 }} />
            </Form.Item>
            <Form.Item name="catalogueCode" label="目录编码">
              <Input placeholder="目录编码 如 E5" style={{ width: 120 }} />
            </Form.Item>
            <Button htmlType="submit" loading={add.isPending}>
              新增
            </Button>
          </Form>
        )}
        <ReasonModal
          open={screening !== null}
          title={`筛除提案：${screening?.title ?? ''}`}
          consequence={`该提案（涉及 ${screening?.householdCount ?? 0} 户）将不进入项目清单；筛除理由显示在提案下，之后仍可恢复。`}
          reasonLabel="筛除理由"
          okText="确认筛除"
          loading={screen.isPending}
          onCancel={() => setScreening(null)}
          onConfirm={(reason) => screening && screen.mutate({ id: screening.id, decision: 'reject', reason })}
        />
        <Table
          size="small"
          rowKey="id"
          loading={q.isLoading}
          dataSource={items.filter((p) => p.status !== 'merged')}
          pagination={false}
          rowSelection={
            writable
              ? {
                  selectedRowKeys: selected,
                  onChange: (keys) => setSelected(keys as number[]),
                  getCheckboxProps: (p) => ({ disabled: p.status === 'rejected' }),
                }
              : undefined
          }
          columns={[
            {
              title: '提案',
              dataIndex: 'title',
              render: (t: string, p) => (
                <>
                  {t}
                  {p.screenReason && <div style={{ color: '#999', fontSize: 12 }}>筛除理由：{p.screenReason}</div>}
                </>
              ),
            },
            { title: '目录', dataIndex: 'catalogueName', render: (v: string | null, p) => v ?? p.catalogueCode ?? '—' },
            { title: '来源', dataIndex: 'source', render: (s: string) => labelOf(PROPOSAL_SOURCE_LABELS, s) },
            { title: '涉及户数', dataIndex: 'householdCount' },
            { title: '状态', dataIndex: 'status', render: (s: string) => PROPOSAL_STATUS[s] ?? s },
            {
              title: '预算（元）',
              render: (_, p) =>
                writable ? (
                  <Input
                    size="small"
                    aria-label={`${p.title}预算（元）`}
                    style={{ width: 110 }}
                    placeholder={p.estimatedBudgetFen !== null ? formatFen(p.estimatedBudgetFen) : '预算'}
                    value={budgets[p.id] ?? ''}
                    onChange={(e) => setBudgets({ ...budgets, [p.id]: e.target.value })}
                  />
                ) : p.estimatedBudgetFen !== null ? (
                  formatFen(p.estimatedBudgetFen)
                ) : (
                  '—'
                ),
            },
            ...(writable
              ? [
                  {
                    title: '',
                    render: (_: unknown, p: Proposal) =>
                      p.status === 'rejected' ? (
                        <Button size="small" onClick={() => screen.mutate({ id: p.id, decision: 'restore' })}>
                          恢复
                        </Button>
                      ) : (
                        <Button size="small" danger onClick={() => setScreening(p)}>
                          筛除
                        </Button>
                      ),
                  },
                ]
              : []),
          ]}
        />
        {writable && (
          <Space style={{ marginTop: 12 }}>
            <Button disabled={selected.length < 2} loading={merge.isPending} onClick={() => merge.mutate()}>
              合并所选（并入第一项）
            </Button>
            <Button type="primary" disabled={selected.length === 0} loading={setList.isPending} onClick={() => setList.mutate()}>
              按所选顺序形成项目清单
            </Button>
          </Space>
        )}
      </Col>
      <Col xs={24} xl={10}>
        <Card size="small" title="项目清单（草案）" extra={draft.data && <span>合计 {formatFen(draft.data.totalBudgetFen)}</span>}>
          {draft.data && draft.data.items.length > 0 ? (
            <Table
              size="small"
              rowKey="id"
              pagination={false}
              dataSource={draft.data.items}
              columns={[
                { title: '序', dataIndex: 'rank', width: 40 },
                { title: '项目', dataIndex: 'title' },
                { title: '目录', dataIndex: 'catalogueName' },
                { title: '户数', dataIndex: 'householdCount' },
                { title: '预算', dataIndex: 'estimatedBudgetFen', render: (v: number | null) => (v === null ? '—' : formatFen(v)) },
              ]}
            />
          ) : (
            <Empty description="尚未形成清单" />
          )}
          {writable && c.status === 'concluded' && (draft.data?.items.length ?? 0) > 0 && (
            <ConfirmAction
              type="primary"
              block
              style={{ marginTop: 12 }}
              loading={ready.isPending}
              confirm={{
                title: '确认将项目清单提交居民议事会？',
                action: `提交 ${draft.data?.items.length ?? 0} 个项目的清单，进入民主决策程序`,
                amountFen: (draft.data?.items ?? []).reduce((s, x) => s + (x.estimatedBudgetFen ?? 0), 0),
                clause: '[N 3.1.1(3)]',
                consequence: '此操作不可撤销：提交后清单冻结，不能再增删项目。',
                okText: '提交',
                onOk: () => ready.mutateAsync(),
              }}
            >
              提交居民议事会
            </ConfirmAction>
          )}
          {c.status === 'open' && <Typography.Text type="secondary">征集完结（覆盖率达标）后方可提交居民议事会。</Typography.Text>}
          {draft.data?.ready && <Alert type="success" showIcon message="已提交居民议事会" style={{ marginTop: 12 }} />}
        </Card>
      </Col>
    </Row>
  );
}
