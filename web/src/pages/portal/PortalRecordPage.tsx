import { useQuery } from '@tanstack/react-query';
import { errorMessage } from '../../api/client';
import { portalApi, type AuditDays } from './api';
import { PortalShell } from './portal.shared';
import { ResponsiveTable, type PortalColumn } from './ResponsiveTable';

type Day = AuditDays['days'][number];

const COLUMNS: PortalColumn<Day>[] = [
  { key: 'day', title: '日期', render: (d) => `${d.day}${d.complete ? '' : '（今日，尚未结束）'}` },
  { key: 'range', title: '序号范围', render: (d) => `${d.firstSeq}–${d.lastSeq}` },
  { key: 'events', title: '记录数', render: (d) => d.events },
  { key: 'hash', title: '日末链头哈希', render: (d) => <span className="portal-hash">{d.headHash}</span> },
];

export function PortalRecordPage() {
  const q = useQuery({ queryKey: ['portal', 'audit-days'], queryFn: ({ signal }) => portalApi.auditDays(signal) });
  return (
    <PortalShell title="可验证记录">
      <h1>可验证记录</h1>
      <p>
        系统的每一次变更都写入只增不改的审计链：每条记录的哈希为 sha256(上一条哈希 + 本条记录的规范
        JSON)。下表公布每天最后一条记录的序号和链头哈希。
        持有导出记录的任何人都可以逐条重新计算哈希，若某天末的结果与此处公布的一致，则说明该日及以前的记录此后未被改动。
      </p>
      {q.isError && <p role="alert">{errorMessage(q.error)}</p>}
      {q.data && <ResponsiveTable rows={q.data.days} columns={COLUMNS} rowKey={(d) => d.day} caption="每日链头（中国时间）" />}
    </PortalShell>
  );
}
