import { createContext, useContext } from 'react';
import { useQuery } from '@tanstack/react-query';
import { authApi } from '../api/endpoints';
import { isApiError } from '../api/client';
import type { Permission, SessionUser } from '../api/endpoints';

export const ME_QUERY_KEY = ['auth', 'me'] as const;

/** The signed-in account, or null when there is no valid session (401). */
export function useMeQuery() {
  return useQuery<SessionUser | null>({
    queryKey: ME_QUERY_KEY,
    queryFn: async ({ signal }) => {
      try {
        return (await authApi.me(signal)).user;
      } catch (error) {
        if (isApiError(error) && error.statusCode === 401) return null;
        throw error;
      }
    },
    staleTime: 5 * 60 * 1000,
    retry: false,
  });
}

export interface Session {
  user: SessionUser;
  can: (permission: Permission) => boolean;
}

export const SessionContext = createContext<Session | null>(null);

/** The session of a page inside <RequireAuth>; throws elsewhere. */
export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession must be used inside <RequireAuth>');
  return session;
}

export const makeSession = (user: SessionUser): Session => ({
  user,
  can: (permission) => user.permissions.includes(permission),
});
