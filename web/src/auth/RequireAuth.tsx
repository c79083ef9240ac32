import { lazy, Suspense, useMemo, type ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { Button, Result } from 'antd';
import { errorMessage } from '../api/client';
import { PageLoading } from '../components/PageLoading';
import { makeSession, SessionContext, useMeQuery } from './session';

const ChangePasswordPage = lazy(() => import('../pages/login/ChangePasswordPage'));

/**
 * Renders its children only with a signed-in account; otherwise sends the visitor to /login. An account
 * still on a one-time password sees only 修改初始密码 (the server refuses it everything else).
 */
export function RequireAuth({ children }: { children: ReactNode }) {
  const me = useMeQuery();
  const location = useLocation();
  const user = me.data ?? null;
  const session = useMemo(() => (user ? makeSession(user) : null), [user]);

  if (me.isPending) return <PageLoading fullscreen />;
  if (me.isError && !user) {
    return (
      <Result
        status="warning"
        title="暂时无法获取登录状态"
        subTitle={errorMessage(me.error)}
        extra={
          <Button type="primary" onClick={() => void me.refetch()}>
            重试
          </Button>
        }
      />
    );
  }
  if (!session) {
    const from = `${location.pathname}${location.search}`;
    return <Navigate to="/login" replace state={{ from }} />;
  }
  return (
    <SessionContext.Provider value={session}>
      {session.user.mustChangePassword ? (
        <Suspense fallback={<PageLoading fullscreen />}>
          <ChangePasswordPage />
        </Suspense>
      ) : (
        children
      )}
    </SessionContext.Provider>
  );
}
