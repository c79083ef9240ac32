import { EChart } from '../../components/EChart';
import { useEffect, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate, useParams } from 'react-router';
import { Breadcrumb, Button, Card, Segmented, Space, Table, Typography } from 'antd';
import { FileExcelOutlined } from '@ant-design/icons';
import { useSession } from '../../auth/session';
import { ErrorView } from '../../components/ErrorView';
import { QueryTable } from '../../components/QueryTable';
import { PageLoading } from '../../components/PageLoading';
import { PageTitle } from '../../components/PageTitle';
import { YearSelect } from '../../components/YearSelect';
import { dateTimeText, LEVEL_LABELS } from '../../utils/format';
import { formatFen, formatWanYuan } from '../../utils/money';
import { exportUrl, fundsApi, type ByStars, type Figures, type FundTable, type TransferItem } from './api';

type Measure = keyof Figures;
const MEASURES: { value: Measure; label: string }[] = [
  { value: 'allocated', label: '下达' },
  { value: 'committed', label: '合同占用' },
  { value: 'paid', label: '已拨付' },
  { value: 'available', label: '可用' },
];
const money = (v: number) => formatFen(v);

/** 资金台账: city → district → street → community, each drillable to its transfers. */
export default function FundsPage() {
  const { user } = useSession();
  const params = useParams<{ year: string; code: string }>();
  const navigate = useNavigate();
  const years = useQuery({ queryKey: ['policy', 'years'], queryFn: ({ signal }) => fundsApi.policyYears(signal) });
  const fundYears = (years.data?.items.map((i) => i.year) ?? []).sort((a, b) => b - a);
  const year = params.year ? Number(params.year) : undefined;
  const code = params.code ?? user.scope?.code;
  useEffect(() => {
    if (year === undefined && fundYears.length && code) void navigate(`/funds/${fundYears[0]}/${code}`, { replace: true });
  }, [year, fundYears, code, navigate]);
  if (year === undefined || !code) return <PageLoading />;

  return (
    <>
      <PageTitle
        title="资金台账"
        extra={
          <>
            <YearSelect value={year} years={fundYears} onChange={(y) => void navigate(`/funds/${y}/${code}`)} loading={years.isPending} />
            <Button icon={<FileExcelOutlined />} href={exportUrl(year, code)}>
              导出 Excel
            </Button>
          </>
        }
      >
        <Typography.Text type="secondary">下达 = 合同占用 + 已拨付 + 可用；点击下级查看明细</Typography.Text>
      </PageTitle>
      <RegionFunds key={`${year}-${code}`} year={year} code={code} />
    </>
  );
}

function RegionFunds({ year, code }: { year: number; code: string }) {
  const table = useQuery({ queryKey: ['funds', year, code], queryFn: ({ signal }) => fundsApi.table(year, code, signal) });
  const byStars = useQuery({ queryKey: ['funds', year, code, 'by-stars'], queryFn: ({ signal }) => fundsApi.byStars(year, code, signal) });
  if (table.isPending) return <PageLoading />;
  if (table.isError) return <ErrorView error={table.error} what="区域" onRetry={() => void table.refetch()} />;
  const t = table.data;
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Breadcrumb
        items={[...t.ancestors, t.region].map((r, i, all) => ({
          key: r.code,
          title: i === all.length - 1 ? r.name : <Link to={`/funds/${year}/${r.code}`}>{r.name}</Link>,
        }))}
      />
      <FiguresTable t={t} year={year} />
      {byStars.data && byStars.data.rows.length > 0 && <StarsChart data={byStars.data} />}
      <TransfersCard year={year} code={code} />
    </Space>
  );
}

function FiguresTable({ t, year }: { t: FundTable; year: number }) {
  const columns = [
    { title: '下达', dataIndex: 'allocated', render: money },
    { title: '合同占用', dataIndex: 'committed', render: money },
    { title: '已拨付', dataIndex: 'paid', render: money },
    { title: '可用', dataIndex: 'available', render: money },
  ];
  return (
    <Card size="small" title={`${t.region.name}（${LEVEL_LABELS[t.region.level] ?? t.region.level}）· ${t.total.communities} 个社区`}>
      <Table<FundTable['rows'][number]>
        rowKey="code"
        size="small"
        pagination={false}
        dataSource={t.rows}
        locale={{ emptyText: t.region.level === 'community' ? '见下方转账明细' : '暂无数据' }}
        columns={[
          { title: '名称', dataIndex: 'name', render: (name: string, r) => <Link to={`/funds/${year}/${r.code}`}>{name}</Link> },
          { title: '社区数', dataIndex: 'communities', width: 90 },
          ...columns,
        ]}
        summary={() => (
          <Table.Summary.Row>
            <Table.Summary.Cell index={0}>
              <strong>合计</strong>
            </Table.Summary.Cell>
            <Table.Summary.Cell index={1}>{t.total.communities}</Table.Summary.Cell>
            <Table.Summary.Cell index={2}>
              <strong>{money(t.total.allocated)}</strong>
            </Table.Summary.Cell>
            <Table.Summary.Cell index={3}>{money(t.total.committed)}</Table.Summary.Cell>
            <Table.Summary.Cell index={4}>{money(t.total.paid)}</Table.Summary.Cell>
            <Table.Summary.Cell index={5}>{money(t.total.available)}</Table.Summary.Cell>
          </Table.Summary.Row>
        )}
      />
    </Card>
  );
}

function StarsChart({ data }: { data: ByStars }) {
  const [measure, setMeasure] = useState<Measure>('allocated');
  const option = {
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      valueFormatter: (v: number) => formatFen(v),
    },
    legend: { top: 0 },
    grid: { left: 90, right: 20, top: 36, bottom: 60 },
    xAxis: { type: 'category', data: data.rows.map((r) => r.districtName), axisLabel: { rotate: 30 } },
    yAxis: { type: 'value', name: '元', axisLabel: { formatter: formatWanYuan } },
    // Plotted in integer fen (exact stacks); the tooltip and the axis format fen as yuan.
    series: data.levels.map((s) => ({
      name: `${s}星`,
      type: 'bar',
      stack: 'money',
      data: data.rows.map((r) => r.byStars.find((b) => b.stars === s)?.[measure] ?? 0),
    })),
  };
  return (
    <Card
      size="small"
      title={`按区县与星级（${data.ratingYear} 年度评定）`}
      extra={<Segmented<Measure> options={MEASURES} value={measure} onChange={setMeasure} />}
    >
      <EChart option={option} style={{ height: 360 }} ariaLabel="按区县和星级的资金图" />
    </Card>
  );
}

function TransfersCard({ year, code }: { year: number; code: string }) {
  const [page, setPage] = useState(1);
  const transfers = useQuery({
    queryKey: ['funds', year, code, 'transfers', page],
    queryFn: ({ signal }) => fundsApi.transfers(year, code, (page - 1) * 20, signal),
  });
  return (
    <Card size="small" title="转账明细">
      <QueryTable<TransferItem>
        query={transfers}
        retry={false}
        rowKey="id"
        size="small"
        serverPages={{ current: page, pageSize: 20, onChange: setPage, showSizeChanger: false }}
        scroll={{ x: 900 }}
        columns={[
          { title: '时间', dataIndex: 'createdAt', width: 170, render: (v: string) => dateTimeText(v) },
          { title: '类型', dataIndex: 'codeLabel', width: 110 },
          { title: '借方', key: 'debit', render: (_, r) => r.debit.label ?? r.debit.ref },
          { title: '贷方', key: 'credit', render: (_, r) => r.credit.label ?? r.credit.ref },
          { title: '金额', dataIndex: 'amount', width: 150, render: money },
          { title: '摘要', dataIndex: 'reference' },
          {
            title: '编号',
            dataIndex: 'id',
            width: 220,
            render: (v: string) => (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {v}
              </Typography.Text>
            ),
          },
        ]}
      />
    </Card>
  );
}
