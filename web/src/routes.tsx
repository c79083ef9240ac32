import { lazy, type ComponentType, type LazyExoticComponent, type ReactNode } from 'react';
import {
  AccountBookOutlined,
  AuditOutlined,
  BellOutlined,
  CalendarOutlined,
  CheckSquareOutlined,
  ClusterOutlined,
  DashboardOutlined,
  EyeOutlined,
  FileDoneOutlined,
  FileProtectOutlined,
  FileTextOutlined,
  FormOutlined,
  HomeOutlined,
  IdcardOutlined,
  MoneyCollectOutlined,
  SafetyCertificateOutlined,
  ShopOutlined,
  SolutionOutlined,
  StarOutlined,
  TeamOutlined,
  TransactionOutlined,
  TrophyOutlined,
  UserSwitchOutlined,
  NotificationOutlined,
} from '@ant-design/icons';
import type { Permission } from './api/endpoints';
import { PORTAL_ROUTES } from './portalRoutes';

/**
 * One row per page of the web app. The router (`AppRoutes`), the side menu and the dashboard's
 * quick links (`layout/menu`) are all derived from this table: a page is added, moved or guarded here
 * and nowhere else.
 */
export interface AppRoute {
  /** Stable key: the menu item's key, and the first segment of the page's URLs. */
  key: string;
  /** The page's URL; in the console the menu links to it. */
  path: string;
  /** Further URLs that show the same page: a record inside it (`/plans/:id`) or a variant. */
  subPaths?: string[];
  title: string;
  /** Each page is its own chunk. */
  page: LazyExoticComponent<ComponentType>;
  /** Public pages render on their own, without login; every other page renders in the console shell. */
  public?: boolean;
  /** Without it the page shows a 403 result; in the console only. */
  permission?: Permission;
  /** Pages listed in the side menu and the dashboard's quick links (shown only with their permission). */
  menu?: { icon: ReactNode; description: string };
}

export const ROUTES: AppRoute[] = [
  // Public pages (no login).
  { key: 'login', path: '/login', title: '登录', public: true, page: lazy(() => import('./pages/login/LoginPage')) },
  // The residents' pages (portal, needs answer page, public notice): their own light entry too (portalRoutes.tsx).
  ...PORTAL_ROUTES,

  // The console, in menu order.
  {
    key: 'home',
    path: '/',
    title: '首页',
    page: lazy(() => import('./pages/dashboard/DashboardPage')),
    menu: { icon: <HomeOutlined />, description: '账号信息与常用入口' },
  },
  {
    key: 'regions',
    path: '/regions',
    subPaths: ['/regions/:code'],
    title: '区域与社区',
    page: lazy(() => import('./pages/regions/RegionsPage')),
    permission: 'regions:read',
    menu: { icon: <ClusterOutlined />, description: '沈阳市—区县—街道（乡镇）—社区，社区星级与基本情况' },
  },
  {
    key: 'households',
    path: '/households',
    subPaths: ['/households/:code'],
    title: '居民户登记',
    page: lazy(() => import('./pages/households/HouseholdsPage')),
    permission: 'households:read',
    menu: { icon: <IdcardOutlined />, description: '社区住户台账、居民代表与议事会成员名册，CSV / Excel 导入' },
  },
  {
    key: 'households',
    path: '/households/:code/roster',
    title: '居民代表与议事会成员',
    page: lazy(() => import('./pages/households/RosterPage')),
    permission: 'households:read',
  },
  {
    key: 'needs',
    path: '/needs',
    subPaths: ['/needs/:id'],
    title: '需求征集',
    page: lazy(() => import('./pages/needs/NeedsPage')),
    permission: 'needs:read',
    menu: { icon: <FormOutlined />, description: '居民需求征集、入户覆盖率、提案与项目清单' },
  },
  {
    key: 'decisions',
    path: '/decisions',
    subPaths: ['/decisions/:id'],
    title: '民主决策与公示',
    page: lazy(() => import('./pages/decisions/DecisionsPage')),
    permission: 'decisions:read',
    menu: { icon: <TeamOutlined />, description: '议事程序、居民议事会表决、公示与居民代表异议' },
  },
  {
    key: 'plans',
    path: '/plans',
    subPaths: ['/plans/:id'],
    title: '使用方案与备案',
    page: lazy(() => import('./pages/plans/PlansPage')),
    permission: 'plans:read',
    menu: { icon: <SolutionOutlined />, description: '使用方案编制与合规检查、街道初审、区/市备案' },
  },
  {
    key: 'providers',
    path: '/providers',
    title: '承接主体',
    page: lazy(() => import('./pages/procurement/ProvidersPage')),
    permission: 'providers:read',
    menu: { icon: <ShopOutlined />, description: '社工站、社会组织、高校科研院所名录与年度承接资格' },
  },
  {
    key: 'contracts',
    path: '/contracts',
    subPaths: ['/contracts/:id'],
    title: '服务合同',
    page: lazy(() => import('./pages/procurement/ContractsPage')),
    permission: 'procurement:read',
    menu: { icon: <FileProtectOutlined />, description: '采购与合同、分期付款、活动记录与方案调整' },
  },
  {
    key: 'payments',
    path: '/payments',
    title: '拨付审批',
    page: lazy(() => import('./pages/procurement/PaymentsPage')),
    permission: 'payments:approve',
    menu: { icon: <TransactionOutlined />, description: '承接主体的拨付申请，街道审核后拨付' },
  },
  {
    key: 'evaluations',
    path: '/evaluations',
    subPaths: ['/evaluations/rounds/:roundId', '/evaluations/assignments/:assignmentId'],
    title: '项目评估',
    page: lazy(() => import('./pages/evaluation/EvaluationsPage')),
    permission: 'evaluations:read',
    menu: { icon: <CheckSquareOutlined />, description: '中期、终期评估：第三方或评审会，加权评分与等次' },
  },
  {
    key: 'district-reports',
    path: '/district-reports',
    subPaths: ['/district-reports/:id'],
    title: '评估报告',
    page: lazy(() => import('./pages/evaluation/ReportsPage')),
    permission: 'reports:read',
    menu: { icon: <FileDoneOutlined />, description: '各区中期、终期评估报告，报送市民政局' },
  },
  {
    key: 'supervision',
    path: '/supervision',
    subPaths: ['/supervision/spot-checks/:id'],
    title: '抽查与督导',
    page: lazy(() => import('./pages/evaluation/SupervisionPage')),
    permission: 'supervision:read',
    menu: { icon: <SafetyCertificateOutlined />, description: '市级随机抽查、街道督导、问题整改' },
  },
  {
    key: 'model-cases',
    path: '/model-cases',
    title: '典型案例',
    page: lazy(() => import('./pages/evaluation/ModelCasesPage')),
    permission: 'cases:read',
    menu: { icon: <TrophyOutlined />, description: '优秀项目的做法与成效，发布到公开门户' },
  },
  {
    key: 'city-dashboard',
    path: '/city-dashboard',
    title: '工作台',
    page: lazy(() => import('./pages/evaluation/CityDashboardPage')),
    permission: 'dashboard:read',
    menu: { icon: <DashboardOutlined />, description: '流程漏斗、资金、逾期事项与评估等次' },
  },
  {
    key: 'disclosure',
    path: '/disclosure',
    title: '信息公开监测',
    page: lazy(() => import('./pages/disclosure/DisclosureMonitorPage')),
    permission: 'plans:read',
    menu: { icon: <EyeOutlined />, description: '各社区事前、事中、事后公开情况，逾期或缺失的提醒 [N 4.2]' },
  },
  {
    key: 'todo',
    path: '/todo',
    title: '待办',
    page: lazy(() => import('./pages/todo/TodoPage')),
    menu: { icon: <BellOutlined />, description: '等待我处理的事项、期限与站内消息' },
  },
  {
    key: 'policy',
    path: '/policy',
    title: '年度政策',
    page: lazy(() => import('./pages/policy/PolicyPage')),
    permission: 'policy:read',
    menu: { icon: <FileTextOutlined />, description: '各年度奖补标准、名额、公示与评估规则' },
  },
  {
    key: 'years',
    path: '/years/:year',
    title: '开启新年度',
    page: lazy(() => import('./pages/years/YearOpeningPage')),
    permission: 'policy:read',
  },
  {
    key: 'calendar',
    path: '/calendar',
    title: '工作日历',
    page: lazy(() => import('./pages/calendar/CalendarPage')),
    permission: 'calendar:read',
    menu: { icon: <CalendarOutlined />, description: '法定节假日与调休，工作日与公示期计算' },
  },
  {
    key: 'ratings',
    path: '/ratings',
    title: '星级评定',
    page: lazy(() => import('./pages/ratings/RatingsPage')),
    permission: 'ratings:read',
    menu: { icon: <StarOutlined />, description: '年度社区星级评定，Excel 导入与更正' },
  },
  {
    key: 'allocations',
    path: '/allocations',
    title: '资金下达',
    page: lazy(() => import('./pages/funds/AllocationsPage')),
    permission: 'ledger:read',
    menu: { icon: <MoneyCollectOutlined />, description: '按上年星级计算奖补资金，市财政局确认下达' },
  },
  {
    key: 'funds',
    path: '/funds',
    subPaths: ['/funds/:year/:code'],
    title: '资金台账',
    page: lazy(() => import('./pages/funds/FundsPage')),
    permission: 'ledger:read',
    menu: { icon: <AccountBookOutlined />, description: '市—区县—街道—社区的下达、占用、拨付与可用' },
  },
  {
    key: 'audit',
    path: '/audit',
    title: '审计日志',
    page: lazy(() => import('./pages/audit/AuditPage')),
    permission: 'audit:read',
    menu: { icon: <AuditOutlined />, description: '全部操作留痕，哈希链校验' },
  },
  {
    key: 'users',
    path: '/users',
    title: '账号管理',
    page: lazy(() => import('./pages/users/UsersPage')),
    permission: 'users:read',
    menu: { icon: <UserSwitchOutlined />, description: '本辖区的账号：新增、批量导入、重置密码、停用与启用' },
  },
  {
    key: 'notify',
    path: '/notify',
    title: '提醒设置',
    page: lazy(() => import('./pages/notify/NotifyPage')),
    permission: 'users:write',
    menu: { icon: <NotificationOutlined />, description: '待办提醒发往邮箱与企业微信、钉钉群：每日汇总与临期、逾期即时提醒' },
  },
];

/** Every URL of a page. */
export const routePaths = (route: AppRoute): string[] => [route.path, ...(route.subPaths ?? [])];

/** The first segment of a URL: '/plans/12' → 'plans', '/' → ''. */
export const firstSegment = (pathname: string): string => pathname.split('/')[1] ?? '';
