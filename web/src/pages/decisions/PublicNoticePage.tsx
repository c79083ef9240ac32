import { useEffect, useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import dayjs from 'dayjs';
import QRCode from 'qrcode';
import { errorMessage } from '../../api/client';
import { PROVISIONAL_HINT } from '../../components/provisionalHint';
import { usePublicUrl } from '../../components/usePublicUrl';
import { CATALOGUE_CATEGORY_LABELS, labelOf } from '../../api/labels';
import { formatFen } from '../../utils/money';
import { Loading, PortalShell } from '../portal/portal.shared';
import { TextField } from '../portal/PortalField';
import { ResponsiveTable } from '../portal/ResponsiveTable';
import { decisionsApi, NOTICE_STATUS, type PublicNotice } from './api';

const PRINT_CSS = `
  @page { size: A4; margin: 15mm; }
  .notice-page { font-family: "PingFang SC","Microsoft YaHei","Noto Sans CJK SC","WenQuanYi Micro Hei",sans-serif; }
  .notice-print-only { display: none; }
  @media print {
    .no-print, .portal-header, .portal-footer, .portal-skip { display: none !important; }
    .notice-print-only { display: block; }
    .notice-page { max-width: none; width: 180mm; padding: 0; }
    .notice-page h1 { font-size: 24pt; }
  }
`;

/** Badge colour of a notice's status (portal.css / portal-form.css). */
const STATUS_BADGE: Record<string, string> = { open: 'info', suspended: 'bad', voided: 'neutral', closed: 'ok' };

/**
 * The public notice of a decision [N 3.1.2(1)]: no login, mobile-first, printable as an A4 notice
 * with its QR code. Plain markup like the portal (no Ant Design): small on a phone (issue 19).
 */
export default function PublicNoticePage() {
  const id = Number(useParams().noticeId);
  const notice = useQuery({ queryKey: ['public-notice', id], queryFn: ({ signal }) => decisionsApi.publicNotice(id, signal) });
  // The printed notice's QR code and address: the configured PUBLIC_BASE_URL, never this page's host.
  const url = usePublicUrl(`/n/${id}`);
  const [qr, setQr] = useState<string | null>(null);
  useEffect(() => {
    if (url) void QRCode.toDataURL(url, { width: 360, margin: 1, errorCorrectionLevel: 'M' }).then(setQr);
  }, [url]);

  if (notice.isLoading) return <Loading title="公示" />;
  if (notice.isError || !notice.data) {
    return (
      <PortalShell title="公示">
        <h1>公示不存在</h1>
        <p role="alert">{errorMessage(notice.error)}</p>
      </PortalShell>
    );
  }
  const n = notice.data;
  const status = NOTICE_STATUS[n.status] ?? { text: n.status, color: 'default' };
  const title = `${n.communityName} ${n.fundYear} 年度"以奖代补"服务项目${n.decision.revote ? '重新表决' : '决议'}公示`;
  return (
    <PortalShell title={title}>
      <div className="notice-page">
        <style>{PRINT_CSS}</style>
        <div className="no-print" style={{ textAlign: 'right' }}>
          <button type="button" className="portal-plain-button" onClick={() => window.print()}>
            打印 A4 公示
          </button>
        </div>
        <p className="portal-muted">{[n.districtName, n.streetName, n.communityName].filter(Boolean).join(' · ')}</p>
        <h1>{title}</h1>
        <span className={`portal-badge ${STATUS_BADGE[n.status] ?? 'neutral'}`} data-testid="notice-status">
          {status.text}
        </span>
        {n.status === 'suspended' && n.suspendReason && (
          <div className="portal-alert error" role="alert" data-testid="suspend-reason">
            <b>决议已中止{n.suspendedAt ? `（中止时间 ${dayjs(n.suspendedAt).format('YYYY-MM-DD HH:mm')}）` : ''}</b>
            <p style={{ margin: 0 }}>中止原因：{n.suspendReason}</p>
          </div>
        )}
        {n.latestNoticeId !== n.id && (
          <div className="portal-alert warn" role="status">
            本公示已作废，请查看 <Link to={`/n/${n.latestNoticeId}`}>最新公示</Link>
          </div>
        )}
        <p>
          经{n.decision.bodyLabel}于 {n.decision.heldOn} 表决（应到 {n.decision.expectedAttendance} 人，实到 {n.decision.actualAttendance}{' '}
          人），通过以下项目，现予公示。 公示期自 {n.postedOn} 次日起 {n.noticeDays} 日，至 <b data-testid="window-end">{n.windowEnd}</b>
          {n.windowEndProvisional && (
            <span className="portal-badge warn" data-testid="provisional-tag" title={PROVISIONAL_HINT} style={{ marginInlineStart: 4 }}>
              暂定
            </span>
          )}{' '}
          止（遇法定节假日顺延）。
        </p>
        <dl className="portal-stats">
          <div>
            <dt>剩余天数（含今日）</dt>
            <dd>{n.daysLeft} 天</dd>
          </div>
          <div data-testid="objector-count">
            <dt>异议代表 / 中止所需</dt>
            <dd>
              {n.objectors} / {n.objectorsNeeded}
            </dd>
          </div>
          <div>
            <dt>居民代表总数</dt>
            <dd>{n.representatives}</dd>
          </div>
        </dl>
        <h2>公示项目</h2>
        <ResponsiveTable
          caption="表决通过的项目"
          rows={n.projects}
          rowKey={(p) => p.projectId}
          columns={[
            { key: 'title', title: '项目', render: (p) => p.title },
            { key: 'category', title: '类别', render: (p) => labelOf(CATALOGUE_CATEGORY_LABELS, p.category) },
            { key: 'budget', title: '预算', render: (p) => formatFen(p.estimatedBudgetFen) },
            { key: 'votes', title: '赞成/反对/弃权', render: (p) => `${p.votesFor}/${p.votesAgainst}/${p.votesAbstain}` },
          ]}
        />
        <p>
          合计预算：<b>{formatFen(n.totalBudgetFen)}</b>
        </p>
        {n.allocation.excessFen > 0 && (
          // [N 1] Stated on the notice itself, so that residents do not read a list above the allocation as overspending.
          <div className="portal-alert warn" role="note" data-testid="allocation-excess">
            {n.allocation.message} {n.allocation.clause}
          </div>
        )}
        <p>
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
    </PortalShell>
  );
}

type Field = 'householdNo' | 'headName' | 'phoneLast4' | 'representativeName' | 'reason';
const REQUIRED: [Field, (v: string) => boolean, string][] = [
  ['householdNo', (v) => v.length > 0, '请填写户号'],
  ['headName', (v) => v.length > 0, '请填写户主姓名'],
  ['phoneLast4', (v) => /^\d{4}$/.test(v), '请填写 4 位数字'],
];

function ObjectionForm({ notice }: { notice: PublicNotice }) {
  const client = useQueryClient();
  const [done, setDone] = useState<string | null>(null);
  const [values, setValues] = useState<Record<Field, string>>({
    householdNo: '',
    headName: '',
    phoneLast4: '',
    representativeName: '',
    reason: '',
  });
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const object = useMutation({
    mutationFn: () =>
      decisionsApi.object(notice.id, {
        householdNo: values.householdNo.trim(),
        headName: values.headName.trim(),
        phoneLast4: values.phoneLast4.trim(),
        representativeName: values.representativeName.trim() || undefined,
        reason: values.reason.trim() || undefined,
      }),
    onSuccess: (r) => {
      setDone(
        r.suspended
          ? `异议已登记。异议代表已达 ${r.objectors} 人，决议中止，待重新表决。`
          : `异议已登记（当前 ${r.objectors} / ${r.objectorsNeeded} 人）。`,
      );
      void client.invalidateQueries({ queryKey: ['public-notice', notice.id] });
    },
  });
  if (done) {
    return (
      <div className="portal-alert success no-print" role="status" data-testid="objection-done">
        <h2 style={{ margin: 0 }}>{done}</h2>
      </div>
    );
  }
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const found: Partial<Record<Field, string>> = {};
    for (const [f, ok, message] of REQUIRED) if (!ok(values[f].trim())) found[f] = message;
    setErrors(found);
    const first = REQUIRED.find(([f]) => found[f]);
    if (first) event.currentTarget.querySelector<HTMLElement>(`#objection-${first[0]}`)?.focus();
    else object.mutate();
  };
  const field = (f: Field) => ({
    id: `objection-${f}`,
    name: f,
    value: values[f],
    error: errors[f],
    autoComplete: 'off',
    onChange: (e: { target: { value: string } }) => {
      setValues((old) => ({ ...old, [f]: e.target.value }));
      if (errors[f]) setErrors((old) => ({ ...old, [f]: undefined }));
    },
  });
  return (
    <section className="portal-card no-print" aria-labelledby="objection-title" style={{ marginTop: '1em' }}>
      <h2 id="objection-title" style={{ marginTop: 0 }}>
        居民代表提出异议
      </h2>
      <form className="portal-form" onSubmit={onSubmit} noValidate aria-labelledby="objection-title">
        <p className="portal-hint" style={{ margin: 0 }}>
          带 <span aria-hidden="true">*</span> 的为必填项。
        </p>
        <TextField {...field('householdNo')} label="户号" required />
        <TextField {...field('headName')} label="户主姓名" required />
        <TextField {...field('phoneLast4')} label="登记手机号后四位" required inputMode="numeric" maxLength={4} />
        <TextField {...field('representativeName')} label="居民代表姓名（本户有多位代表时填写）" />
        <TextField {...field('reason')} label="异议理由" multiline rows={3} maxLength={2000} />
        {object.isError && (
          <div className="portal-alert error" role="alert" data-testid="objection-error">
            {errorMessage(object.error)}
          </div>
        )}
        <button type="submit" className="portal-submit" disabled={object.isPending} aria-busy={object.isPending}>
          提交异议
        </button>
      </form>
    </section>
  );
}
