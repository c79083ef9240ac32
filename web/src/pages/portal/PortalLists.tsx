import { PORTAL_DISCLOSURE_STATUS_LABELS, PORTAL_NOTICE_STATUS_LABELS } from '../../api/labels';
import { formatFen } from '../../utils/money';
import type { DisclosureItem, PublicContract, PublicNoticeRow } from './api';
import { ResponsiveTable, type PortalColumn } from './ResponsiveTable';

const NOTICE_TEXT: Readonly<Record<string, string>> = PORTAL_NOTICE_STATUS_LABELS;

export function NoticeList({ notices }: { notices: PublicNoticeRow[] }) {
  if (notices.length === 0) return <p>暂无公示。</p>;
  return (
    <ul>
      {notices.map((n) => (
        <li key={n.id}>
          第 {n.round} 次公示：{n.postedOn} 至 {n.windowEnd}，{NOTICE_TEXT[n.status] ?? n.status}
          {n.status === 'open' && <>（剩余 {n.daysLeft} 天）</>}，异议 {n.objectors}/{n.objectorsNeeded} 人 ·{' '}
          <a href={n.link}>查看公示{n.status === 'open' ? '并提出异议' : ''}</a>
        </li>
      ))}
    </ul>
  );
}

const CONTRACT_COLUMNS: PortalColumn<PublicContract>[] = [
  {
    key: 'title',
    title: '合同',
    render: (c) => (
      <>
        {c.title}
        <div className="portal-muted">{c.ref}</div>
        {c.remainderVoidedOn && (
          <div data-testid="contract-voided">
            终期评估不合格，{c.remainderVoidedOn} 起未拨付款项已作废，{formatFen(c.releasedFen ?? 0)} 退回社区可用资金
          </div>
        )}
      </>
    ),
  },
  { key: 'provider', title: '承接主体', render: (c) => c.provider?.name ?? '—' },
  { key: 'amount', title: '金额', render: (c) => formatFen(c.amountFen) },
  { key: 'signed', title: '签订', render: (c) => c.signedOn ?? '—' },
  { key: 'paid', title: '已拨付', render: (c) => formatFen(c.paidFen), testId: 'contract-paid' },
];

/** Contracts and what was paid of them: a table, or stacked cards on a phone. */
export function ContractList({ contracts }: { contracts: PublicContract[] }) {
  if (contracts.length === 0) return <p>暂无已签订的合同。</p>;
  return <ResponsiveTable rows={contracts} columns={CONTRACT_COLUMNS} rowKey={(c) => c.id} caption="服务合同与拨付" />;
}

const BADGE_CLASSES: Record<DisclosureItem['status'], string> = {
  published: 'ok',
  late: 'warn',
  missing: 'bad',
  due: 'neutral',
  not_due: 'neutral',
};

const DISCLOSURE_COLUMNS: PortalColumn<DisclosureItem>[] = [
  { key: 'label', title: '公开事项', render: (i) => `${i.label}（${i.stageLabel}）` },
  { key: 'due', title: '应公开日期', render: (i) => i.dueOn ?? '—' },
  { key: 'published', title: '公开日期', render: (i) => i.publishedOn ?? '—' },
  {
    key: 'status',
    title: '状态',
    render: (i) => <span className={`portal-badge ${BADGE_CLASSES[i.status]}`}>{PORTAL_DISCLOSURE_STATUS_LABELS[i.status]}</span>,
  },
];

/** The full-process disclosure checklist [N 4.2]. */
export function DisclosureTable({ items }: { items: DisclosureItem[] }) {
  return (
    <ResponsiveTable
      rows={items}
      columns={DISCLOSURE_COLUMNS}
      rowKey={(i) => i.kind}
      caption="全过程公开事项"
      rowTestId={(i) => `disclosure-${i.kind}`}
    />
  );
}
