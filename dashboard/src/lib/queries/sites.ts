import { useQuery } from '@tanstack/react-query';
import type { RealtimeVisitors, SiteStatus, SiteView } from '@sightline/api-contract';
import { apiFetch } from '../api-client';
import { queryKeys } from './keys';

export const sitePath = (domain: string) => `/api/sites/${encodeURIComponent(domain)}`;

export function useSitesQuery(orgId: string | null) {
  return useQuery({
    queryKey: queryKeys.sites(orgId ?? ''),
    queryFn: ({ signal }) =>
      apiFetch<SiteView[]>(`/api/orgs/${encodeURIComponent(orgId ?? '')}/sites`, { signal }),
    enabled: orgId !== null,
  });
}

export function useSiteQuery(domain: string) {
  return useQuery({
    queryKey: queryKeys.site(domain),
    queryFn: ({ signal }) => apiFetch<SiteView>(sitePath(domain), { signal }),
    retry: (count, error) =>
      count < 2 && !('status' in error && (error.status === 404 || error.status === 403)),
  });
}

/** Polls every 2 s until the first event has arrived. */
export function useSiteStatusQuery(domain: string) {
  return useQuery({
    queryKey: queryKeys.siteStatus(domain),
    queryFn: ({ signal }) => apiFetch<SiteStatus>(`${sitePath(domain)}/status`, { signal }),
    refetchInterval: (query) => (query.state.data?.hasEvents ? false : 2000),
    refetchIntervalInBackground: true,
  });
}

/** HTTP fallback for the live visitor count while the WebSocket is not connected. */
export function useRealtimeVisitorsQuery(domain: string, enabled: boolean) {
  return useQuery({
    queryKey: queryKeys.siteRealtime(domain),
    queryFn: ({ signal }) => apiFetch<RealtimeVisitors>(`${sitePath(domain)}/realtime`, { signal }),
    enabled,
    refetchInterval: enabled ? 30_000 : false,
  });
}
