import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { FunnelBody, FunnelView } from '@sightline/api-contract';
import type { FunnelResult } from '@sightline/query/src/funnel-response';
import { apiFetch } from '../api-client';
import type { DateRange, Filter } from '../query-types';
import { sitePath } from './sites';

export type { FunnelResult, FunnelStep, FunnelStepResult } from '@sightline/query/src/funnel-response';

const path = (domain: string) => `${sitePath(domain)}/funnels`;
const funnelsKey = (domain: string) => ['sites', domain, 'funnels'] as const;

/** The request body of a funnel run: the dashboard's period and filters. */
export interface FunnelQueryBody {
  date_range: DateRange;
  filters: Filter[];
}

export function useFunnelsQuery(domain: string) {
  return useQuery({
    queryKey: funnelsKey(domain),
    queryFn: ({ signal }) => apiFetch<FunnelView[]>(path(domain), { signal }),
  });
}

export function runFunnel(domain: string, id: string, body: FunnelQueryBody, signal?: AbortSignal) {
  return apiFetch<FunnelResult>(`${path(domain)}/${encodeURIComponent(id)}/query`, {
    method: 'POST',
    body,
    signal,
  });
}

/** Under the `stats` key, so live updates refetch it with the other widgets. */
export function useFunnelResultQuery(domain: string, id: string | null, body: FunnelQueryBody) {
  return useQuery({
    queryKey: ['stats', 'funnel', domain, id, body] as const,
    queryFn: ({ signal }) => runFunnel(domain, id ?? '', body, signal),
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
    onSuccess: () => queryClient.invalidateQueries({ queryKey: funnelsKey(domain) }),
  });
}

export function useDeleteFunnel(domain: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      apiFetch<void>(`${path(domain)}/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: funnelsKey(domain) }),
  });
}
