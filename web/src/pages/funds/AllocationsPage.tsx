import { useEffect, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import { Alert, Card, Col, Row, Space, Statistic, Table, Typography } from 'antd';
import { CheckCircleOutlined } from '@ant-design/icons';
import { useSession } from '../../auth/session';
import { ErrorAlert, ErrorView } from '../../components/ErrorView';
import { PageLoading } from '../../components/PageLoading';
import { PageTitle } from '../../components/PageTitle';
import { StatusTag } from '../../components/StatusTag';
import { YearSelect } from '../../components/YearSelect';
import { starsText } from '../../utils/format';
import { formatFen } from '../../utils/money';
import { fundsApi, type AllocationReview } from './api';
import { ConfirmAction } from '../../components/ConfirmAction';

const POSTING_COLORS: Record<string, string> = { posted: 'success' };

/** 资金下达: the appropriation of a fund year from last year's ratings; city finance confirms it. */
export default function AllocationsPage() {
  const { can } = useSession();
  const years = useQuery({ queryKey: ['policy', 'years'], queryFn: ({ signal }) => fundsApi.policyYears(signal) });
  const fundYears = (years.data?.items.map((i) => i.year) ?? []).sort((a, b) => b - a);
  const [year, setYear] = useState<number>();
  // An explicit ?year= (e.g. from the year-opening checklist) wins.
  const requested = Number(useSearchParams()[0].get('year'));
  useEffect(() => {
    if (year === undefined && fundYears.length) setYear(fundYears.includes(requested) ? requested : fundYears[fundYears.length - 1]);
  }, [fundYears, year, requested]);
  const review = useQuery({
    queryKey: ['allocations', year],
    queryFn: ({ signal }) => fundsApi.allocations(year!, signal),
    enabled: year !== undefined,
  });
  const queryClient = useQueryClient();
  const confirm = useMutation({
    mutationFn: (r: AllocationReview) => fundsApi.confirm(r.fundYear, r.totalFen),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['allocations', year] });
      void queryClient.invalidateQueries({ queryKey: ['funds'] });
    },
  });
  const r = review.data;

  return (
    <>
      <PageTitle
        title="资金下达"
        extra={
          <YearSelect
            value={year}
            years={fundYears}
            onChange={(y) => {
              confirm.reset();
              setYear(y);
            }}
            loading={years.isPending}
          />
        }
      >
        <Typography.Text type="secondary">
          按上一年度星级与本年度政策计算各社区奖补资金，市财政局审核确认后记入资金台账 [N 1]
        </Typography.Text>
      </PageTitle>
      {review.isPending && year !== undefined && <PageLoading />}
      {review.isError && <ErrorView error={review.error} onRetry={() => void review.refetch()} />}
      {r && (
        <Space orientation="vertical" size={16} style={{ width: '100%' }}>
          <Row gutter={16}>
            <Col xs={12} md={6}>
              <Card size="small">
                <Statistic title="年度预算（名额×标准）" value={formatFen(r.budgetFen)} />
              </Card>
            </Col>
            <Col xs={12} md={6}>
              <Card size="small">
                <Statistic title={`下达合计（${r.count} 个社区）`} value={formatFen(r.totalFen)} />
              </Card>
            </Col>
            <Col xs={12} md={6}>
              <Card size="small">
                <Statistic title="已记入台账" value={formatFen(r.postedFen)} />
              </Card>
            </Col>
            <Col xs={12} md={6}>
              <Card size="small">
                <Statistic
                  title="状态"
                  value={r.confirmed ? '已确认下达' : r.postedCount > 0 ? '部分下达' : '待确认'}
                  valueStyle={{ color: r.confirmed ? '#389e0d' : '#d48806' }}
                />
              </Card>
            </Col>
          </Row>
          {confirm.isError && <ErrorAlert error={confirm.error} title="确认失败" />}
          {confirm.data && (
            <Alert
              type="success"
              showIcon
              title={`已确认下达 ${formatFen(confirm.data.totalFen)}：新记入 ${confirm.data.created} 笔，已存在 ${confirm.data.existing} 笔（重复确认不会重复下达）`}
            />
          )}
          {can('allocations:confirm') && (
            <ConfirmAction
              type="primary"
              icon={<CheckCircleOutlined />}
              loading={confirm.isPending}
              disabled={r.count === 0}
              confirm={{
                title: `确认下达 ${r.fundYear} 年度专项资金？`,
                action: `按 ${r.ratingYear} 年度星级评定向 ${r.count} 个社区下达专项资金`,
                amountFen: r.totalFen,
                clause: '[N 1]',
                consequence: '此操作不可撤销：确认后按社区记入资金台账（重复确认不会重复下达）。',
                okText: '确认下达',
                onOk: () => confirm.mutateAsync(r),
              }}
            >
              {r.confirmed ? '再次确认（不会重复下达）' : '确认下达'}
            </ConfirmAction>
          )}
          <Card size="small" title={`按星级（${r.ratingYear} 年度评定）`}>
            <Table
              rowKey="stars"
              size="small"
              pagination={false}
              dataSource={r.levels}
              columns={[
                { title: '星级', dataIndex: 'stars', render: (s: number) => starsText(s) },
                { title: '名额', dataIndex: 'quota' },
                { title: '社区数', dataIndex: 'count' },
                { title: '标准', dataIndex: 'amountFen', render: (v: number) => formatFen(v) },
                { title: '小计', dataIndex: 'totalFen', render: (v: number) => formatFen(v) },
              ]}
              summary={() => (
                <Table.Summary.Row>
                  <Table.Summary.Cell index={0}>合计</Table.Summary.Cell>
                  <Table.Summary.Cell index={1}>{r.levels.reduce((s, l) => s + l.quota, 0)}</Table.Summary.Cell>
                  <Table.Summary.Cell index={2}>{r.count}</Table.Summary.Cell>
                  <Table.Summary.Cell index={3} />
                  <Table.Summary.Cell index={4}>
                    <strong>{formatFen(r.totalFen)}</strong>
                  </Table.Summary.Cell>
                </Table.Summary.Row>
              )}
            />
          </Card>
          <Card size="small" title="按区县">
            <Table
              rowKey="districtCode"
              size="small"
              pagination={false}
              dataSource={r.districts}
              columns={[
                { title: '区县', dataIndex: 'districtName' },
                ...r.levels.map((l, i) => ({
                  title: `${l.stars}星`,
                  key: `s${l.stars}`,
                  render: (_: unknown, d: AllocationReview['districts'][number]) =>
                    `${d.byStars[i]?.count ?? 0} 个 / ${formatFen(d.byStars[i]?.totalFen ?? 0)}`,
                })),
                { title: '社区数', dataIndex: 'count' },
                { title: '合计', dataIndex: 'totalFen', render: (v: number) => formatFen(v) },
              ]}
            />
          </Card>
          <Card size="small" title="社区明细">
            <Table
              rowKey="communityCode"
              size="small"
              dataSource={r.items}
              pagination={{ pageSize: 20, showSizeChanger: false }}
              columns={[
                { title: '社区代码', dataIndex: 'communityCode', width: 140 },
                { title: '社区', dataIndex: 'communityName' },
                { title: '街道（乡镇）', dataIndex: 'streetName' },
                { title: '区县', dataIndex: 'districtName' },
                { title: '星级', dataIndex: 'stars', render: (s: number) => starsText(s) },
                { title: '金额', dataIndex: 'amountFen', render: (v: number) => formatFen(v) },
                {
                  title: '状态',
                  dataIndex: 'posted',
                  render: (p: boolean) => (
                    <StatusTag status={p ? 'posted' : 'pending'} label={p ? '已下达' : '待确认'} colors={POSTING_COLORS} />
                  ),
                },
              ]}
            />
          </Card>
        </Space>
      )}
    </>
  );
}
