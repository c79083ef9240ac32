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
const RatingsPage = lazy(() => import('./pages/ratings/RatingsPage'));
const AllocationsPage = lazy(() => import('./pages/funds/AllocationsPage'));
const FundsPage = lazy(() => import('./pages/funds/FundsPage'));
const NotFoundPage = lazy(() => import('./pages/NotFoundPage'));
const NeedsPage = lazy(() => import('./pages/needs/NeedsPage'));
const ResidentAnswerPage = lazy(() => import('./pages/needs/ResidentAnswerPage'));
const PosterPage = lazy(() => import('./pages/needs/PosterPage'));
const DecisionsPage = lazy(() => import('./pages/decisions/DecisionsPage'));
const PublicNoticePage = lazy(() => import('./pages/decisions/PublicNoticePage'));

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
      {/* Public resident pages (no login): the answer page and its printable QR poster. */}
      <Route path="/r/:campaignId" element={<Suspense fallback={<PageLoading fullscreen />}><ResidentAnswerPage /></Suspense>} />
      <Route path="/r/:campaignId/poster" element={<Suspense fallback={<PageLoading fullscreen />}><PosterPage /></Suspense>} />
      {/* Public notice of a decision with the representatives' objection form, printable as an A4 notice. */}
      <Route path="/n/:noticeId" element={<Suspense fallback={<PageLoading fullscreen />}><PublicNoticePage /></Suspense>} />
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
        <Route path="ratings" element={<RequirePermission permission="ratings:read"><RatingsPage /></RequirePermission>} />
        <Route path="allocations" element={<RequirePermission permission="ledger:read"><AllocationsPage /></RequirePermission>} />
        <Route path="funds" element={<RequirePermission permission="ledger:read"><FundsPage /></RequirePermission>} />
        <Route path="funds/:year/:code" element={<RequirePermission permission="ledger:read"><FundsPage /></RequirePermission>} />
        <Route path="needs" element={<RequirePermission permission="needs:read"><NeedsPage /></RequirePermission>} />
        <Route path="needs/:id" element={<RequirePermission permission="needs:read"><NeedsPage /></RequirePermission>} />
        <Route path="decisions" element={<RequirePermission permission="decisions:read"><DecisionsPage /></RequirePermission>} />
        <Route path="decisions/:id" element={<RequirePermission permission="decisions:read"><DecisionsPage /></RequirePermission>} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
