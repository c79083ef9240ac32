import { Link, useParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Breadcrumb, Button, Card, Popconfirm, Space, Steps, Tag, Typography } from 'antd';
import { yearsApi } from '../../api/endpoints';
import { OPENING_STATE_LABELS, labelOf } from '../../api/labels';
import type { ApiResponse, Item } from '../../api/paths';
import { useSession } from '../../auth/session';
import { ErrorAlert, ErrorView } from '../../components/ErrorView';
import { PageLoading } from '../../components/PageLoading';
import { PageTitle } from '../../components/PageTitle';

type Opening = ApiResponse<'/api/years/{year}/opening', 'get'>;
type OpeningItem = Item<Opening['items']>;

const STATE_COLOR: Record<string, string> = { done: 'success', todo: 'processing', blocked: 'warning' };
const STEP_STATUS = { done: 'finish', todo: 'process', blocked: 'wait' } as const;

/** 开启新年度 (ADR 0015): the city's checklist for opening fund year Y, each item with its state, reason, page and action. */
export default function YearOpeningPage() {
  const year = Number(useParams().year);
  const query = useQuery({ queryKey: ['years', year, 'opening'], queryFn: ({ signal }) => yearsApi.opening(year, signal) });
  if (query.isPending) return <PageLoading />;
  if (query.isError) return <ErrorView error={query.error} what="年度检查清单" onRetry={() => void query.refetch()} />;
  const view = query.data;
  return (
    <>
      <Breadcrumb style={{ marginBottom: 8 }} items={[{ title: <Link to="/policy">年度政策</Link> }, { title: `开启 ${year} 年度` }]} />
      <PageTitle title={`开启 ${year} 年度`}>
        <Typography.Text type="secondary">
          按顺序完成：制定政策 → 导入 {view.previousYear} 年度星级（不超名额）→ 市财政局确认下达 → 登记不得承接的承接主体 → 录入节假日安排。
          {view.openingFrom && ` 自 ${view.openingFrom} 起列入市民政局待办。`}
          {view.previousYear} 年度的记录保持可查，已下达年度的奖补标准与名额不能再修改。
        </Typography.Text>
      </PageTitle>
      {view.complete && <Alert type="success" showIcon title={`${year} 年度已全部准备就绪`} style={{ marginBottom: 16 }} />}
      <Card size="small">
        <Steps
          orientation="vertical"
          items={view.items.map((item) => ({
            title: (
              <Space>
                {item.title}
                <Tag color={STATE_COLOR[item.state]}>{labelOf(OPENING_STATE_LABELS, item.state)}</Tag>
                <Typography.Text type="secondary">{item.clause}</Typography.Text>
              </Space>
            ),
            status: STEP_STATUS[item.state],
            description: <ItemDetail year={year} item={item} />,
          }))}
        />
      </Card>
    </>
  );
}

function ItemDetail({ year, item }: { year: number; item: OpeningItem }) {
  const { can } = useSession();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const act = useMutation({
    mutationFn: async () => {
      if (item.key === 'policy') await yearsApi.copyPolicy(year);
      else await yearsApi.carryForward(year);
    },
    onSuccess: () => {
      void message.success(item.key === 'policy' ? `已创建 ${year} 年度政策` : '已登记');
      void queryClient.invalidateQueries({ queryKey: ['years', year] });
      void queryClient.invalidateQueries({ queryKey: ['policy'] });
    },
  });
  const action = item.action;
  return (
    <Space orientation="vertical" size={4} style={{ paddingBottom: 12 }}>
      <Typography.Text type={item.state === 'blocked' ? 'warning' : undefined}>{item.reason}</Typography.Text>
      <Space wrap>
        {action && can(action.permission as Parameters<typeof can>[0]) && (
          <Popconfirm
            title={action.label}
            description={<div style={{ maxWidth: 360 }}>{action.consequence}</div>}
            okText="确认"
            cancelText="取消"
            onConfirm={() => act.mutate()}
          >
            <Button type="primary" size="small" loading={act.isPending}>
              {action.label}
            </Button>
          </Popconfirm>
        )}
        <Link to={item.link}>前往办理</Link>
      </Space>
      {act.isError && <ErrorAlert error={act.error} title="未能完成" />}
    </Space>
  );
}
