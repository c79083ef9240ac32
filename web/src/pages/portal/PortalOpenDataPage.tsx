import { useQuery } from '@tanstack/react-query';
import { errorMessage } from '../../api/client';
import { DATASET_LABELS as GENERATED_DATASET_LABELS } from '../../api/labels';
import { portalApi, type OpenDataIndex } from './api';
import { PortalCard, PortalShell } from './portal.shared';
import { ResponsiveTable, type PortalColumn } from './ResponsiveTable';

const DATASET_LABELS: Readonly<Record<string, string>> = GENERATED_DATASET_LABELS;

type OpenDataYear = OpenDataIndex['years'][number];
interface DatasetRow {
  key: string;
  label: string;
  links: { href: string; text: string; aria: string }[];
}

const rowsOf = (y: OpenDataYear): DatasetRow[] => [
  ...Object.keys(DATASET_LABELS).map((ds) => ({
    key: ds,
    label: DATASET_LABELS[ds]!,
    links: y.files
      .filter((f) => f.dataset === ds)
      .map((f) => ({ href: f.url, text: f.format.toUpperCase(), aria: `${y.year} 年度${DATASET_LABELS[ds]} ${f.format.toUpperCase()}` })),
  })),
  {
    key: 'ocds',
    label: '服务合同（开放合同数据标准 OCDS 1.1 发布包）',
    links: [{ href: y.ocds, text: 'OCDS JSON', aria: `${y.year} 年度服务合同 OCDS JSON` }],
  },
];

const COLUMNS: PortalColumn<DatasetRow>[] = [
  { key: 'label', title: '数据集', render: (r) => r.label },
  {
    key: 'links',
    title: '下载',
    render: (r) =>
      r.links.map((l) => (
        <a key={l.href} href={l.href} style={{ marginRight: '1em' }} aria-label={l.aria}>
          {l.text}
        </a>
      )),
  },
];

export function PortalOpenDataPage() {
  const q = useQuery({ queryKey: ['portal', 'open-data'], queryFn: ({ signal }) => portalApi.openData(signal) });
  return (
    <PortalShell title="开放数据">
      <h1>开放数据</h1>
      <p>
        每个资金年度的数据均可按固定地址下载：<code>/api/public/open-data/年度/数据集.格式</code>，格式为 CSV、Excel（xlsx）或
        JSON；金额单位为分（Excel 中为元）。许可：{q.data?.license ?? 'CC BY 4.0'}。不含任何居民个人信息。
      </p>
      {q.isError && <p role="alert">{errorMessage(q.error)}</p>}
      {q.data?.years.map((y) => (
        <PortalCard key={y.year} id={`od-${y.year}`} title={<>{y.year} 年度</>}>
          <ResponsiveTable rows={rowsOf(y)} columns={COLUMNS} rowKey={(r) => r.key} caption={`${y.year} 年度数据集`} />
        </PortalCard>
      ))}
    </PortalShell>
  );
}
