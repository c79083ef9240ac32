import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { regionsApi } from '../../api/endpoints';
import type { CommunityListQuery } from '../../api/endpoints';

export const regionKeys = {
  all: ['regions'] as const,
  scope: () => ['regions', 'scope'] as const,
  detail: (code: string) => ['regions', 'detail', code] as const,
  communities: (code: string, query: CommunityListQuery) => ['regions', 'communities', code, query] as const,
};

export const useScopeRoot = () =>
  useQuery({ queryKey: regionKeys.scope(), queryFn: ({ signal }) => regionsApi.scope(signal), staleTime: 5 * 60_000 });

export const useRegionDetail = (code: string) =>
  useQuery({ queryKey: regionKeys.detail(code), queryFn: ({ signal }) => regionsApi.detail(code, signal) });

export const useCommunities = (code: string, query: CommunityListQuery, enabled = true) =>
  useQuery({
    queryKey: regionKeys.communities(code, query),
    queryFn: ({ signal }) => regionsApi.communities(code, query, signal),
    placeholderData: keepPreviousData,
    enabled,
  });
