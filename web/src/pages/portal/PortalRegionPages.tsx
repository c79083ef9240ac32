import { Link, useParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { formatFen } from '../../utils/money';
import { portalApi, type RegionPage, type RegionView } from './api';
import { Breadcrumb, Failed, LEVEL_PATH, Loading, Money, PortalCard, PortalShell, useYear, YearLinks } from './portal.shared';
import { SearchForm } from './PortalSearchPage';

function RegionPageView({ data, title }: { data: RegionPage; title: string }) {
  const childPath = (c: RegionView) => LEVEL_PATH[c.level]?.(c.code) ?? '/portal';
  const childNoun = data.region.level === 'city' ? '区县' : data.region.level === 'district' ? '街道（乡镇）' : '社区';
  return (
    <PortalShell title={title}>
      {data.ancestors.length > 0 && <Breadcrumb items={data.ancestors} current={data.region.name} />}
      <h1>
        {data.region.name}
        {data.region.level === 'city' ? '星级社区"以奖代补"专项资金' : ''}
      </h1>
      <YearLinks years={data.years} current={data.fundYear} base={LEVEL_PATH[data.region.level]!(data.region.code)} />
      <PortalCard id="totals-h" title={<>{data.fundYear} 年度资金</>}>
        <dl className="portal-stats">
          <Money label="分配" fen={data.totals.allocatedFen} />
          <Money label="合同占用" fen={data.totals.committedFen} />
          <Money label="已拨付" fen={data.totals.paidFen} />
          <div>
            <dt>获得资金的社区</dt>
            <dd>{data.totals.fundedCommunities} 个</dd>
          </div>
        </dl>
      </PortalCard>
      {data.region.level === 'city' && <SearchForm />}
      <section aria-labelledby="children-h">
        <h2 id="children-h">
          {childNoun}（{data.children.length}）
        </h2>
        <ul className="portal-grid">
          {data.children.map((c) => (
            <li key={c.code}>
              <Link to={`${childPath(c)}?year=${data.fundYear}`}>{c.name}</Link>
              <div className="portal-muted">
                {c.level !== 'community' && <>社区 {c.communityCount} 个 · </>}分配 {formatFen(c.allocatedFen)}
                {c.paidFen > 0 && <> · 已拨付 {formatFen(c.paidFen)}</>}
              </div>
            </li>
          ))}
        </ul>
      </section>
    </PortalShell>
  );
}

export function PortalCityPage() {
  const year = useYear();
  const q = useQuery({ queryKey: ['portal', 'city', year], queryFn: ({ signal }) => portalApi.city(year, signal) });
  if (q.isLoading) return <Loading title="全市" />;
  if (q.isError || !q.data) return <Failed title="全市" error={q.error} />;
  return <RegionPageView data={q.data} title="全市" />;
}

export function PortalRegionPage() {
  const code = useParams().code ?? '';
  const year = useYear();
  const q = useQuery({ queryKey: ['portal', 'region', code, year], queryFn: ({ signal }) => portalApi.region(code, year, signal) });
  if (q.isLoading) return <Loading title="区域" />;
  if (q.isError || !q.data) return <Failed title="区域" error={q.error} />;
  return <RegionPageView data={q.data} title={q.data.region.name} />;
}
