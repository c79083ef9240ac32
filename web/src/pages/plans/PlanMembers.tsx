import { Table, Tag, Typography } from 'antd';
import { DECISION_STATUS_LABELS } from '../../api/labels';
import { formatFen } from '../../utils/money';
import type { Plan } from './api';

type Member = Plan['communities'][number];

const permille = (v: number | null) => (v === null ? '未征集' : `${(v / 10).toFixed(1)}%`);

/**
 * [N 2.3] The members of a plan: star level, allocation (the ceiling is their sum), the part of
 * the budget each carries (shares), and each member's own procedure — needs coverage against the
 * policy's threshold and its council decision — with what it still misses before submission.
 */
export function PlanMembers({ plan }: { plan: Plan }) {
  return (
    <Table<Member>
      size="small"
      rowKey="code"
      pagination={false}
      dataSource={plan.communities}
      columns={[
        { title: '社区', dataIndex: 'name', render: (name: string, c) => `${name}${c.stars ? `（${c.stars}★）` : '（未评星）'}` },
        { title: '下达资金', dataIndex: 'allocationFen', align: 'right', render: (v: number) => formatFen(v) },
        {
          title: '承担预算',
          dataIndex: 'budgetShareFen',
          align: 'right',
          render: (v: number, c) => <Typography.Text type={v > c.allocationFen ? 'danger' : undefined}>{formatFen(v)}</Typography.Text>,
        },
        {
          title: '需求征集覆盖率',
          key: 'coverage',
          render: (_: unknown, c) => (
            <Tag color={c.coverageMeets ? 'success' : 'error'}>
              {permille(c.coveragePermille)} / 要求 {permille(c.thresholdPermille)}
            </Tag>
          ),
        },
        {
          title: '议事会决策',
          dataIndex: 'decisionStatus',
          render: (s: string | null, c) => (
            <Tag color={c.decisionMeets ? 'success' : 'warning'}>
              {s ? (DECISION_STATUS_LABELS[s as keyof typeof DECISION_STATUS_LABELS] ?? s) : '尚未决策'}
            </Tag>
          ),
        },
        {
          title: '提交前尚缺',
          dataIndex: 'missing',
          render: (missing: Member['missing']) =>
            missing.length ? missing.map((m) => <Tag key={m}>{m === 'needs' ? '需求征集达标' : '议事会决策并公示期满'}</Tag>) : '—',
        },
      ]}
    />
  );
}
