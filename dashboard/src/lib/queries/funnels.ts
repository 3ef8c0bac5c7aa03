import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { FunnelBody, FunnelView } from '@sightline/api-contract';
import type { FunnelResult } from '@sightline/query/src/funnel-response';
import { apiFetch } from '../api-client';
import type { DateRange, Filter } from '../query-types';
import { MEMBER_STATS_ROUTES, useStatsRoutes, type StatsRoutes } from '../stats-endpoint';

export type { FunnelResult, FunnelStep, FunnelStepResult } from '@sightline/query/src/funnel-response';

// Editing is for members only: their routes, whatever the panels around read from.
const path = MEMBER_STATS_ROUTES.funnels;
const funnelsKey = (domain: string, routes: StatsRoutes = MEMBER_STATS_ROUTES) =>
  ['sites', domain, 'funnels', routes.scope] as const;

/** The request body of a funnel run: the dashboard's period and filters. */
export interface FunnelQueryBody {
  date_range: DateRange;
  filters: Filter[];
}

/** The site's funnels, from the members' route or a shared link's (StatsRoutesProvider). */
export function useFunnelsQuery(domain: string) {
  const routes = useStatsRoutes();
  return useQuery({
    queryKey: funnelsKey(domain, routes),
    queryFn: ({ signal }) => apiFetch<FunnelView[]>(routes.funnels(domain), { signal }),
  });
}

export function runFunnel(
  domain: string,
  id: string,
  body: FunnelQueryBody,
  signal?: AbortSignal,
  routes: StatsRoutes = MEMBER_STATS_ROUTES,
) {
  return apiFetch<FunnelResult>(routes.funnelQuery(domain, id), { method: 'POST', body, signal });
}

/** Under the `stats` key, so live updates refetch it with the other widgets. */
export function useFunnelResultQuery(domain: string, id: string | null, body: FunnelQueryBody) {
  const routes = useStatsRoutes();
  return useQuery({
    queryKey: ['stats', 'funnel', routes.scope, domain, id, body] as const,
    queryFn: ({ signal }) => runFunnel(domain, id ?? '', body, signal, routes),
    enabled: id !== null,
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
}

export function useSaveFunnel(domain: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string | null; body: FunnelBody }) =>
      id
        ? apiFetch<FunnelView>(`${path(domain)}/${encodeURIComponent(id)}`, { method: 'PUT', body })
        : apiFetch<FunnelView>(path(domain), { method: 'POST', body }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['sites', domain, 'funnels'] }),
  });
}

export function useDeleteFunnel(domain: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      apiFetch<void>(`${path(domain)}/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['sites', domain, 'funnels'] }),
  });
}
