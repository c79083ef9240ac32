import type { DefaultOptions } from '@tanstack/react-query';
import { isApiError } from './client';

/**
 * The query defaults both entries (the console's main.tsx and the residents' portal-main.tsx) share:
 * data is fresh for 30 s, no refetch on focus, and a 4xx is an answer, not a failure to retry.
 */
export const QUERY_DEFAULTS: DefaultOptions = {
  queries: {
    staleTime: 30 * 1000,
    refetchOnWindowFocus: false,
    retry: (failureCount, error) => {
      if (isApiError(error) && error.statusCode > 0 && error.statusCode < 500) return false;
      return failureCount < 2;
    },
  },
};
