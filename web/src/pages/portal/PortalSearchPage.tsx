import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { portalApi } from './api';
import { PortalShell } from './portal.shared';

export function SearchForm({ initial = '' }: { initial?: string }) {
  const [text, setText] = useState(initial);
  const navigate = useNavigate();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (text.trim()) navigate(`/portal/search?q=${encodeURIComponent(text.trim())}`);
  };
  return (
    <form role="search" className="portal-search" onSubmit={submit}>
      <label htmlFor="portal-q">社区名称</label>
      <input id="portal-q" type="search" value={text} maxLength={30} onChange={(e) => setText(e.target.value)} placeholder="例如：浑河湾" />
      <button type="submit">查找</button>
    </form>
  );
}

export function PortalSearchPage() {
  const [params] = useSearchParams();
  const text = params.get('q') ?? '';
  const q = useQuery({
    queryKey: ['portal', 'search', text],
    queryFn: ({ signal }) => portalApi.search(text, signal),
    enabled: text.trim().length > 0,
  });
  return (
    <PortalShell title="查找社区">
      <h1>查找社区</h1>
      <SearchForm initial={text} key={text} />
      {q.isLoading && <p role="status">正在查找…</p>}
      {q.data && (
        <section aria-live="polite">
          <h2>找到 {q.data.items.length} 个社区</h2>
          <ul className="portal-grid">
            {q.data.items.map((c) => (
              <li key={c.code}>
                <Link to={`/portal/c/${c.code}`}>{c.name}</Link>
                <div className="portal-muted">
                  {c.districtName} · {c.streetName}
                </div>
              </li>
            ))}
          </ul>
        </section>
      )}
    </PortalShell>
  );
}
