import type { ReactNode } from 'react';
import { Result } from 'antd';
import type { Permission } from '../api/endpoints';
import { useSession } from './session';

/** Shows a 403 result instead of a page the account's role may not open. */
export function RequirePermission({ permission, children }: { permission: Permission; children: ReactNode }) {
  const { can } = useSession();
  if (!can(permission)) {
    return <Result status="403" title="无权访问" subTitle="当前角色无权查看此页面。" />;
  }
  return <>{children}</>;
}
