import type { ReactNode } from 'react';
import { Card, Col, Descriptions, Row, Space, Table, Tag, Typography } from 'antd';
import { ENHANCEMENT_COUNT_LABELS } from '../../api/labels';
import type { CatalogueItem, PolicyDocument, PolicyTier, ProhibitedUse, RubricItem } from '../../api/endpoints';
import { Stars } from '../../components/Stars';
import { formatFen } from '../../utils/money';
import { fractionText, monthDayText, percentText, thresholdText } from '../../utils/format';

const Section = ({ title, children, extra }: { title: ReactNode; children: ReactNode; extra?: ReactNode }) => (
  <Card title={title} size="small" extra={extra} style={{ marginBottom: 16 }}>
    {children}
  </Card>
);

const tagList = (values: string[], color?: string) => (
  <Space size={[4, 4]} wrap>
    {values.map((v) => (
      <Tag key={v} color={color}>
        {v}
      </Tag>
    ))}
  </Space>
);

export function enhancementUnit(counts: PolicyDocument['enhancementMinCounts']): string {
  return counts === 'types' ? '类' : '个';
}

export function PolicyView({ document: doc }: { document: PolicyDocument }) {
  const unit = enhancementUnit(doc.enhancementMinCounts);
  const catalogueName = new Map([...doc.catalogue.basic, ...doc.catalogue.enhancement].map((c) => [c.code, c.name]));
  const tiers = [...doc.tiers].sort((a, b) => b.stars - a.stars);
  const totalQuota = doc.tiers.reduce((sum, t) => sum + t.quota, 0);
  // Integer fen arithmetic: quota × amount stays an exact integer.
  const totalFen = doc.tiers.reduce((sum, t) => sum + t.quota * t.amountFen, 0);
  const rubricWeight = doc.evaluationRubric.reduce((sum, r) => sum + r.weight, 0);

  return (
    <div data-testid="policy-view">
      <Typography.Title level={3} style={{ fontSize: 18, marginTop: 0 }}>
        {doc.title}
      </Typography.Title>
      <Descriptions
        size="small"
        style={{ marginBottom: 16 }}
        column={{ xs: 1, sm: 2, lg: 4 }}
        items={[
          { key: 'fund', label: '资金年度', children: `${doc.fundYear}年` },
          { key: 'rating', label: '依据评星年度', children: `${doc.ratingYear}年` },
          { key: 'quota', label: '名额合计', children: `${totalQuota} 个` },
          { key: 'total', label: '按名额测算总额', children: formatFen(totalFen) },
        ]}
      />

      <Section title="奖补标准（按星级）">
        <Table<PolicyTier>
          rowKey="stars"
          size="small"
          pagination={false}
          dataSource={tiers}
          scroll={{ x: 520 }}
          columns={[
            { title: '星级', dataIndex: 'stars', render: (s: number) => <Stars stars={s} /> },
            { title: '名额', dataIndex: 'quota', align: 'right', render: (q: number) => `${q} 个` },
            { title: '奖补金额', dataIndex: 'amountFen', align: 'right', render: (f: number) => formatFen(f) },
            {
              title: `提升类项目最低数（按${ENHANCEMENT_COUNT_LABELS[doc.enhancementMinCounts]}计）`,
              dataIndex: 'enhancementMin',
              align: 'right',
              render: (n: number) => `${n} ${unit}`,
            },
          ]}
        />
      </Section>

      <Row gutter={16}>
        <Col xs={24} lg={12}>
          <Section title="项目与程序要求">
            <Descriptions
              size="small"
              column={1}
              items={[
                {
                  key: 'basic',
                  label: '必选基础类项目',
                  children: tagList(
                    doc.basicItems.map((code) => `${code} ${catalogueName.get(code) ?? ''}`.trim()),
                    'blue',
                  ),
                },
                {
                  key: 'coverage',
                  label: '需求调查覆盖率',
                  children: `不低于 ${percentText(doc.needsCoverage)}（${fractionText(doc.needsCoverage)}）`,
                },
                { key: 'notice', label: '公示期', children: `${doc.noticeDays} 天` },
                {
                  key: 'objection',
                  label: '异议比例',
                  children: `${fractionText(doc.objectionShare)}（${percentText(doc.objectionShare)}）`,
                },
                { key: 'objectionEntry', label: '书面异议补录期', children: `公示期满后 ${doc.objectionEntryGraceWorkdays} 个工作日内` },
                { key: 'review', label: '审核时限', children: `${doc.reviewWorkdays} 个工作日` },
                { key: 'small', label: '小额采购限额', children: formatFen(doc.smallPurchaseThresholdFen) },
                { key: 'disclosure', label: '信息公开时限', children: `触发后 ${doc.disclosureGraceDays} 日内` },
              ]}
            />
          </Section>
        </Col>
        <Col xs={24} lg={12}>
          <Section title="议事与评估">
            <Descriptions
              size="small"
              column={1}
              items={[
                { key: 'quorum', label: '议事会到会', children: `到会人数${thresholdText(doc.councilQuorum)}` },
                { key: 'pass', label: '议事会通过', children: `同意人数${thresholdText(doc.councilPass)}` },
                { key: 'mid', label: '中期评估截止', children: monthDayText(doc.midEvaluationDue) },
                { key: 'final', label: '终期评估截止', children: monthDayText(doc.finalEvaluationDue) },
                {
                  key: 'grades',
                  label: '评估等级线',
                  children: `优秀 ≥ ${doc.gradeThresholds.excellent} 分，良好 ≥ ${doc.gradeThresholds.good} 分，合格 ≥ ${doc.gradeThresholds.pass} 分`,
                },
              ]}
            />
          </Section>
        </Col>
      </Row>

      <Section title="禁止列支事项">
        <Table<ProhibitedUse>
          rowKey="code"
          size="small"
          pagination={false}
          dataSource={doc.prohibitedUses}
          scroll={{ x: 520 }}
          columns={[
            { title: '编号', dataIndex: 'code', width: 90 },
            { title: '事项', dataIndex: 'label', width: 260 },
            { title: '识别关键词', dataIndex: 'keywords', render: (k: string[]) => tagList(k, 'red') },
          ]}
        />
      </Section>

      <Row gutter={16}>
        <Col xs={24} xl={12}>
          <Section title="服务项目目录 · 基础类">
            <CatalogueTable items={doc.catalogue.basic} />
          </Section>
        </Col>
        <Col xs={24} xl={12}>
          <Section title="服务项目目录 · 提升类">
            <CatalogueTable items={doc.catalogue.enhancement} />
          </Section>
        </Col>
      </Row>

      <Section title="评估指标" extra={<Typography.Text type="secondary">权重合计 {rubricWeight}</Typography.Text>}>
        <Table<RubricItem>
          rowKey="code"
          size="small"
          pagination={false}
          dataSource={doc.evaluationRubric}
          columns={[
            { title: '编号', dataIndex: 'code', width: 90 },
            { title: '指标', dataIndex: 'label' },
            { title: '权重', dataIndex: 'weight', width: 100, align: 'right' },
          ]}
        />
      </Section>
    </div>
  );
}

function CatalogueTable({ items }: { items: CatalogueItem[] }) {
  return (
    <Table<CatalogueItem>
      rowKey="code"
      size="small"
      pagination={false}
      dataSource={items}
      scroll={{ x: 420 }}
      columns={[
        { title: '编号', dataIndex: 'code', width: 70 },
        { title: '项目', dataIndex: 'name', width: 180 },
        { title: '示例', dataIndex: 'examples', render: (e: string[]) => tagList(e) },
      ]}
    />
  );
}
