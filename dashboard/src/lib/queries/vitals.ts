import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { VitalsRequest, VitalsResponse } from '@sightline/query/src/vitals-contract';
import { apiFetch } from '../api-client';
import { useStatsRoutes } from '../stats-endpoint';
import { queryKeys } from './keys';

/**
 * `POST /api/v2/vitals` (or a shared link's copy): the Performance panel's numbers, under the stats
 * keys, so live refresh updates it.
 */
export function useVitalsQuery(body: VitalsRequest, options: { enabled?: boolean } = {}) {
  const endpoint = useStatsRoutes().vitals;
  return useQuery({
    queryKey: queryKeys.stats(body, endpoint),
    queryFn: ({ signal }) => apiFetch<VitalsResponse>(endpoint, { method: 'POST', body, signal }),
    placeholderData: keepPreviousData,
    staleTime: 30_000,
    enabled: options.enabled ?? true,
  });
}
