import { Button, InputNumber, Select, Space, Table, Tag, Typography } from 'antd';
import { fenToYuanString, formatFen, yuanInputToFen } from '../../utils/money';
import type { Plan, PlanProject } from './api';

type Share = NonNullable<PlanProject['shares']>[number];
type Member = Plan['communities'][number];

/** [N 2.3] The shares a project carries as the plan will store them: one served member carries the whole budget. */
export const sharesOfProject = (p: PlanProject): Share[] =>
  p.communityCodes.length === 1 ? [{ communityCode: p.communityCodes[0]!, shareFen: p.budgetFen }] : (p.shares ?? []);

/**
 * [N 2.3] (ADR 0014) The budget split evenly in fen: every member gets the quotient, and the fen left
 * over go one each to the smallest community codes (largest remainder; all remainders tie).
 */
export function evenShares(budgetFen: number, codes: string[]): Share[] {
  const sorted = [...codes].sort((a, b) => a.localeCompare(b));
  if (sorted.length === 0) return [];
  const base = Math.floor(budgetFen / sorted.length);
  const rest = budgetFen - base * sorted.length;
  return sorted.map((communityCode, i) => ({ communityCode, shareFen: base + (i < rest ? 1 : 0) }));
}

/** What is wrong with one project's served members and shares, in Chinese (empty when they hold). */
export function projectShareProblems(p: PlanProject): string[] {
  if (p.communityCodes.length === 0) return ['请选择服务社区'];
  const sum = sharesOfProject(p).reduce((s, x) => s + x.shareFen, 0);
  return sum === p.budgetFen
    ? []
    : [
        `各社区份额合计 ${formatFen(sum)}，应等于项目预算 ${formatFen(p.budgetFen)}（${sum > p.budgetFen ? '多出' : '还差'} ${formatFen(Math.abs(sum - p.budgetFen))}）`,
      ];
}

/** Each member's total of shares over the projects, as the editor holds them. */
export function memberTotals(projects: PlanProject[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const p of projects) for (const s of sharesOfProject(p)) out.set(s.communityCode, (out.get(s.communityCode) ?? 0) + s.shareFen);
  return out;
}

/** The members' names by code (the code itself for a stranger). */
const namer = (plan: Plan) => (code: string) => plan.communities.find((c) => c.code === code)?.name ?? code;

/** One project's shares: an InputNumber in yuan per served member (text when read only), and the check. */
function ProjectShares({
  project: p,
  index: i,
  editable,
  nameOf,
  onShare,
}: {
  project: PlanProject;
  index: number;
  editable: boolean;
  nameOf: (code: string) => string;
  onShare: (code: string, shareFen: number) => void;
}) {
  const problems = projectShareProblems(p);
  return (
    <Space orientation="vertical" size={4}>
      {sharesOfProject(p).map((s) => (
        <Space key={s.communityCode} size={4}>
          <span style={{ display: 'inline-block', minWidth: 90 }}>{nameOf(s.communityCode)}</span>
          {editable && p.communityCodes.length > 1 ? (
            <InputNumber<string>
              stringMode
              aria-label={`${nameOf(s.communityCode)}份额${i + 1}`}
              min="0"
              precision={2}
              value={fenToYuanString(s.shareFen)}
              onChange={(y) => onShare(s.communityCode, yuanInputToFen(y))}
            />
          ) : (
            formatFen(s.shareFen)
          )}
        </Space>
      ))}
      {problems.length ? (
        problems.map((m) => (
          <Typography.Text key={m} type="danger" data-testid={`share-problem-${i + 1}`}>
            {m}
          </Typography.Text>
        ))
      ) : (
        <Tag color="success">份额合计等于预算</Tag>
      )}
    </Space>
  );
}

/** Each member's allocation, the sum of its shares over the projects being edited, and what remains (red when over). */
function MemberTotals({ plan, projects }: { plan: Plan; projects: PlanProject[] }) {
  const totals = memberTotals(projects);
  return (
    <Table<Member>
      size="small"
      rowKey="code"
      pagination={false}
      title={() => '各成员社区：下达资金与承担份额'}
      dataSource={plan.communities}
      columns={[
        { title: '社区', dataIndex: 'name' },
        { title: '下达资金', dataIndex: 'allocationFen', align: 'right', render: (v: number) => formatFen(v) },
        { title: '承担份额合计', key: 'sum', align: 'right', render: (_: unknown, c) => formatFen(totals.get(c.code) ?? 0) },
        {
          title: '剩余',
          key: 'rest',
          align: 'right',
          render: (_: unknown, c) => {
            const rest = c.allocationFen - (totals.get(c.code) ?? 0);
            return rest < 0 ? (
              <Typography.Text type="danger" data-testid={`over-${c.code}`}>
                超出下达资金 {formatFen(-rest)}
              </Typography.Text>
            ) : (
              formatFen(rest)
            );
          },
        },
      ]}
    />
  );
}

/** The patch choosing a project's served members: kept members keep their shares, new ones start at 0, one member carries the budget. */
function servedPatch(p: PlanProject, codes: string[]): Partial<PlanProject> {
  if (codes.length === 1) return { communityCodes: codes, shares: [{ communityCode: codes[0]!, shareFen: p.budgetFen }] };
  const kept = sharesOfProject(p);
  const shares = [...codes]
    .sort((a, b) => a.localeCompare(b))
    .map((communityCode) => ({ communityCode, shareFen: kept.find((s) => s.communityCode === communityCode)?.shareFen ?? 0 }));
  return { communityCodes: codes, shares };
}

/**
 * [N 2.3] The area plan's share editor: per project the member communities it serves (服务社区) and each
 * one's share of its budget in yuan (kept as integer fen), a 均分 button, and a live check that the
 * shares sum to the budget and that no member's shares exceed its allocation. Changes go back through
 * `onChange` into the plan editor, which saves them with the projects (PUT /api/plans/{id}).
 */
export function AreaSharesEditor({
  plan,
  projects,
  editable,
  onChange,
}: {
  plan: Plan;
  projects: PlanProject[];
  editable: boolean;
  onChange: (index: number, patch: Partial<PlanProject>) => void;
}) {
  const nameOf = namer(plan);
  const memberOptions = plan.communities.map((c) => ({ value: c.code, label: c.name }));
  const setShare = (i: number, p: PlanProject, code: string, shareFen: number) =>
    onChange(i, { shares: sharesOfProject(p).map((s) => (s.communityCode === code ? { ...s, shareFen } : s)) });
  const served = (p: PlanProject, i: number) =>
    editable ? (
      <Select
        mode="multiple"
        aria-label={`服务社区${i + 1}`}
        style={{ minWidth: 240 }}
        placeholder="选择服务的成员社区"
        value={p.communityCodes}
        options={memberOptions}
        onChange={(codes: string[]) => onChange(i, servedPatch(p, codes))}
      />
    ) : (
      p.communityCodes.map(nameOf).join('、') || '—'
    );
  const even = (p: PlanProject, i: number) => (
    <Button
      size="small"
      aria-label={`均分${i + 1}`}
      disabled={p.communityCodes.length < 2}
      onClick={() => onChange(i, { shares: evenShares(p.budgetFen, p.communityCodes) })}
    >
      均分
    </Button>
  );
  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="area-shares">
      <Table<PlanProject>
        size="small"
        rowKey={(_, i) => String(i)}
        pagination={false}
        dataSource={projects}
        columns={[
          { title: '项目', dataIndex: 'title', render: (v: string) => v || '（未命名）' },
          { title: '预算', dataIndex: 'budgetFen', align: 'right', render: (v: number) => formatFen(v) },
          { title: '服务社区', key: 'codes', render: (_: unknown, p, i) => served(p, i) },
          {
            title: '各社区份额（元）',
            key: 'shares',
            render: (_: unknown, p, i) => (
              <ProjectShares project={p} index={i} editable={editable} nameOf={nameOf} onShare={(code, fen) => setShare(i, p, code, fen)} />
            ),
          },
          ...(editable ? [{ title: '', key: 'even', width: 70, render: (_: unknown, p: PlanProject, i: number) => even(p, i) }] : []),
        ]}
      />
      <MemberTotals plan={plan} projects={projects} />
    </Space>
  );
}
