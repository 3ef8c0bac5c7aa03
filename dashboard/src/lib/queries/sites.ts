import { useQuery } from '@tanstack/react-query';
import type { RealtimeVisitors, SiteStatus, SiteView } from '@sightline/api-contract';
import { apiFetch } from '../api-client';
import { queryKeys } from './keys';
import { useStatsRoutes } from '../stats-endpoint';

export const sitePath = (domain: string) => `/api/sites/${encodeURIComponent(domain)}`;

export function useSitesQuery(orgId: string | null) {
  return useQuery({
    queryKey: queryKeys.sites(orgId ?? ''),
    queryFn: ({ signal }) =>
      apiFetch<SiteView[]>(`/api/orgs/${encodeURIComponent(orgId ?? '')}/sites`, { signal }),
    enabled: orgId !== null,
  });
}

export function useSiteQuery(domain: string, options: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: queryKeys.site(domain),
    queryFn: ({ signal }) => apiFetch<SiteView>(sitePath(domain), { signal }),
    retry: (count, error) =>
      count < 2 && !('status' in error && (error.status === 404 || error.status === 403)),
    enabled: options.enabled ?? true,
  });
}

/** The currency revenue is shown in: a shared link's site's (it has no access to the site), or the member's site's. */
export function useSiteCurrency(domain: string): string {
  const { currency } = useStatsRoutes();
  const site = useSiteQuery(domain, { enabled: currency === undefined });
  return currency ?? site.data?.currency ?? 'USD';
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
