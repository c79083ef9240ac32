import type { ReactNode } from 'react';
import {
  AccountBookOutlined,
  AuditOutlined,
  CalendarOutlined,
  ClusterOutlined,
  FileTextOutlined,
  FormOutlined,
  HomeOutlined,
  MoneyCollectOutlined,
  StarOutlined,
  TeamOutlined,
} from '@ant-design/icons';
import type { Permission } from '../api/types';

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
