import { Link, useSearchParams } from 'react-router';
import { Button, Empty, Tabs, Typography } from 'antd';
import { useSession } from '../../auth/session';
import { ErrorView } from '../../components/ErrorView';
import { PageLoading } from '../../components/PageLoading';
import { PageTitle } from '../../components/PageTitle';
import { YearSelect } from '../../components/YearSelect';
import { useToday } from '../../utils/clock';
import { dateTimeText } from '../../utils/format';
import { CopyPolicyButton } from './CopyPolicyButton';
import { PolicyEditor } from './PolicyEditor';
import { PolicyView } from './PolicyView';
import { usePolicy, usePolicyYears } from './queries';

export default function PolicyPage() {
  const { can } = useSession();
  const [params, setParams] = useSearchParams();
  const yearsQuery = usePolicyYears();
  const years = (yearsQuery.data?.items ?? []).map((i) => i.year).sort((a, b) => b - a);
  const requested = Number(params.get('year'));
  const year = years.includes(requested) ? requested : years[0];
  const policy = usePolicy(year);
  const today = useToday();
  // ADR 0015: the next fund year's opening checklist (policy, ratings, appropriation, eligibility, calendar).
  const nextYear = today ? Number(today.slice(0, 4)) + 1 : undefined;

  const selectYear = (y: number) => setParams({ year: String(y) }, { replace: true });

  if (yearsQuery.isPending) return <PageLoading />;
  if (yearsQuery.isError) return <ErrorView error={yearsQuery.error} onRetry={() => void yearsQuery.refetch()} />;

  return (
    <>
      <PageTitle
        title="年度政策"
        extra={
          <>
            <span>资金年度</span>
            <YearSelect value={year} years={years} onChange={selectYear} />
            {can('policy:write') && nextYear && (
              <Link to={`/years/${nextYear}`}>
                <Button>开启 {nextYear} 年度</Button>
              </Link>
            )}
            {can('policy:write') && policy.data && <CopyPolicyButton year={policy.data.year} existingYears={years} onCopied={selectYear} />}
          </>
        }
      >
        {policy.data && <Typography.Text type="secondary">最近更新：{dateTimeText(policy.data.updatedAt)}</Typography.Text>}
      </PageTitle>

      {years.length === 0 ? (
        <Empty description="暂无年度政策" />
      ) : policy.isPending ? (
        <PageLoading />
      ) : policy.isError ? (
        <ErrorView error={policy.error} what="该年度政策" onRetry={() => void policy.refetch()} />
      ) : can('policy:write') ? (
        <Tabs
          key={policy.data.year}
          items={[
            { key: 'view', label: '政策内容', children: <PolicyView document={policy.data.document} /> },
            { key: 'edit', label: '编辑', children: <PolicyEditor key={policy.data.updatedAt} policy={policy.data} /> },
          ]}
        />
      ) : (
        <PolicyView document={policy.data.document} />
      )}
    </>
  );
}
