// The residents' entry (portal.html, ADR 0019): the portal, the needs answer page and the public
// notice, without the console's layout, menu, charts or route table. Ant Design loads only with the
// pages that use it (portalRoutes.tsx `antdPage`).
import { StrictMode, Suspense, useEffect } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter, Link, Route, Routes, useLocation } from 'react-router';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { QUERY_DEFAULTS } from './api/query-defaults';
import { isPortalPath, PORTAL_ROUTES } from './portalRoutes';
import './styles.css';
// The portal's pages are most of what this entry shows: loaded with it (the HTML preloads the chunk),
// not one round trip later when the router first asks for them.
import './pages/portal/PortalPages';

const queryClient = new QueryClient({
  defaultOptions: QUERY_DEFAULTS,
});

/** Plain markup while a page's chunk loads (no Ant Design here). */
function Loading() {
  return (
    <div role="status" style={{ minHeight: '100vh', display: 'flex', alignItems: 'center', justifyContent: 'center', color: '#595959' }}>
      加载中…
    </div>
  );
}

/**
 * A link out of the residents' pages (e.g. 工作人员登录 → /login) belongs to the console's entry:
 * load it from the server. An unknown portal address shows a plain "not found" instead (reloading it
 * would come back here).
 */
function ElsewhereOrNotFound() {
  const { pathname, search, hash } = useLocation();
  const elsewhere = !isPortalPath(pathname);
  useEffect(() => {
    if (elsewhere) window.location.replace(pathname + search + hash);
  }, [elsewhere, pathname, search, hash]);
  if (elsewhere) return <Loading />;
  return (
    <main style={{ padding: 24, textAlign: 'center' }}>
      <h1 style={{ fontSize: 20 }}>页面不存在</h1>
      <p>
        <Link to="/portal">返回信息公开首页</Link>
      </p>
    </main>
  );
}

const root = document.getElementById('root');
if (!root) throw new Error('#root missing');

createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <BrowserRouter>
        <Suspense fallback={<Loading />}>
          <Routes>
            {PORTAL_ROUTES.flatMap((route) =>
              [route.path, ...(route.subPaths ?? [])].map((path) => <Route key={path} path={path} element={<route.page />} />),
            )}
            <Route path="*" element={<ElsewhereOrNotFound />} />
          </Routes>
        </Suspense>
      </BrowserRouter>
    </QueryClientProvider>
  </StrictMode>,
);
