import { useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Form,
  Image,
  Input,
  InputNumber,
  Popconfirm,
  Space,
  Table,
  Tag,
  Typography,
  Upload,
} from 'antd';
import { UploadOutlined } from '@ant-design/icons';
import { errorMessage } from '../../api/client';
import { useSession } from '../../auth/session';
import { ErrorView } from '../../components/ErrorView';
import { QueryTable } from '../../components/QueryTable';
import { StatusTag } from '../../components/StatusTag';
import { PageLoading } from '../../components/PageLoading';
import { ReasonModal } from '../../components/ReasonModal';
import { PageTitle } from '../../components/PageTitle';
import { YearSelect } from '../../components/YearSelect';
import { useFundYear, useYearChoice } from '../../utils/clock';
import { formatFen } from '../../utils/money';
import { newRequestId } from '../../utils/request-id';
import { NewContractCard } from './NewContractCard';
import {
  fileToBase64,
  procurementApi,
  STATUS_LABELS,
  type Activity,
  type Adjustment,
  type Contract,
  type ContractSummary,
  type Instalment,
} from './api';
import { PageBreadcrumb } from '../../components/PageBreadcrumb';
import { useListFilter } from '../../components/ListFilter';
import { DateField } from '../../components/DateField';
import { ConfirmAction } from '../../components/ConfirmAction';

const STATUS_COLORS: Record<string, string> = {
  signed: 'blue',
  completed: 'green',
  cancelled: 'default',
  paid: 'green',
  requested: 'orange',
  approved: 'green',
  rejected: 'red',
  void: 'default',
};
const statusTag = (s: string) => <StatusTag status={s} label={STATUS_LABELS[s]} colors={STATUS_COLORS} />;

/** 服务合同: the list, or one contract with instalments, ledger effect and delivery records. */
export default function ContractsPage() {
  const { id } = useParams<{ id: string }>();
  return id ? <ContractDetail id={Number(id)} /> : <ContractList />;
}

const NO_CONTRACTS: ContractSummary[] = [];
const contractText = (c: ContractSummary) => [c.ref, c.title, c.providerName];
const contractStatus = (c: ContractSummary) => c.status;
const contractStatusLabel = (s: string) => STATUS_LABELS[s] ?? s;

function ContractList() {
  const { can, user } = useSession();
  const fundYear = useFundYear();
  const [year, setYear] = useYearChoice();
  // The fund year, the year after and the two before; plus a year chosen elsewhere.
  const years =
    fundYear === undefined
      ? []
      : [...new Set([fundYear + 1, fundYear, fundYear - 1, fundYear - 2, year ?? fundYear])].sort((a, b) => b - a);
  const list = useQuery({ queryKey: ['contracts'], queryFn: ({ signal }) => procurementApi.contracts(signal) });
  const filter = useListFilter(list.data?.items ?? NO_CONTRACTS, {
    text: contractText,
    status: contractStatus,
    statusLabel: contractStatusLabel,
  });
  return (
    <>
      <PageTitle title="服务合同" extra={<YearSelect value={year} years={years} onChange={setYear} loading={fundYear === undefined} />}>
        <Typography.Text type="secondary">签订合同即占用社区资金；按期拨付只付给签约的承接主体 [N 3.3]</Typography.Text>
      </PageTitle>
      {can('procurement:write') && user.scope && year !== undefined && (
        <NewContractCard fundYear={year} communityCode={user.scope.level === 'community' ? user.scope.code : null} />
      )}
      {filter.bar}
      <QueryTable<ContractSummary>
        query={list}
        rows={filter.rows}
        rowKey="id"
        columns={[
          { title: '合同编号', dataIndex: 'ref', render: (ref: string, c) => <Link to={`/contracts/${c.id}`}>{ref}</Link> },
          { title: '名称', dataIndex: 'title' },
          { title: '承接主体', dataIndex: 'providerName' },
          { title: '社区', dataIndex: 'communityName', width: 140 },
          { title: '金额', dataIndex: 'amountFen', render: formatFen, align: 'right' },
          { title: '已拨付', dataIndex: 'paidFen', render: (v: number | undefined) => formatFen(v ?? 0), align: 'right' },
          { title: '状态', dataIndex: 'status', render: statusTag, width: 110 },
        ]}
      />
    </>
  );
}

function ContractDetail({ id }: { id: number }) {
  const { can, user } = useSession();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const contract = useQuery({ queryKey: ['contract', id], queryFn: ({ signal }) => procurementApi.contract(id, signal) });
  const refresh = () => void qc.invalidateQueries({ queryKey: ['contract', id] });
  const sign = useMutation({
    mutationFn: () => procurementApi.sign(id),
    onSuccess: () => {
      void message.success('合同已签订，资金已占用');
      refresh();
    },
    onError: (e) => void message.error(errorMessage(e)),
  });
  // One key per instalment until its request is recorded: clicking again after a lost answer
  // returns the request already recorded instead of a second one (ADR 0010).
  const requestKeys = useRef(new Map<number, string>());
  const request = useMutation({
    mutationFn: (i: Instalment) => {
      const key = requestKeys.current.get(i.id) ?? newRequestId();
      requestKeys.current.set(i.id, key);
      return procurementApi.requestPayment(i.id, '', key);
    },
    onSuccess: (_r, i) => {
      requestKeys.current.delete(i.id);
      void message.success('已提交拨付申请，等待街道审批');
      refresh();
    },
    onError: (e) => void message.error(errorMessage(e)),
  });
  const [cancelling, setCancelling] = useState(false);
  const cancel = useMutation({
    mutationFn: (reason: string) => procurementApi.cancel(id, reason),
    onSuccess: () => {
      setCancelling(false);
      void message.success('合同已终止，未拨付的占用已释放');
      refresh();
    },
    onError: (e) => void message.error(errorMessage(e)),
  });
  if (contract.isPending) return <PageLoading />;
  if (contract.isError) return <ErrorView error={contract.error} what="合同" onRetry={() => void contract.refetch()} />;
  const c = contract.data;
  const isProvider = user.role === 'provider';
  return (
    <>
      <PageBreadcrumb current={`${c.ref} ${c.title}`} />
      <PageTitle
        title={`${c.ref} ${c.title}`}
        extra={
          <>
            {statusTag(c.status)}
            {c.status === 'draft' && can('procurement:write') && (
              <ConfirmAction
                type="primary"
                loading={sign.isPending}
                confirm={{
                  title: '确认签订合同？',
                  action: `与 ${c.provider?.name ?? '承接主体'} 签订合同 ${c.ref}`,
                  amountFen: c.amountFen,
                  clause: '[N 3.1.3]',
                  consequence: '此操作不可撤销：签订后合同金额从社区可用资金中占用，只能按分期条件拨付或终止。',
                  okText: '签订合同',
                  onOk: () => sign.mutateAsync(),
                }}
              >
                签订合同
              </ConfirmAction>
            )}
            {(c.status === 'draft' || c.status === 'signed') && can('procurement:write') && (
              <Button danger loading={cancel.isPending} onClick={() => setCancelling(true)}>
                终止合同
              </Button>
            )}
          </>
        }
      />
      <ReasonModal
        open={cancelling}
        title={`终止合同 ${c.ref}`}
        consequence={
          c.status === 'draft'
            ? `合同尚未签订，终止后作废，所含项目可重新签约。此操作不可撤销。`
            : `合同金额 ${formatFen(c.amountFen)} 元，已拨付 ${formatFen(c.ledger.paidFen)} 元。终止后未拨付的 ${formatFen(c.ledger.outstandingFen)} 元占用释放回社区可用资金，未拨付的分期作废。此操作不可撤销。`
        }
        reasonLabel="终止理由（将记入审计日志）"
        okText="确认终止"
        loading={cancel.isPending}
        onCancel={() => setCancelling(false)}
        onConfirm={(reason) => cancel.mutate(reason)}
      />
      <Space orientation="vertical" size={16} style={{ width: '100%' }}>
        {c.remainderVoidedOn && (
          <Alert
            type="warning"
            showIcon
            data-testid="remainder-voided"
            title={`终期评估不合格：${c.remainderVoidedOn} 起未拨付的分期已作废，${formatFen(c.ledger.releasedFen)} 的合同占用已释放回社区可用资金 [N 3.2]`}
            description={c.remainderVoidReason}
          />
        )}
        <Card size="small" title="合同信息">
          <Descriptions size="small" column={2}>
            <Descriptions.Item label="承接主体">
              {c.provider?.name}（{c.provider?.creditCode}）
            </Descriptions.Item>
            <Descriptions.Item label="合同金额">{formatFen(c.amountFen)}</Descriptions.Item>
            <Descriptions.Item label="期限">
              {c.startsOn} 至 {c.endsOn}
            </Descriptions.Item>
            <Descriptions.Item label="签订日期">{c.signedOn ?? '—'}</Descriptions.Item>
            <Descriptions.Item label="服务项目" span={2}>
              {c.projects.map((p) => p.title).join('、')}
            </Descriptions.Item>
            <Descriptions.Item label="交付成果" span={2}>
              {c.deliverables.join('；')}
            </Descriptions.Item>
          </Descriptions>
        </Card>
        <ProcurementCard id={c.procurementId} />
        <Card size="small" title="资金账本">
          <Descriptions size="small" column={3} data-testid="ledger-effect">
            <Descriptions.Item label="本合同已拨付">{formatFen(c.ledger.paidFen)}</Descriptions.Item>
            <Descriptions.Item label="本合同尚占用">{formatFen(c.ledger.outstandingFen)}</Descriptions.Item>
            <Descriptions.Item label="已释放">{formatFen(c.ledger.releasedFen)}</Descriptions.Item>
            {c.ledger.community && (
              <>
                <Descriptions.Item label="社区下达">{formatFen(c.ledger.community.allocatedFen)}</Descriptions.Item>
                <Descriptions.Item label="社区已拨付">
                  <span data-testid="community-paid">{formatFen(c.ledger.community.paidFen)}</span>
                </Descriptions.Item>
                <Descriptions.Item label="社区可用">
                  <span data-testid="community-available">{formatFen(c.ledger.community.availableFen)}</span>
                </Descriptions.Item>
              </>
            )}
          </Descriptions>
          {c.ledger.shares.length > 0 && (
            // [N 2.3] An area contract: each member community funds its part from its own allocation.
            <Table
              size="small"
              rowKey="communityCode"
              pagination={false}
              style={{ marginTop: 12 }}
              title={() => '片区成员社区承担份额'}
              dataSource={c.ledger.shares}
              columns={[
                { title: '社区', dataIndex: 'communityName' },
                { title: '承担金额', dataIndex: 'amountFen', align: 'right', render: (v: number) => formatFen(v) },
                { title: '已拨付', dataIndex: 'paidFen', align: 'right', render: (v: number) => formatFen(v) },
                { title: '尚占用', dataIndex: 'outstandingFen', align: 'right', render: (v: number) => formatFen(v) },
              ]}
            />
          )}
        </Card>
        <Card size="small" title="分期付款">
          <Table<Instalment>
            rowKey="id"
            size="small"
            pagination={false}
            dataSource={c.instalments}
            columns={[
              { title: '期次', dataIndex: 'seq', width: 60 },
              { title: '支付条件', render: (_: unknown, i) => `${i.conditionLabel}${i.dueOn ? `（${i.dueOn}）` : ''}` },
              { title: '金额', dataIndex: 'amountFen', render: formatFen, align: 'right' },
              {
                title: '条件',
                render: (_: unknown, i) =>
                  i.conditionMet === null ? (
                    '—'
                  ) : i.conditionMet ? (
                    <Tag color="green">已满足</Tag>
                  ) : (
                    <Typography.Text type="secondary">{i.conditionNote}</Typography.Text>
                  ),
              },
              { title: '状态', dataIndex: 'status', render: statusTag },
              {
                title: '操作',
                render: (_: unknown, i) =>
                  isProvider && can('payments:request') && i.status === 'open' && c.status === 'signed' ? (
                    <ConfirmAction
                      size="small"
                      disabled={!i.conditionMet}
                      loading={request.isPending}
                      confirm={{
                        title: '确认申请拨付？',
                        action: `申请拨付合同 ${c.ref} 第 ${i.seq} 期款项，提交街道审批`,
                        amountFen: i.amountFen,
                        clause: '[N 3.3]',
                        consequence: '提交后不能撤回，由街道审批拨付；每期只能申请一次。',
                        okText: '申请拨付',
                        onOk: () => request.mutateAsync(i),
                      }}
                    >
                      申请拨付
                    </ConfirmAction>
                  ) : i.paidOn ? (
                    `${i.paidOn} 拨付`
                  ) : null,
              },
            ]}
          />
        </Card>
        <Activities contract={c} canWrite={isProvider && can('delivery:write') && c.status === 'signed'} />
        <Adjustments
          contract={c}
          canPropose={isProvider && can('delivery:write') && c.status === 'signed'}
          canDecide={can('adjustments:approve')}
        />
      </Space>
    </>
  );
}

function Activities({ contract, canWrite }: { contract: Contract; canWrite: boolean }) {
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm();
  const [files, setFiles] = useState<File[]>([]);
  const list = useQuery({ queryKey: ['activities', contract.id], queryFn: ({ signal }) => procurementApi.activities(contract.id, signal) });
  // One attempt = one key, kept while the form is unchanged: submitting again after a lost answer
  // returns the activity already recorded (ADR 0010).
  const attempt = useRef<string | null>(null);
  const add = useMutation({
    mutationFn: async (v: {
      heldOn: string;
      place: string;
      content: string;
      participants: number;
      beneficiaries: number;
      volunteers: number;
      charityResources?: string;
    }) => {
      attempt.current ??= newRequestId();
      const a = await procurementApi.addActivity(contract.id, {
        ...v,
        charityResources: v.charityResources ?? '',
        requestId: attempt.current,
      });
      for (const f of files)
        await procurementApi.upload(contract.id, { fileName: f.name, contentBase64: await fileToBase64(f), activityId: a.id });
      return a;
    },
    onSuccess: () => {
      attempt.current = null;
      void message.success('活动已登记');
      form.resetFields();
      setFiles([]);
      void qc.invalidateQueries({ queryKey: ['activities', contract.id] });
    },
    onError: (e) => {
      void message.error(errorMessage(e));
      void qc.invalidateQueries({ queryKey: ['activities', contract.id] });
    },
  });
  return (
    <Card size="small" title="活动记录">
      {canWrite && (
        <Form
          form={form}
          layout="inline"
          onFinish={(v) => add.mutate(v)}
          onValuesChange={() => (attempt.current = null)}
          style={{ marginBottom: 16, rowGap: 8 }}
          initialValues={{ participants: 0, beneficiaries: 0, volunteers: 0 }}
        >
          <Form.Item name="heldOn" label="日期" rules={[{ required: true }]}>
            <DateField />
          </Form.Item>
          <Form.Item name="place" label="地点" rules={[{ required: true }]}>
            <Input />
          </Form.Item>
          <Form.Item name="content" label="内容" rules={[{ required: true }]}>
            <Input style={{ width: 280 }} />
          </Form.Item>
          <Form.Item name="participants" label="参与人数">
            <InputNumber min={0} />
          </Form.Item>
          <Form.Item name="beneficiaries" label="受益人数">
            <InputNumber min={0} />
          </Form.Item>
          <Form.Item name="volunteers" label="志愿者">
            <InputNumber min={0} />
          </Form.Item>
          <Form.Item name="charityResources" label="链接慈善资源">
            <Input />
          </Form.Item>
          <Form.Item label="照片">
            <Upload
              accept=".jpg,.jpeg,.png,.pdf"
              multiple
              beforeUpload={(f) => {
                setFiles((x) => [...x, f]);
                return false;
              }}
              onRemove={(f) => setFiles((x) => x.filter((y) => y.name !== f.name))}
              fileList={files.map((f, i) => ({ uid: String(i), name: f.name }))}
            >
              <Button icon={<UploadOutlined />}>选择照片</Button>
            </Upload>
          </Form.Item>
          <Form.Item>
            <Button type="primary" htmlType="submit" loading={add.isPending}>
              登记活动
            </Button>
          </Form.Item>
        </Form>
      )}
      <Table<Activity>
        rowKey="id"
        size="small"
        loading={list.isPending}
        dataSource={list.data?.items ?? []}
        pagination={false}
        columns={[
          { title: '日期', dataIndex: 'heldOn', width: 110 },
          { title: '地点', dataIndex: 'place' },
          { title: '内容', dataIndex: 'content' },
          { title: '参与/受益/志愿者', render: (_: unknown, a) => `${a.participants} / ${a.beneficiaries} / ${a.volunteers}` },
          { title: '慈善资源', dataIndex: 'charityResources' },
          {
            title: '照片与文件',
            render: (_: unknown, a) => (
              <Space>
                {a.attachments.map((f) =>
                  f.mediaType.startsWith('image/') ? (
                    <Image key={f.id} width={48} src={f.url} alt={f.fileName} />
                  ) : (
                    <a key={f.id} href={f.url}>
                      {f.fileName}
                    </a>
                  ),
                )}
              </Space>
            ),
          },
        ]}
      />
    </Card>
  );
}

function Adjustments({ contract, canPropose, canDecide }: { contract: Contract; canPropose: boolean; canDecide: boolean }) {
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm();
  const list = useQuery({
    queryKey: ['adjustments', contract.id],
    queryFn: ({ signal }) => procurementApi.adjustments(contract.id, signal),
  });
  const done = () => void qc.invalidateQueries({ queryKey: ['adjustments', contract.id] });
  const propose = useMutation({
    mutationFn: (v: { change: string; reason: string }) => procurementApi.proposeAdjustment(contract.id, v),
    onSuccess: () => {
      form.resetFields();
      done();
    },
    onError: (e) => void message.error(errorMessage(e)),
  });
  const decide = useMutation({
    mutationFn: ({ id, approve }: { id: number; approve: boolean }) => procurementApi.decideAdjustment(id, approve),
    onSuccess: done,
    onError: (e) => void message.error(errorMessage(e)),
  });
  return (
    <Card size="small" title="方案调整（须社区同意）">
      {canPropose && (
        <Form form={form} layout="inline" onFinish={(v) => propose.mutate(v)} style={{ marginBottom: 16 }}>
          <Form.Item name="change" label="调整内容" rules={[{ required: true }]}>
            <Input style={{ width: 260 }} />
          </Form.Item>
          <Form.Item name="reason" label="理由" rules={[{ required: true }]}>
            <Input style={{ width: 260 }} />
          </Form.Item>
          <Form.Item>
            <Button htmlType="submit" loading={propose.isPending}>
              提出调整
            </Button>
          </Form.Item>
        </Form>
      )}
      <Table<Adjustment>
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={list.data?.items ?? []}
        columns={[
          { title: '提出日期', dataIndex: 'proposedOn', width: 110 },
          { title: '调整内容', dataIndex: 'change' },
          { title: '理由', dataIndex: 'reason' },
          { title: '状态', dataIndex: 'status', render: statusTag },
          {
            title: '操作',
            render: (_: unknown, a) =>
              canDecide && a.status === 'proposed' ? (
                <Space>
                  <ConfirmAction
                    size="small"
                    type="primary"
                    confirm={{
                      title: '确认同意该调整？',
                      action: `同意合同调整：${a.change}`,
                      clause: '[N 3.1.3(2)]',
                      consequence: '此操作不可撤销：同意后调整生效并记入合同。',
                      okText: '同意',
                      onOk: () => decide.mutateAsync({ id: a.id, approve: true }),
                    }}
                  >
                    同意
                  </ConfirmAction>
                  <Popconfirm title="不同意该调整？" onConfirm={() => decide.mutate({ id: a.id, approve: false })}>
                    <Button size="small">不同意</Button>
                  </Popconfirm>
                </Space>
              ) : null,
          },
        ]}
      />
    </Card>
  );
}

function ProcurementCard({ id }: { id: number }) {
  const p = useQuery({ queryKey: ['procurement', id], queryFn: ({ signal }) => procurementApi.procurement(id, signal) });
  if (!p.data) return null;
  return (
    <Card size="small" title="采购记录">
      <Descriptions size="small" column={2}>
        <Descriptions.Item label="采购方式">{p.data.methodLabel}</Descriptions.Item>
        <Descriptions.Item label="决定日期">{p.data.decidedOn}</Descriptions.Item>
        <Descriptions.Item label="候选承接主体" span={2}>
          {p.data.candidates.map((x) => `${x.name}${x.quoteFen !== null ? `（报价 ${formatFen(x.quoteFen)}）` : ''}`).join('；')}
        </Descriptions.Item>
        <Descriptions.Item label="选定理由" span={2}>
          {p.data.selectionReason}
        </Descriptions.Item>
        {p.data.documents.length > 0 && (
          <Descriptions.Item label="采购文件" span={2}>
            {p.data.documents.map((d) => d.name).join('、')}
          </Descriptions.Item>
        )}
      </Descriptions>
    </Card>
  );
}
