import type { ReactNode } from 'react';
import type { Permission } from '../api/endpoints';
import { firstSegment, ROUTES } from '../routes';

export interface NavItem {
  key: string;
  path: string;
  label: string;
  icon: ReactNode;
  permission?: Permission;
  description: string;
}

/** The side menu and the dashboard's quick links, from the route table; an item shows only with its permission. */
export const NAV_ITEMS: NavItem[] = ROUTES.flatMap((route) =>
  route.menu && !route.public
    ? [
        {
          key: route.key,
          path: route.path,
          label: route.title,
          icon: route.menu.icon,
          permission: route.permission,
          description: route.menu.description,
        },
      ]
    : [],
);

export function visibleNavItems(can: (p: Permission) => boolean): NavItem[] {
  return NAV_ITEMS.filter((item) => !item.permission || can(item.permission));
}

/** The menu item of a URL: the page whose URLs start with the same segment (a record opens under its list), else home. */
export function activeNavKey(pathname: string): string {
  const first = firstSegment(pathname);
  return NAV_ITEMS.find((item) => firstSegment(item.path) === first)?.key ?? 'home';
}
