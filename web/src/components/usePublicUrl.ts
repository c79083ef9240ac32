import { useQuery } from '@tanstack/react-query';
import { client, data } from '../api/client';

/**
 * The address residents reach a public page at, from the server's `PUBLIC_BASE_URL`
 * (`GET /api/public/site`): what QR posters and share links print. Never the host this page was
 * opened on (an intranet address or a tunnel would end on every poster). Null while loading.
 */
export function usePublicUrl(path: string): string | null {
  const site = useQuery({
    queryKey: ['public-site'],
    queryFn: ({ signal }) => data(client.GET('/api/public/site', { signal })),
    staleTime: Infinity,
  });
  return site.data ? `${site.data.publicBaseUrl}${path}` : null;
}
