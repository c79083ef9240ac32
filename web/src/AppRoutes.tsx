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
const HouseholdsPage = lazy(() => import('./pages/households/HouseholdsPage'));
const ResidentAnswerPage = lazy(() => import('./pages/needs/ResidentAnswerPage'));
const PosterPage = lazy(() => import('./pages/needs/PosterPage'));
const DecisionsPage = lazy(() => import('./pages/decisions/DecisionsPage'));
const PublicNoticePage = lazy(() => import('./pages/decisions/PublicNoticePage'));
const PlansPage = lazy(() => import('./pages/plans/PlansPage'));
const TodoPage = lazy(() => import('./pages/todo/TodoPage'));
const ProvidersPage = lazy(() => import('./pages/procurement/ProvidersPage'));
const ContractsPage = lazy(() => import('./pages/procurement/ContractsPage'));
const PaymentsPage = lazy(() => import('./pages/procurement/PaymentsPage'));
const EvaluationsPage = lazy(() => import('./pages/evaluation/EvaluationsPage'));
const ReportsPage = lazy(() => import('./pages/evaluation/ReportsPage'));
const SupervisionPage = lazy(() => import('./pages/evaluation/SupervisionPage'));
const ModelCasesPage = lazy(() => import('./pages/evaluation/ModelCasesPage'));
const CityDashboardPage = lazy(() => import('./pages/evaluation/CityDashboardPage'));
// Public portal (issue 11): no login.
const portal = () => import('./pages/portal/PortalPages');
const PortalCityPage = lazy(() => portal().then((m) => ({ default: m.PortalCityPage })));
const PortalRegionPage = lazy(() => portal().then((m) => ({ default: m.PortalRegionPage })));
const PortalCommunityPage = lazy(() => portal().then((m) => ({ default: m.PortalCommunityPage })));
const PortalProjectPage = lazy(() => portal().then((m) => ({ default: m.PortalProjectPage })));
const PortalSearchPage = lazy(() => portal().then((m) => ({ default: m.PortalSearchPage })));
const PortalOpenDataPage = lazy(() => portal().then((m) => ({ default: m.PortalOpenDataPage })));
const PortalRecordPage = lazy(() => portal().then((m) => ({ default: m.PortalRecordPage })));
const DisclosureMonitorPage = lazy(() => import('./pages/disclosure/DisclosureMonitorPage'));

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
      {/* Public portal [N 4.2]: city → district → street → community → project, search, open data, verifiable record. */}
      <Route path="/portal" element={<Suspense fallback={<PageLoading fullscreen />}><PortalCityPage /></Suspense>} />
      <Route path="/portal/d/:code" element={<Suspense fallback={<PageLoading fullscreen />}><PortalRegionPage /></Suspense>} />
      <Route path="/portal/s/:code" element={<Suspense fallback={<PageLoading fullscreen />}><PortalRegionPage /></Suspense>} />
      <Route path="/portal/c/:code" element={<Suspense fallback={<PageLoading fullscreen />}><PortalCommunityPage /></Suspense>} />
      <Route path="/portal/p/:projectId" element={<Suspense fallback={<PageLoading fullscreen />}><PortalProjectPage /></Suspense>} />
      <Route path="/portal/search" element={<Suspense fallback={<PageLoading fullscreen />}><PortalSearchPage /></Suspense>} />
      <Route path="/portal/open-data" element={<Suspense fallback={<PageLoading fullscreen />}><PortalOpenDataPage /></Suspense>} />
      <Route path="/portal/record" element={<Suspense fallback={<PageLoading fullscreen />}><PortalRecordPage /></Suspense>} />
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
        <Route path="households" element={<RequirePermission permission="households:read"><HouseholdsPage /></RequirePermission>} />
        <Route path="households/:code" element={<RequirePermission permission="households:read"><HouseholdsPage /></RequirePermission>} />
        <Route path="needs" element={<RequirePermission permission="needs:read"><NeedsPage /></RequirePermission>} />
        <Route path="needs/:id" element={<RequirePermission permission="needs:read"><NeedsPage /></RequirePermission>} />
        <Route path="decisions" element={<RequirePermission permission="decisions:read"><DecisionsPage /></RequirePermission>} />
        <Route path="decisions/:id" element={<RequirePermission permission="decisions:read"><DecisionsPage /></RequirePermission>} />
        <Route path="plans" element={<RequirePermission permission="plans:read"><PlansPage /></RequirePermission>} />
        <Route path="plans/:id" element={<RequirePermission permission="plans:read"><PlansPage /></RequirePermission>} />
        <Route path="todo" element={<TodoPage />} />
        <Route
          path="disclosure"
          element={
            <RequirePermission permission="plans:read">
              <DisclosureMonitorPage />
            </RequirePermission>
          }
        />
        <Route path="providers" element={<RequirePermission permission="providers:read"><ProvidersPage /></RequirePermission>} />
        <Route path="contracts" element={<RequirePermission permission="procurement:read"><ContractsPage /></RequirePermission>} />
        <Route path="contracts/:id" element={<RequirePermission permission="procurement:read"><ContractsPage /></RequirePermission>} />
        <Route path="payments" element={<RequirePermission permission="payments:approve"><PaymentsPage /></RequirePermission>} />
        <Route path="evaluations" element={<RequirePermission permission="evaluations:read"><EvaluationsPage /></RequirePermission>} />
        <Route path="evaluations/rounds/:roundId" element={<RequirePermission permission="evaluations:read"><EvaluationsPage /></RequirePermission>} />
        <Route path="evaluations/assignments/:assignmentId" element={<RequirePermission permission="evaluations:read"><EvaluationsPage /></RequirePermission>} />
        <Route path="district-reports" element={<RequirePermission permission="reports:read"><ReportsPage /></RequirePermission>} />
        <Route path="district-reports/:id" element={<RequirePermission permission="reports:read"><ReportsPage /></RequirePermission>} />
        <Route path="supervision" element={<RequirePermission permission="supervision:read"><SupervisionPage /></RequirePermission>} />
        <Route path="supervision/spot-checks/:id" element={<RequirePermission permission="supervision:read"><SupervisionPage /></RequirePermission>} />
        <Route path="model-cases" element={<RequirePermission permission="cases:read"><ModelCasesPage /></RequirePermission>} />
        <Route path="city-dashboard" element={<RequirePermission permission="dashboard:read"><CityDashboardPage /></RequirePermission>} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
