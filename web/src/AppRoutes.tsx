import { lazy, Suspense } from 'react';
import { Route, Routes } from 'react-router';
import { RequireAuth } from './auth/RequireAuth';
import { RequirePermission } from './auth/RequirePermission';
import { PageLoading } from './components/PageLoading';
import { AppLayout } from './layout/AppLayout';
import { ROUTES, routePaths, type AppRoute } from './routes';

const NotFoundPage = lazy(() => import('./pages/NotFoundPage'));

/** A console page, behind its permission (the shell's Suspense shows while its chunk loads). */
function consolePage({ page: Page, permission }: AppRoute) {
  return permission ? (
    <RequirePermission permission={permission}>
      <Page />
    </RequirePermission>
  ) : (
    <Page />
  );
}

/** The router, derived from the route table (`routes.tsx`). */
export function AppRoutes() {
  return (
    <Routes>
      {ROUTES.filter((r) => r.public).flatMap((route) =>
        routePaths(route).map((path) => (
          <Route
            key={path}
            path={path}
            element={
              <Suspense fallback={<PageLoading fullscreen />}>
                <route.page />
              </Suspense>
            }
          />
        )),
      )}
      <Route
        element={
          <RequireAuth>
            <AppLayout />
          </RequireAuth>
        }
      >
        {ROUTES.filter((r) => !r.public).flatMap((route) =>
          routePaths(route).map((path) =>
            path === '/' ? (
              <Route key={path} index element={consolePage(route)} />
            ) : (
              <Route key={path} path={path.slice(1)} element={consolePage(route)} />
            ),
          ),
        )}
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
