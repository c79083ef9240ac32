import { lazy, Suspense } from 'react';
import { Route, Routes } from 'react-router';
import { RequireAuth } from './auth/RequireAuth';
import { RequirePermission } from './auth/RequirePermission';
import { PageLoading } from './components/PageLoading';
import { AppLayout } from './layout/AppLayout';

// Each page is its own chunk.
const LoginPage = lazy(() => import('./pages/login/LoginPage'));
const DashboardPage = lazy(() => import('./pages/dashboard/DashboardPage'));
const RegionsPage = lazy(() => import('./pages/regions/RegionsPage'));
const PolicyPage = lazy(() => import('./pages/policy/PolicyPage'));
const CalendarPage = lazy(() => import('./pages/calendar/CalendarPage'));
const AuditPage = lazy(() => import('./pages/audit/AuditPage'));
const UsersPage = lazy(() => import('./pages/users/UsersPage'));
const NotFoundPage = lazy(() => import('./pages/NotFoundPage'));

export function AppRoutes() {
  return (
    <Routes>
      <Route
        path="/login"
        element={
          <Suspense fallback={<PageLoading fullscreen />}>
            <LoginPage />
          </Suspense>
        }
      />
      <Route
        element={
          <RequireAuth>
            <AppLayout />
          </RequireAuth>
        }
      >
        <Route index element={<DashboardPage />} />
        <Route
          path="regions"
          element={
            <RequirePermission permission="regions:read">
              <RegionsPage />
            </RequirePermission>
          }
        />
        <Route
          path="regions/:code"
          element={
            <RequirePermission permission="regions:read">
              <RegionsPage />
            </RequirePermission>
          }
        />
        <Route
          path="policy"
          element={
            <RequirePermission permission="policy:read">
              <PolicyPage />
            </RequirePermission>
          }
        />
        <Route
          path="calendar"
          element={
            <RequirePermission permission="calendar:read">
              <CalendarPage />
            </RequirePermission>
          }
        />
        <Route
          path="audit"
          element={
            <RequirePermission permission="audit:read">
              <AuditPage />
            </RequirePermission>
          }
        />
        <Route
          path="users"
          element={
            <RequirePermission permission="users:read">
              <UsersPage />
            </RequirePermission>
          }
        />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
