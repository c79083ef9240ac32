import type { ReactNode } from 'react';
import {
  EyeOutlined,
  AccountBookOutlined,
  AuditOutlined,
  BellOutlined,
  SolutionOutlined,
  CalendarOutlined,
  ClusterOutlined,
  FileTextOutlined,
  FileProtectOutlined,
  ShopOutlined,
  TransactionOutlined,
  FormOutlined,
  HomeOutlined,
  IdcardOutlined,
  MoneyCollectOutlined,
  StarOutlined,
  TeamOutlined,
  DashboardOutlined,
  CheckSquareOutlined,
  FileDoneOutlined,
  SafetyCertificateOutlined,
  TrophyOutlined,
} from '@ant-design/icons';
import type { Permission } from '../api/endpoints';

export interface NavItem {
  key: string;
  path: string;
  label: string;
  icon: ReactNode;
  permission?: Permission;
  description: string;
}

/** The side menu and the dashboard's quick links; an item shows only with its permission. */
export const NAV_ITEMS: NavItem[] = [
  { key: 'home', path: '/', label: '首页', icon: <HomeOutlined />, description: '账号信息与常用入口' },
  {
    key: 'regions',
    path: '/regions',
    label: '区域与社区',
    icon: <ClusterOutlined />,
    permission: 'regions:read',
    description: '沈阳市—区县—街道（乡镇）—社区，社区星级与基本情况',
  },
  {
    key: 'households',
    path: '/households',
    label: '居民户登记',
    icon: <IdcardOutlined />,
    permission: 'households:read',
    description: '社区住户台账、居民代表与议事会成员名册，CSV / Excel 导入',
  },
  {
    key: 'needs',
    path: '/needs',
    label: '需求征集',
    icon: <FormOutlined />,
    permission: 'needs:read',
    description: '居民需求征集、入户覆盖率、提案与项目清单',
  },
  {
    key: 'decisions',
    path: '/decisions',
    label: '民主决策与公示',
    icon: <TeamOutlined />,
    permission: 'decisions:read',
    description: '议事程序、居民议事会表决、公示与居民代表异议',
  },
  {
    key: 'plans',
    path: '/plans',
    label: '使用方案与备案',
    icon: <SolutionOutlined />,
    permission: 'plans:read',
    description: '使用方案编制与合规检查、街道初审、区/市备案',
  },
  {
    key: 'providers',
    path: '/providers',
    label: '承接主体',
    icon: <ShopOutlined />,
    permission: 'providers:read',
    description: '社工站、社会组织、高校科研院所名录与年度承接资格',
  },
  {
    key: 'contracts',
    path: '/contracts',
    label: '服务合同',
    icon: <FileProtectOutlined />,
    permission: 'procurement:read',
    description: '采购与合同、分期付款、活动记录与方案调整',
  },
  {
    key: 'payments',
    path: '/payments',
    label: '拨付审批',
    icon: <TransactionOutlined />,
    permission: 'payments:approve',
    description: '承接主体的拨付申请，街道审核后拨付',
  },
  {
    key: 'evaluations',
    path: '/evaluations',
    label: '项目评估',
    icon: <CheckSquareOutlined />,
    permission: 'evaluations:read',
    description: '中期、终期评估：第三方或评审会，加权评分与等次',
  },
  {
    key: 'district-reports',
    path: '/district-reports',
    label: '评估报告',
    icon: <FileDoneOutlined />,
    permission: 'reports:read',
    description: '各区中期、终期评估报告，报送市民政局',
  },
  {
    key: 'supervision',
    path: '/supervision',
    label: '抽查与督导',
    icon: <SafetyCertificateOutlined />,
    permission: 'supervision:read',
    description: '市级随机抽查、街道督导、问题整改',
  },
  {
    key: 'model-cases',
    path: '/model-cases',
    label: '典型案例',
    icon: <TrophyOutlined />,
    permission: 'cases:read',
    description: '优秀项目的做法与成效，发布到公开门户',
  },
  {
    key: 'city-dashboard',
    path: '/city-dashboard',
    label: '工作台',
    icon: <DashboardOutlined />,
    permission: 'dashboard:read',
    description: '流程漏斗、资金、逾期事项与评估等次',
  },
  {
    key: 'disclosure',
    path: '/disclosure',
    label: '信息公开监测',
    icon: <EyeOutlined />,
    permission: 'plans:read',
    description: '各社区事前、事中、事后公开情况，逾期或缺失的提醒 [N 4.2]',
  },
  {
    key: 'todo',
    path: '/todo',
    label: '待办',
    icon: <BellOutlined />,
    description: '等待我处理的事项、期限与站内消息',
  },
  {
    key: 'policy',
    path: '/policy',
    label: '年度政策',
    icon: <FileTextOutlined />,
    permission: 'policy:read',
    description: '各年度奖补标准、名额、公示与评估规则',
  },
  {
    key: 'calendar',
    path: '/calendar',
    label: '工作日历',
    icon: <CalendarOutlined />,
    permission: 'calendar:read',
    description: '法定节假日与调休，工作日与公示期计算',
  },
  {
    key: 'ratings',
    path: '/ratings',
    label: '星级评定',
    icon: <StarOutlined />,
    permission: 'ratings:read',
    description: '年度社区星级评定，Excel 导入与更正',
  },
  {
    key: 'allocations',
    path: '/allocations',
    label: '资金下达',
    icon: <MoneyCollectOutlined />,
    permission: 'ledger:read',
    description: '按上年星级计算奖补资金，市财政局确认下达',
  },
  {
    key: 'funds',
    path: '/funds',
    label: '资金台账',
    icon: <AccountBookOutlined />,
    permission: 'ledger:read',
    description: '市—区县—街道—社区的下达、占用、拨付与可用',
  },
  {
    key: 'audit',
    path: '/audit',
    label: '审计日志',
    icon: <AuditOutlined />,
    permission: 'audit:read',
    description: '全部操作留痕，哈希链校验',
  },
  {
    key: 'users',
    path: '/users',
    label: '账号',
    icon: <TeamOutlined />,
    permission: 'users:read',
    description: '本辖区内的账号',
  },
];

export function visibleNavItems(can: (p: Permission) => boolean): NavItem[] {
  return NAV_ITEMS.filter((item) => !item.permission || can(item.permission));
}

export function activeNavKey(pathname: string): string {
  const first = pathname.split('/')[1] ?? '';
  return NAV_ITEMS.find((item) => item.key === first)?.key ?? 'home';
}
