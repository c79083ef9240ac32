import { useCallback, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { regionsApi, type RegionSummary } from '../api/endpoints';

/** What the region trees need of a region (the regions API's RegionView, or a scope root). */
export type RegionRef = Pick<RegionSummary, 'code' | 'name' | 'level'>;

/**
 * The children of each region opened so far, loaded a level at a time from GET /api/regions/:code
 * through the query client (so every tree and the 区域与社区 page share one cache). Used by the
 * region picker (TreeSelect) and the accounts page's region tree.
 */
export function useRegionChildren() {
  const queryClient = useQueryClient();
  const [children, setChildren] = useState<Record<string, RegionRef[]>>({});
  const load = useCallback(
    async (code: string) => {
      const detail = await queryClient.fetchQuery({
        queryKey: ['regions', 'detail', code],
        queryFn: ({ signal }) => regionsApi.detail(code, signal),
      });
      setChildren((loaded) => ({ ...loaded, [code]: detail.children }));
    },
    [queryClient],
  );
  return { children, load };
}
