import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Col, List, Row, Space, Statistic, Table, Tag, Typography } from 'antd';
import { EChart, type EChartOption } from '../../components/EChart';
import { ErrorView } from '../../components/ErrorView';
import { PageTitle } from '../../components/PageTitle';
import { formatFen, wholeYuan } from '../../utils/money';
import { useFundYear } from '../../utils/clock';
import { evaluationApi, GRADE_LABELS, type Dashboard, type Grade } from './api';
import { CATALOGUE_CATEGORY_LABELS, EVALUATION_KIND_LABELS, labelOf } from '../../api/labels';

const GRADES: Grade[] = ['excellent', 'good', 'pass', 'fail'];
/** Districts per page of the district table and the money chart. */
const DISTRICTS_PER_PAGE = 50;

/** 全市工作台: the funnel of communities through the procedure, money, overdue items and grades; drill-down by district. */
export default function CityDashboardPage() {
  const [code, setCodeOnly] = useState<string | undefined>(undefined);
  // Districts come a page at a time (a national scope has thousands); the chart and table show the page.
  const [districtPage, setDistrictPage] = useState(1);
  const setCode = (next: string | undefined) => {
    setCodeOnly(next);
    setDistrictPage(1);
  };
  const fundYear = useFundYear();
  const q = useQuery({
    queryKey: ['dashboard', fundYear, code, districtPage],
    queryFn: ({ signal }) =>
      evaluationApi.dashboard(
        fundYear!,
        code,
        { districtOffset: (districtPage - 1) * DISTRICTS_PER_PAGE, districtLimit: DISTRICTS_PER_PAGE },
        signal,
      ),
    enabled: fundYear !== undefined,
    placeholderData: (previous) => previous,
  });
  const d = q.data;
  const options = useMemo(() => (d ? charts(d) : null), [d]);
  if (q.isError) return <ErrorView error={q.error} onRetry={() => void q.refetch()} />;
  const overdueCount = d ? d.overdue.reviews.length + d.overdue.evaluationRounds.length + d.overdue.findings.length : 0;
  return (
    <>
      <PageTitle title={`工作台 · ${d?.region.name ?? ''}`} extra={code && <Button onClick={() => setCode(undefined)}>返回全辖区</Button>}>
        <Typography.Text type="secondary">
          {d?.fundYear ?? fundYear ?? '…'} 年度各社区所处环节、资金、逾期事项与评估等次（{d?.today}）
        </Typography.Text>
      </PageTitle>
      {d && options && (
        <Space direction="vertical" style={{ width: '100%' }} size={16}>
          <Row gutter={16}>
            <Col span={6}>
              <Card>
                <Statistic title="纳入奖补的社区" value={d.funnel[0]?.communities ?? 0} />
              </Card>
            </Col>
            <Col span={6}>
              <Card>
                <Statistic title="已签合同社区" value={d.funnel.find((s) => s.key === 'contracted')?.communities ?? 0} />
              </Card>
            </Col>
            <Col span={6}>
              <Card data-testid="final-done">
                <Statistic
                  title="终期评估已完成"
                  value={GRADES.reduce((s, g) => s + d.grades.final[g], 0)}
                  suffix={`/ ${GRADES.reduce((s, g) => s + d.grades.final[g], 0) + d.grades.final.outstanding}`}
                />
              </Card>
            </Col>
            <Col span={6}>
              <Card>
                <Statistic title="逾期事项" value={overdueCount} valueStyle={{ color: overdueCount ? '#cf1322' : undefined }} />
              </Card>
            </Col>
          </Row>
          <Row gutter={16}>
            <Col span={12}>
              <Card title="流程漏斗（社区数）">
                <EChart ariaLabel="流程漏斗" option={options.funnel} />
              </Card>
            </Col>
            <Col span={12}>
              <Card title="评估等次（项目数）">
                <EChart ariaLabel="评估等次" option={options.grades} />
              </Card>
            </Col>
          </Row>
          <Card title="资金：按区与星级（下达 / 占用 / 拨付）">
            <EChart
              ariaLabel="资金按区与星级"
              option={options.money}
              style={{ height: Math.max(360, 80 + d.money.byDistrict.length * 48) }}
            />
          </Card>
          <Card title="各区流程进度（点击下钻）">
            <Table
              rowKey="districtCode"
              size="small"
              pagination={
                d.districtPage.total > DISTRICTS_PER_PAGE && {
                  current: districtPage,
                  pageSize: DISTRICTS_PER_PAGE,
                  total: d.districtPage.total,
                  showSizeChanger: false,
                  showTotal: (total: number) => `共 ${total} 个区（县、市）`,
                  onChange: (page: number) => setDistrictPage(page),
                }
              }
              dataSource={d.byDistrict}
              columns={[
                {
                  title: '区（县、市）',
                  render: (_: unknown, r: Dashboard['byDistrict'][number]) => (
                    <a onClick={() => setCode(r.districtCode)}>{r.districtName}</a>
                  ),
                },
                ...d.funnel.map((s, i) => ({
                  title: s.label,
                  align: 'right' as const,
                  render: (_: unknown, r: Dashboard['byDistrict'][number]) => r.steps[i]?.communities ?? 0,
                })),
              ]}
            />
          </Card>
          <Card title="按项目类型">
            <Table
              rowKey="catalogueCode"
              size="small"
              pagination={false}
              dataSource={d.byType}
              columns={[
                { title: '类型', render: (_: unknown, t: Dashboard['byType'][number]) => `${t.catalogueCode} ${t.name}` },
                { title: '类别', render: (_: unknown, t: Dashboard['byType'][number]) => labelOf(CATALOGUE_CATEGORY_LABELS, t.category) },
                { title: '项目数', dataIndex: 'projects', align: 'right' },
                { title: '预算', dataIndex: 'budgetFen', render: formatFen, align: 'right' },
                { title: '已签合同', dataIndex: 'contractedFen', render: formatFen, align: 'right' },
              ]}
            />
          </Card>
          <Card title="逾期事项">
            <List
              size="small"
              dataSource={[
                ...d.overdue.reviews.map((r) => ({
                  key: `r${r.id}`,
                  text: `街道初审逾期：${r.title}（应于 ${r.reviewDueOn}）`,
                  link: r.link,
                })),
                ...d.overdue.evaluationRounds.map((r) => ({
                  key: `e${r.id}`,
                  text: `${r.districtName}${r.kindLabel}逾期：${r.outstanding} 个项目未完成（应于 ${r.dueOn}）`,
                  link: r.link,
                })),
                ...d.overdue.findings.map((f) => ({
                  key: `f${f.id}`,
                  text: `整改逾期：${f.communityName} ${f.description}（期限 ${f.deadlineOn}）`,
                  link: f.link,
                })),
              ]}
              renderItem={(i) => (
                <List.Item>
                  <Link to={i.link}>{i.text}</Link>
                </List.Item>
              )}
              locale={{ emptyText: '无逾期事项' }}
            />
          </Card>
          {d.communities.length > 0 && (
            <Card title="社区所处环节">
              <Table
                rowKey="code"
                size="small"
                dataSource={d.communities}
                columns={[
                  {
                    title: '社区',
                    render: (_: unknown, c: Dashboard['communities'][number]) => <Link to={`/regions/${c.code}`}>{c.name}</Link>,
                  },
                  { title: '街道', dataIndex: 'streetName' },
                  { title: '星级', dataIndex: 'stars' },
                  {
                    title: '当前环节',
                    render: (_: unknown, c: Dashboard['communities'][number]) => (
                      <Tag color={c.stepKey === 'final' ? 'green' : 'blue'}>{c.stepLabel}</Tag>
                    ),
                  },
                ]}
              />
            </Card>
          )}
        </Space>
      )}
    </>
  );
}

function charts(d: Dashboard): { funnel: EChartOption; grades: EChartOption; money: EChartOption } {
  return {
    // A horizontal bar with the count at each bar's end: 350 communities and single digits both read
    // (a funnel's widths made the later stages vanish).
    funnel: {
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      grid: { left: 8, right: 48, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', inverse: true, data: d.funnel.map((s) => s.label) },
      series: [
        {
          name: '社区数',
          type: 'bar',
          barMaxWidth: 22,
          label: { show: true, position: 'right' },
          data: d.funnel.map((s) => s.communities),
        },
      ],
    },
    grades: {
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: [EVALUATION_KIND_LABELS.midterm, EVALUATION_KIND_LABELS.final] },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        ...GRADES.map((g) => ({ name: GRADE_LABELS[g], type: 'bar', stack: 'g', data: [d.grades.midterm[g], d.grades.final[g]] })),
        { name: '未完成', type: 'bar', stack: 'g', data: [d.grades.midterm.outstanding, d.grades.final.outstanding] },
      ],
    },
    // Districts on the vertical axis (long names read whole), the legend on top, clear of the axis labels.
    money: {
      tooltip: {
        trigger: 'axis',
        axisPointer: { type: 'shadow' },
        valueFormatter: (v: unknown) => `¥${Number(v).toLocaleString('zh-CN')}`,
      },
      legend: { top: 0, type: 'scroll' },
      grid: { left: 8, right: 24, top: 40, bottom: 8, containLabel: true },
      yAxis: { type: 'category', inverse: true, data: d.money.byDistrict.map((r) => r.districtName) },
      xAxis: { type: 'value', name: '元', axisLabel: { formatter: (v: number) => (v >= 10_000 ? `${v / 10_000}万` : String(v)) } },
      series: [
        ...d.money.levels.map((stars) => ({
          name: `${stars}★ 下达`,
          type: 'bar',
          stack: 'allocated',
          data: d.money.byDistrict.map((r) => wholeYuan(r.byStars.find((b) => b.stars === stars)?.allocated ?? 0)),
        })),
        { name: '合同占用', type: 'bar', data: d.money.byDistrict.map((r) => wholeYuan(r.total.committed)) },
        { name: '已拨付', type: 'bar', data: d.money.byDistrict.map((r) => wholeYuan(r.total.paid)) },
      ],
    },
  };
}
