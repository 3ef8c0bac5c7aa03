import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { apiFetch } from '../api-client';
import type { PropertyKeysResponse, QueryRequest, QueryResponse } from '../query-types';
import { useStatsEndpoint, useStatsRoutes } from '../stats-endpoint';
import { queryKeys } from './keys';

/**
 * One call of the Stats API v2 (or a shared link's copy of it); every dashboard widget is one of
 * these. Imported history is always asked for: the engine adds it where it can
 * (meta.imports_included says when it did).
 */
export function useStatsQuery(request: QueryRequest, options: { enabled?: boolean } = {}) {
  const endpoint = useStatsEndpoint();
  const body: QueryRequest = { ...request, include: { ...request.include, imports: true } };
  return useQuery({
    queryKey: queryKeys.stats(body, endpoint),
    queryFn: ({ signal }) => apiFetch<QueryResponse>(endpoint, { method: 'POST', body, signal }),
    // Keep the old numbers on screen while a new period or filter loads, instead of flashing skeletons.
    placeholderData: keepPreviousData,
    staleTime: 30_000,
    enabled: options.enabled ?? true,
  });
}

/** The custom property keys of a period under some filters (with a goal filter: that goal's). */
export function usePropertyKeysQuery(
  body: Pick<QueryRequest, 'site_id' | 'date_range' | 'filters'>,
  options: { enabled?: boolean } = {},
) {
  const endpoint = useStatsRoutes().propertyKeys;
  return useQuery({
    queryKey: queryKeys.stats(body, endpoint),
    queryFn: ({ signal }) => apiFetch<PropertyKeysResponse>(endpoint, { method: 'POST', body, signal }),
    placeholderData: keepPreviousData,
    staleTime: 30_000,
    enabled: options.enabled ?? true,
  });
}
