import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { apiFetch } from '../api-client';
import type { QueryRequest, QueryResponse } from '../query-types';
import { useStatsEndpoint } from '../stats-endpoint';
import { queryKeys } from './keys';

/** One call of the Stats API v2 (or a shared link's copy of it); every dashboard widget is one of these. */
export function useStatsQuery(body: QueryRequest, options: { enabled?: boolean } = {}) {
  const endpoint = useStatsEndpoint();
  return useQuery({
    queryKey: queryKeys.stats(body, endpoint),
    queryFn: ({ signal }) => apiFetch<QueryResponse>(endpoint, { method: 'POST', body, signal }),
    // Keep the old numbers on screen while a new period or filter loads, instead of flashing skeletons.
    placeholderData: keepPreviousData,
    staleTime: 30_000,
    enabled: options.enabled ?? true,
  });
}
