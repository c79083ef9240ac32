import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import dayjs from 'dayjs';
import { Alert, Button, Card, Form, Input, Result, Spin, Statistic, Table, Tag, Typography } from 'antd';
import { PrinterOutlined } from '@ant-design/icons';
import QRCode from 'qrcode';
import { errorMessage } from '../../api/client';
import { ProvisionalTag } from '../../components/ProvisionalTag';
import { PublicTheme } from '../../components/PublicTheme';
import { usePublicUrl } from '../../components/usePublicUrl';
import { CATALOGUE_CATEGORY_LABELS, labelOf } from '../../api/labels';
import { formatFen } from '../../utils/money';
import { decisionsApi, NOTICE_STATUS, type PublicNotice } from './api';
import { AllocationNotice } from './AllocationNotice';

const PRINT_CSS = `
  @page { size: A4; margin: 15mm; }
  .notice-page { max-width: 720px; margin: 0 auto; padding: 12px; font-family: "PingFang SC","Microsoft YaHei","Noto Sans CJK SC","WenQuanYi Micro Hei",sans-serif; }
  .notice-print-only { display: none; }
  @media print {
    .no-print { display: none !important; }
    .notice-print-only { display: block; }
    .notice-page { max-width: none; width: 180mm; padding: 0; }
    .notice-page h1 { font-size: 24pt; }
  }
`;

/** The public notice of a decision [N 3.1.2(1)]: no login, mobile-first, printable as an A4 notice with its QR code. */
export default function PublicNoticePage() {
  return (
    <PublicTheme>
      <PublicNoticeView />
    </PublicTheme>
  );
}

function PublicNoticeView() {
  const id = Number(useParams().noticeId);
  const notice = useQuery({ queryKey: ['public-notice', id], queryFn: ({ signal }) => decisionsApi.publicNotice(id, signal) });
  // The printed notice's QR code and address: the configured PUBLIC_BASE_URL, never this page's host.
  const url = usePublicUrl(`/n/${id}`);
  const [qr, setQr] = useState<string | null>(null);
  useEffect(() => {
    if (url) void QRCode.toDataURL(url, { width: 360, margin: 1, errorCorrectionLevel: 'M' }).then(setQr);
  }, [url]);

  if (notice.isLoading) return <Spin style={{ display: 'block', margin: '30vh auto' }} />;
  if (notice.isError || !notice.data) return <Result status="404" title="公示不存在" subTitle={errorMessage(notice.error)} />;
  const n = notice.data;
  const status = NOTICE_STATUS[n.status] ?? { text: n.status, color: 'default' };
  return (
    <div className="notice-page">
      <style>{PRINT_CSS}</style>
      <div className="no-print" style={{ textAlign: 'right' }}>
        <Button icon={<PrinterOutlined />} onClick={() => window.print()}>
          打印 A4 公示
        </Button>
      </div>
      <Typography.Text type="secondary">{[n.districtName, n.streetName, n.communityName].filter(Boolean).join(' · ')}</Typography.Text>
      <Typography.Title level={3} style={{ marginTop: 4 }}>
        {n.communityName} {n.fundYear} 年度"以奖代补"服务项目{n.decision.revote ? '重新表决' : '决议'}公示
      </Typography.Title>
      <Tag color={status.color} data-testid="notice-status">
        {status.text}
      </Tag>
      {n.status === 'suspended' && n.suspendReason && (
        <Alert
          style={{ marginTop: 12 }}
          type="error"
          showIcon
          data-testid="suspend-reason"
          title={`决议已中止${n.suspendedAt ? `（中止时间 ${dayjs(n.suspendedAt).format('YYYY-MM-DD HH:mm')}）` : ''}`}
          description={`中止原因：${n.suspendReason}`}
        />
      )}
      {n.latestNoticeId !== n.id && (
        <Alert
          style={{ marginTop: 12 }}
          type="warning"
          showIcon
          title={
            <>
              本公示已作废，请查看 <Link to={`/n/${n.latestNoticeId}`}>最新公示</Link>
            </>
          }
        />
      )}
      <p style={{ marginTop: 12 }}>
        经{n.decision.bodyLabel}于 {n.decision.heldOn} 表决（应到 {n.decision.expectedAttendance} 人，实到 {n.decision.actualAttendance}{' '}
        人），通过以下项目，现予公示。 公示期自 {n.postedOn} 次日起 {n.noticeDays} 日，至 <b data-testid="window-end">{n.windowEnd}</b>
        {n.windowEndProvisional && <ProvisionalTag />} 止（遇法定节假日顺延）。
      </p>
      <div style={{ display: 'flex', gap: 24, flexWrap: 'wrap', margin: '12px 0' }}>
        <Statistic title="剩余天数（含今日）" value={n.daysLeft} suffix="天" />
        <Statistic title="异议代表 / 中止所需" value={n.objectors} suffix={`/ ${n.objectorsNeeded}`} data-testid="objector-count" />
        <Statistic title="居民代表总数" value={n.representatives} />
      </div>
      <Table
        size="small"
        rowKey="projectId"
        pagination={false}
        dataSource={n.projects}
        scroll={{ x: true }}
        columns={[
          { title: '项目', dataIndex: 'title' },
          { title: '类别', dataIndex: 'category', render: (c: string) => labelOf(CATALOGUE_CATEGORY_LABELS, c) },
          { title: '预算', dataIndex: 'estimatedBudgetFen', align: 'right', render: (v: number) => formatFen(v) },
          { title: '赞成/反对/弃权', render: (_, p) => `${p.votesFor}/${p.votesAgainst}/${p.votesAbstain}` },
        ]}
        summary={() => (
          <Table.Summary.Row>
            <Table.Summary.Cell index={0} colSpan={2}>
              合计
            </Table.Summary.Cell>
            <Table.Summary.Cell index={1} align="right">
              {formatFen(n.totalBudgetFen)}
            </Table.Summary.Cell>
            <Table.Summary.Cell index={2} />
          </Table.Summary.Row>
        )}
      />
      <AllocationNotice allocation={n.allocation} where="notice" />
      <p style={{ marginTop: 12 }}>
        本社区登记的居民代表对上述决议有异议的，可在公示期内扫码或到社区居委会书面提出。异议人数达到居民代表的五分之一以上（含本数）的，决议中止，
        由居民议事会或居民代表会议重新表决后再行公示。
      </p>
      <div className="notice-print-only" style={{ textAlign: 'center' }}>
        {qr && <img src={qr} alt="扫码提出异议" style={{ width: '60mm', height: '60mm' }} data-testid="notice-qr" />}
        <div>扫码提出异议 · {url}</div>
        <div style={{ marginTop: '10mm', textAlign: 'right' }}>
          {n.communityName}居民委员会　{n.postedOn}
        </div>
      </div>
      {n.status === 'open' && <ObjectionForm notice={n} />}
    </div>
  );
}

function ObjectionForm({ notice }: { notice: PublicNotice }) {
  const client = useQueryClient();
  const [done, setDone] = useState<string | null>(null);
  const object = useMutation({
    mutationFn: (values: { householdNo: string; headName: string; phoneLast4: string; representativeName?: string; reason?: string }) =>
      decisionsApi.object(notice.id, { ...values, representativeName: values.representativeName?.trim() || undefined }),
    onSuccess: (r) => {
      setDone(
        r.suspended
          ? `异议已登记。异议代表已达 ${r.objectors} 人，决议中止，待重新表决。`
          : `异议已登记（当前 ${r.objectors} / ${r.objectorsNeeded} 人）。`,
      );
      void client.invalidateQueries({ queryKey: ['public-notice', notice.id] });
    },
  });
  if (done) return <Result className="no-print" status="success" title={done} data-testid="objection-done" />;
  return (
    <Card className="no-print" title="居民代表提出异议" style={{ marginTop: 16 }}>
      <Form layout="vertical" onFinish={(v) => object.mutate(v)} disabled={object.isPending}>
        <Form.Item name="householdNo" label="户号" rules={[{ required: true, message: '请填写户号' }]}>
          <Input autoComplete="off" inputMode="text" />
        </Form.Item>
        <Form.Item name="headName" label="户主姓名" rules={[{ required: true, message: '请填写户主姓名' }]}>
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item name="phoneLast4" label="登记手机号后四位" rules={[{ required: true, pattern: /^\d{4}$/, message: '请填写 4 位数字' }]}>
          <Input inputMode="numeric" maxLength={4} autoComplete="off" />
        </Form.Item>
        <Form.Item name="representativeName" label="居民代表姓名（本户有多位代表时填写）">
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item name="reason" label="异议理由">
          <Input.TextArea rows={3} maxLength={2000} />
        </Form.Item>
        {object.isError && (
          <Alert type="error" showIcon style={{ marginBottom: 12 }} title={errorMessage(object.error)} data-testid="objection-error" />
        )}
        <Button type="primary" htmlType="submit" block size="large" loading={object.isPending}>
          提交异议
        </Button>
      </Form>
    </Card>
  );
}
