import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { VitalsRequest, VitalsResponse } from '@sightline/query/src/vitals-contract';
import { apiFetch } from '../api-client';
import { queryKeys } from './keys';

/** `POST /api/v2/vitals`: the Performance panel's numbers (under the stats keys, so live refresh updates it). */
export function useVitalsQuery(body: VitalsRequest, options: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: [...queryKeys.statsAll, 'vitals', body],
    queryFn: ({ signal }) => apiFetch<VitalsResponse>('/api/v2/vitals', { method: 'POST', body, signal }),
    placeholderData: keepPreviousData,
    staleTime: 30_000,
    enabled: options.enabled ?? true,
  });
}
