import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Card,
  Descriptions,
  Input,
  InputNumber,
  Modal,
  Result,
  Select,
  Space,
  Spin,
  Table,
  Tabs,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import { errorMessage, isApiError } from '../../api/client';
import { regionsApi } from '../../api/endpoints';
import { useSession } from '../../auth/session';
import { ProvisionalTag } from '../../components/ProvisionalTag';
import { StatusTag } from '../../components/StatusTag';
import { PlanMembers } from './PlanMembers';
import { AreaSharesEditor, projectShareProblems } from './AreaSharesEditor';
import { BlockedTooltip, CompliancePanel, DECIDED_PICKER_ANCHOR, PROJECTS_ANCHOR, submitBlockedReason } from './PlanCompliance';
import { ConfirmAction } from '../../components/ConfirmAction';
import { useYearChoice } from '../../utils/clock';
import { fenToYuanString, formatFen, yuanInputToFen } from '../../utils/money';
import { FILING_LEVEL_LABELS, labelOf, PLAN_KIND_LABELS, REVIEW_OUTCOME_LABELS, REVIEW_STAGE_LABELS } from '../../api/labels';
import {
  plansApi,
  PROCEDURE_TYPES,
  projectBody,
  PROVIDER_KINDS,
  RULE_OPTIONS,
  STATUS_COLORS,
  type Plan,
  type PlanProject,
  type ReturnRule,
  type PlanSummary,
} from './api';
import { PageBreadcrumb } from '../../components/PageBreadcrumb';
import { useListFilter } from '../../components/ListFilter';

const statusTag = (p: Pick<PlanSummary, 'status' | 'statusLabel'>) => (
  <StatusTag status={p.status} label={p.statusLabel} colors={STATUS_COLORS} />
);

/** Countdown of the street review [N 3.1.2(2)]: working days left, overdue in red; 暂定 when computed through a provisional year. */
export function Countdown({
  dueOn,
  workdaysLeft,
  overdue,
  provisional = false,
}: {
  dueOn: string | null;
  workdaysLeft: number | null;
  overdue: boolean;
  provisional?: boolean;
}) {
  if (!dueOn) return <>—</>;
  const tag = provisional && <ProvisionalTag />;
  if (overdue)
    return (
      <>
        <Typography.Text type="danger" data-testid="countdown">
          {dueOn} 已逾期{workdaysLeft !== null ? ` ${-workdaysLeft} 个工作日` : ''}
        </Typography.Text>
        {tag}
      </>
    );
  return (
    <>
      <span data-testid="countdown">
        {dueOn}（剩 {workdaysLeft ?? '?'} 个工作日）
      </span>
      {tag}
    </>
  );
}

/** Usage plans [N 2]: the list in scope (by stage for reviewers and bureaus), and one plan's editor and review. */
export default function PlansPage() {
  const id = Number(useParams().id) || null;
  return id ? <PlanDetail id={id} /> : <PlanList />;
}

const NO_PLANS: PlanSummary[] = [];
const planText = (p: PlanSummary) => [p.title, ...p.communityNames];
const planStatus = (p: PlanSummary) => p.status;

function PlanList() {
  const { user, can } = useSession();
  const navigate = useNavigate();
  const defaultTab = can('plans:review') ? 'review' : can('plans:file') ? 'filing' : 'all';
  const [tab, setTab] = useState<'review' | 'filing' | 'all'>(defaultTab);
  const list = useQuery({
    queryKey: ['plans', tab],
    queryFn: ({ signal }) => plansApi.list({ stage: tab === 'all' ? undefined : tab }, signal),
  });
  const items = list.data?.items ?? NO_PLANS;
  const filter = useListFilter(items, {
    text: planText,
    status: planStatus,
    statusLabel: (s) => items.find((p) => p.status === s)?.statusLabel ?? s,
  });
  return (
    <Card title="使用方案、初审与备案">
      {can('plans:write') && <CreatePlan onCreated={(id) => navigate(`/plans/${id}`)} />}
      <Tabs
        activeKey={tab}
        onChange={(key) => setTab(key as typeof tab)}
        items={[
          ...(can('plans:review') ? [{ key: 'review', label: '待街道初审' }] : []),
          ...(can('plans:file') ? [{ key: 'filing', label: '备案' }] : []),
          { key: 'all', label: '全部方案' },
        ]}
      />
      {filter.bar}
      <Table
        rowKey="id"
        loading={list.isLoading}
        dataSource={filter.rows}
        columns={[
          { title: '方案', dataIndex: 'title', render: (v: string, r) => <Link to={`/plans/${r.id}`}>{v}</Link> },
          { title: '社区', render: (_, r) => r.communityNames.join('、') },
          { title: '类型', dataIndex: 'kind', render: (k: string) => labelOf(PLAN_KIND_LABELS, k) },
          { title: '预算', dataIndex: 'budgetFen', align: 'right', render: formatFen },
          { title: '状态', render: (_, r) => statusTag(r) },
          {
            title: '初审期限',
            render: (_, r) =>
              r.status === 'submitted' ? (
                <Countdown dueOn={r.reviewDueOn} workdaysLeft={r.workdaysLeft} overdue={r.overdue} provisional={r.reviewDueProvisional} />
              ) : (
                '—'
              ),
          },
          {
            title: '备案',
            dataIndex: 'filingLevel',
            render: (l: string | null) => (l === 'city' || l === 'district' ? FILING_LEVEL_LABELS[l] : '—'),
          },
        ]}
      />
      <Typography.Text type="secondary">{user.scope?.name}</Typography.Text>
    </Card>
  );
}

function CreatePlan({ onCreated }: { onCreated: (id: number) => void }) {
  const { user } = useSession();
  const [fundYear, setFundYear] = useYearChoice();
  const [codes, setCodes] = useState<string[]>([]);
  const street = user.role === 'street_office';
  const communities = useQuery({
    queryKey: ['plan-communities', user.scope?.code],
    enabled: street && !!user.scope,
    queryFn: ({ signal }) => regionsApi.communities(user.scope!.code, { limit: 500 }, signal),
  });
  const create = useMutation({
    mutationFn: () => plansApi.create({ fundYear: fundYear!, communityCodes: street ? codes : [user.scope!.code] }),
    onSuccess: (p) => onCreated(p.id),
  });
  return (
    <Space style={{ marginBottom: 12 }} wrap>
      <InputNumber aria-label="年度" min={2000} max={2100} value={fundYear} onChange={(v) => v && setFundYear(v)} />
      {street && (
        <Select
          mode="multiple"
          style={{ minWidth: 320 }}
          placeholder="片区包含的社区（至少两个）"
          value={codes}
          onChange={setCodes}
          options={(communities.data?.items ?? []).map((c) => ({ value: c.code, label: c.name }))}
        />
      )}
      <Button
        type="primary"
        loading={create.isPending}
        disabled={fundYear === undefined || (street && codes.length < 2)}
        onClick={() => create.mutate()}
      >
        {street ? '编制片区方案' : '根据决策清单编制使用方案'}
      </Button>
      {create.isError && <Typography.Text type="danger">{errorMessage(create.error)}</Typography.Text>}
    </Space>
  );
}

export { CompliancePanel };

function PlanDetail({ id }: { id: number }) {
  const { user, can } = useSession();
  const client = useQueryClient();
  const query = useQuery({ queryKey: ['plan', id], queryFn: ({ signal }) => plansApi.get(id, signal) });
  const [projects, setProjects] = useState<PlanProject[]>([]);
  const [dirty, setDirty] = useState(false);
  const [decision, setDecision] = useState<null | 'return' | 'file-return'>(null);
  useEffect(() => {
    if (query.data) {
      setProjects(query.data.projects.map(projectBody));
      setDirty(false);
    }
  }, [query.data]);
  const done = (p: Plan) => {
    client.setQueryData(['plan', id], p);
    void client.invalidateQueries({ queryKey: ['plans'] });
    void client.invalidateQueries({ queryKey: ['todo'] });
    void client.invalidateQueries({ queryKey: ['messages'] });
  };
  const save = useMutation({ mutationFn: () => plansApi.update(id, { projects }), onSuccess: done });
  const submit = useMutation({ mutationFn: () => plansApi.submit(id), onSuccess: done });
  const approve = useMutation({ mutationFn: () => plansApi.review(id, { outcome: 'approve' }), onSuccess: done });
  const file = useMutation({ mutationFn: () => plansApi.file(id, { outcome: 'file' }), onSuccess: done });

  if (query.isLoading) return <Spin />;
  if (query.isError || !query.data) return <Result status="404" title="使用方案不存在" subTitle={errorMessage(query.error)} />;
  const p = query.data;
  const editable =
    can('plans:write') &&
    (p.status === 'draft' || p.status === 'returned') &&
    (p.kind === 'community' ? user.role === 'community' : user.role === 'street_office');
  const reviewable = can('plans:review') && p.status === 'submitted';
  const fileable =
    can('plans:file') &&
    p.status === 'approved' &&
    ((user.role === 'city_bureau' && p.filingLevel === 'city') || (user.role === 'district_bureau' && p.filingLevel === 'district'));
  const change = (i: number, patch: Partial<PlanProject>) => {
    setProjects((list) => list.map((x, k) => (k === i ? { ...x, ...patch } : x)));
    setDirty(true);
  };
  const unused = p.decidedProjects.filter((d) => !projects.some((x) => x.decisionProjectId === d.decisionProjectId));
  const submitError = submit.error && isApiError(submit.error) ? submit.error : null;
  // [N 2.3] The server refuses shares that do not sum to the budget: say so before saving.
  const sharesInvalid = p.kind === 'area' && projects.some((x) => projectShareProblems(x).length > 0);
  // [N 3.1.2(2)] Submit only a saved plan that passes every rule; the server checks again.
  const blocked = submitBlockedReason(p, dirty);

  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="large">
      <PageBreadcrumb current={p.title} />
      <Card
        title={
          <>
            {p.title} {statusTag(p)}
          </>
        }
        extra={<Link to="/plans">返回列表</Link>}
      >
        <Descriptions
          size="small"
          column={3}
          items={[
            { key: 'k', label: '类型', children: p.kind === 'area' ? `片区方案（${p.streetName}）` : '社区方案' },
            {
              key: 'c',
              label: '社区',
              children: p.communities.map((c) => `${c.name}${c.stars ? `（${c.stars}★）` : '（未评星）'}`).join('、'),
            },
            { key: 'y', label: '年度', children: p.fundYear },
            { key: 'a', label: '预算上限（成员下达资金之和）', children: formatFen(p.allocationFen) },
            { key: 'b', label: '预算合计', children: formatFen(p.budgetFen) },
            {
              key: 'f',
              label: '备案机关',
              // [N 2.3] Known from the first draft: the city bureau when any member is 5★, else the district.
              children: p.filingLevel ? FILING_LEVEL_LABELS[p.filingRoute] : `${p.filingRouteLabel}（按成员星级确定）`,
            },
            { key: 's', label: '提交初审', children: p.submittedOn ?? '—' },
            {
              key: 'd',
              label: '初审期限',
              children:
                p.status === 'submitted' ? (
                  <Countdown dueOn={p.reviewDueOn} workdaysLeft={p.workdaysLeft} overdue={p.overdue} provisional={p.reviewDueProvisional} />
                ) : (
                  (p.reviewDueOn ?? '—')
                ),
            },
            { key: 'r', label: '轮次', children: p.round },
          ]}
        />
        {p.status === 'returned' && (
          <Alert
            type="error"
            showIcon
            style={{ marginTop: 12 }}
            title={`已退回：${p.returnStepLabel ?? ''}`}
            description={p.returnReasons.map((r) => `${r.note} ${r.clause}`).join('；')}
          />
        )}
      </Card>

      {p.kind === 'area' && (
        <Card title="成员社区：资金与各自程序">
          <PlanMembers plan={p} />
        </Card>
      )}

      <Card
        title={<>合规检查 {p.compliance.passed ? <Tag color="success">全部通过</Tag> : <Tag color="error">有未通过项，不能提交</Tag>}</>}
      >
        <CompliancePanel
          rules={p.compliance.rules}
          plan={p}
          editable={editable}
          onAddCatalogue={(code, name, communityCode) => {
            // [N 2.1.1] A basic project needs no council decision: added from the catalogue, budget to fill in.
            setProjects((l) => [
              ...l,
              {
                decisionProjectId: null,
                title: name,
                content: '',
                catalogueCode: code,
                budgetFen: 0,
                communityCodes: [communityCode],
                providerKind: 'social_organisation',
                otherFunding: [],
                procedureType: 'small_direct',
              },
            ]);
            setDirty(true);
          }}
        />
      </Card>

      <Card
        id={PROJECTS_ANCHOR}
        title="服务项目"
        extra={
          editable && (
            <Space>
              {dirty && <Typography.Text type="warning">有未保存的修改</Typography.Text>}
              {sharesInvalid && <Typography.Text type="danger">片区项目的服务社区或份额有误，请先修改</Typography.Text>}
              <Button onClick={() => save.mutate()} loading={save.isPending} disabled={!dirty || sharesInvalid}>
                保存并检查
              </Button>
              <BlockedTooltip reason={blocked}>
                <ConfirmAction
                  type="primary"
                  loading={submit.isPending}
                  disabled={blocked !== null}
                  confirm={{
                    title: '确认提交街道初审？',
                    action: `提交“${p.title}”，由街道在 7 个工作日内初审`,
                    amountFen: p.budgetFen,
                    clause: '[N 3.1.2(2)]',
                    consequence: '提交后方案不能再修改，除非街道退回。',
                    okText: '提交',
                    onOk: () => submit.mutateAsync(),
                  }}
                >
                  提交街道初审
                </ConfirmAction>
              </BlockedTooltip>
            </Space>
          )
        }
      >
        {editable && blocked && (
          <Alert type="info" showIcon style={{ marginBottom: 12 }} data-testid="submit-reason" title={`暂不能提交：${blocked}`} />
        )}
        {save.isError && <Alert type="error" showIcon style={{ marginBottom: 12 }} title={errorMessage(save.error)} />}
        {submitError && <Alert type="error" showIcon style={{ marginBottom: 12 }} data-testid="submit-error" title={submitError.message} />}
        <Table
          size="small"
          rowKey={(_, i) => String(i)}
          pagination={false}
          dataSource={projects}
          scroll={{ x: 900 }}
          columns={[
            {
              title: '项目',
              dataIndex: 'title',
              render: (v: string, _r, i) =>
                editable ? <Input aria-label={`项目名称${i + 1}`} value={v} onChange={(e) => change(i, { title: e.target.value })} /> : v,
            },
            {
              title: '内容',
              dataIndex: 'content',
              render: (v: string, _r, i) =>
                editable ? (
                  <Input aria-label={`项目内容${i + 1}`} value={v} onChange={(e) => change(i, { content: e.target.value })} />
                ) : (
                  v || '—'
                ),
            },
            { title: '目录', dataIndex: 'catalogueCode', width: 70 },
            {
              title: '预算（元）',
              dataIndex: 'budgetFen',
              align: 'right',
              render: (v: number, _r, i) =>
                editable ? (
                  <InputNumber<string>
                    stringMode
                    aria-label={`预算${i + 1}`}
                    min="0"
                    precision={2}
                    value={fenToYuanString(v)}
                    onChange={(y) => change(i, { budgetFen: yuanInputToFen(y) })}
                  />
                ) : (
                  formatFen(v)
                ),
            },
            {
              title: '承接主体',
              dataIndex: 'providerKind',
              render: (v: string, _r, i) =>
                editable ? (
                  <Select style={{ width: 130 }} value={v} options={PROVIDER_KINDS} onChange={(k) => change(i, { providerKind: k })} />
                ) : (
                  PROVIDER_KINDS.find((k) => k.value === v)?.label
                ),
            },
            {
              title: '采购方式',
              dataIndex: 'procedureType',
              render: (v: string, _r, i) =>
                editable ? (
                  <Select style={{ width: 140 }} value={v} options={PROCEDURE_TYPES} onChange={(k) => change(i, { procedureType: k })} />
                ) : (
                  PROCEDURE_TYPES.find((k) => k.value === v)?.label
                ),
            },
            {
              title: '其他资金',
              render: (_, r) =>
                r.otherFunding.length ? r.otherFunding.map((f) => `${f.source} ${formatFen(f.amountFen)}`).join('；') : '—',
            },
            ...(editable
              ? [
                  {
                    title: '',
                    width: 60,
                    render: (_: unknown, _r: PlanProject, i: number) => (
                      <Button
                        type="link"
                        danger
                        onClick={() => {
                          setProjects((l) => l.filter((_x, k) => k !== i));
                          setDirty(true);
                        }}
                      >
                        删除
                      </Button>
                    ),
                  },
                ]
              : []),
          ]}
        />
        {editable && unused.length > 0 && (
          <Space style={{ marginTop: 12 }} id={DECIDED_PICKER_ANCHOR}>
            <Select
              style={{ minWidth: 320 }}
              placeholder="从决策通过的清单添加项目"
              value={null}
              options={unused.map((d) => ({
                value: d.decisionProjectId,
                label: `${d.title}（${d.catalogueCode}，${formatFen(d.estimatedBudgetFen)}）`,
              }))}
              onChange={(v) => {
                const d = unused.find((x) => x.decisionProjectId === v)!;
                setProjects((l) => [
                  ...l,
                  {
                    decisionProjectId: d.decisionProjectId,
                    title: d.title,
                    content: '',
                    catalogueCode: d.catalogueCode,
                    budgetFen: d.estimatedBudgetFen,
                    communityCodes: [d.communityCode],
                    providerKind: 'social_organisation',
                    otherFunding: [],
                    procedureType: 'small_direct',
                  },
                ]);
                setDirty(true);
              }}
            />
          </Space>
        )}
      </Card>

      {p.kind === 'area' && (
        <Card title="片区项目：服务社区与各社区份额 [N 2.3]">
          <AreaSharesEditor plan={p} projects={projects} editable={editable} onChange={change} />
        </Card>
      )}

      {(reviewable || fileable) && (
        <Card title={reviewable ? '街道初审 [N 3.1.2(2)]' : '备案 [N 2.3]'}>
          <Space>
            {reviewable && (
              <ConfirmAction
                type="primary"
                loading={approve.isPending}
                confirm={{
                  title: '确认初审通过？',
                  action: `初审通过“${p.title}”，报${FILING_LEVEL_LABELS[p.filingRoute]}备案`,
                  amountFen: p.budgetFen,
                  clause: '[N 3.1.2(2)]',
                  consequence: '此操作不可撤销：通过后方案进入备案，街道不能再退回。',
                  okText: '初审通过',
                  onOk: () => approve.mutateAsync(),
                }}
              >
                初审通过
              </ConfirmAction>
            )}
            {fileable && (
              <ConfirmAction
                type="primary"
                loading={file.isPending}
                confirm={{
                  title: '确认备案？',
                  action: `备案“${p.title}”，方案生效，社区可据此采购服务`,
                  amountFen: p.budgetFen,
                  clause: '[N 3.1.2(2)], [N 2.3]',
                  consequence: '此操作不可撤销：备案后方案生效，不能再退回。',
                  okText: '确认备案',
                  onOk: () => file.mutateAsync(),
                }}
              >
                确认备案
              </ConfirmAction>
            )}
            <Button danger onClick={() => setDecision(reviewable ? 'return' : 'file-return')}>
              退回
            </Button>
            {(approve.isError || file.isError) && (
              <Typography.Text type="danger">{errorMessage(approve.error ?? file.error)}</Typography.Text>
            )}
          </Space>
        </Card>
      )}

      <Card title="审查记录">
        {p.reviews.length === 0 ? (
          <Typography.Text type="secondary">暂无</Typography.Text>
        ) : (
          <Timeline
            items={p.reviews.map((r) => ({
              color: r.outcome === 'returned' ? 'red' : 'green',
              content: `${r.decidedOn} 第 ${r.round} 轮 ${labelOf(REVIEW_STAGE_LABELS, r.stage)}：${labelOf(REVIEW_OUTCOME_LABELS, r.outcome)}${r.reasons.length ? `（${r.reasons.map((x) => `${x.note}${x.clause}`).join('；')}）` : ''}${r.comment ? ` ${r.comment}` : ''}`,
            }))}
          />
        )}
      </Card>
      {decision && <ReturnModal plan={p} filing={decision === 'file-return'} onClose={() => setDecision(null)} onDone={done} />}
    </Space>
  );
}

function ReturnModal({ plan, filing, onClose, onDone }: { plan: Plan; filing: boolean; onClose: () => void; onDone: (p: Plan) => void }) {
  const failingRule = plan.compliance.rules.find((r) => !r.passed)?.rule;
  const [rule, setRule] = useState<ReturnRule>((failingRule as ReturnRule | undefined) ?? 'other');
  const [note, setNote] = useState('');
  const send = useMutation({
    mutationFn: () =>
      filing
        ? plansApi.file(plan.id, { outcome: 'return', reasons: [{ rule, note }] })
        : plansApi.review(plan.id, { outcome: 'return', reasons: [{ rule, note }] }),
    onSuccess: (p) => {
      onDone(p);
      onClose();
    },
  });
  return (
    <Modal
      open
      title="退回方案"
      onCancel={onClose}
      onOk={() => send.mutate()}
      okButtonProps={{ disabled: !note.trim(), loading: send.isPending }}
      okText="退回"
    >
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Select style={{ width: '100%' }} value={rule} onChange={setRule} options={RULE_OPTIONS} aria-label="对应规则" />
        <Input.TextArea rows={3} placeholder="退回理由" value={note} onChange={(e) => setNote(e.target.value)} />
        {send.isError && <Typography.Text type="danger">{errorMessage(send.error)}</Typography.Text>}
      </Space>
    </Modal>
  );
}
