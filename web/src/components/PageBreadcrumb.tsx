import type { ReactNode } from 'react';
import { Link, matchPath, useLocation } from 'react-router';
import { Breadcrumb } from 'antd';
import { firstSegment, ROUTES } from '../routes';

/**
 * 面包屑 of a detail page: 首页 / the list page it belongs to (its title from the route table) /
 * any `parents` / the record (`current`). A page with its own route title under the list (名册) shows it
 * when no `current` is given.
 */
export function PageBreadcrumb({ current, parents = [] }: { current?: ReactNode; parents?: { title: ReactNode; to: string }[] }) {
  const { pathname } = useLocation();
  const pages = ROUTES.filter((r) => !r.public);
  const list = pages.find((r) => r.path !== '/' && firstSegment(r.path) === firstSegment(pathname) && !r.path.includes(':'));
  const own = pages.find((r) => r !== list && r.path.includes(':') && matchPath(r.path, pathname));
  const last = current ?? own?.title ?? '详情';
  return (
    <Breadcrumb
      data-testid="page-breadcrumb"
      style={{ marginBottom: 8 }}
      items={[
        { title: <Link to="/">首页</Link> },
        ...(list ? [{ title: <Link to={list.path}>{list.title}</Link> }] : []),
        ...parents.map((p) => ({ title: <Link to={p.to}>{p.title}</Link> })),
        { title: last },
      ]}
    />
  );
}
