// The console's entry (index.html). The residents' pages have their own light entry: portal-main.tsx (ADR 0019).
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { isApiError } from './api/client';
import { QUERY_DEFAULTS } from './api/query-defaults';
import { ME_QUERY_KEY } from './auth/session';
import { AppRoutes } from './AppRoutes';
import { AntdProvider } from './AntdProvider';
import './styles.css';

/**
 * A 401 from any request means the session ended: forget the account so the guard redirects to /login.
 * A 403 PASSWORD_CHANGE_REQUIRED means the account's password was reset meanwhile: reload the account,
 * so that the guard shows 修改初始密码.
 */
function onUnauthenticated(error: unknown) {
  if (isApiError(error) && error.statusCode === 401) {
    queryClient.setQueryData(ME_QUERY_KEY, null);
  } else if (isApiError(error) && error.code === 'PASSWORD_CHANGE_REQUIRED') {
    void queryClient.invalidateQueries({ queryKey: ME_QUERY_KEY });
  }
}

const queryClient: QueryClient = new QueryClient({
  queryCache: new QueryCache({
    onError: (error, query) => {
      if (query.queryKey[0] === ME_QUERY_KEY[0] && query.queryKey[1] === ME_QUERY_KEY[1]) return;
      onUnauthenticated(error);
    },
  }),
  mutationCache: new MutationCache({
    onError: (error, _variables, _context, mutation) => {
      if (mutation.options.meta?.['skipAuthRedirect']) return;
      onUnauthenticated(error);
    },
  }),
  defaultOptions: QUERY_DEFAULTS,
});

const root = document.getElementById('root');
if (!root) throw new Error('#root missing');

createRoot(root).render(
  <StrictMode>
    <AntdProvider>
      <QueryClientProvider client={queryClient}>
        <BrowserRouter>
          <AppRoutes />
        </BrowserRouter>
      </QueryClientProvider>
    </AntdProvider>
  </StrictMode>,
);
