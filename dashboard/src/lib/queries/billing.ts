import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { BillingView, CheckoutBody, PlanView, RedirectView } from '@sightline/api-contract';
import { apiFetch } from '../api-client';
import { queryKeys } from './keys';
import { orgPath } from './orgs';

export function usePlansQuery() {
  return useQuery({
    queryKey: queryKeys.plans,
    queryFn: ({ signal }) => apiFetch<PlanView[]>('/api/plans', { signal }),
    staleTime: 60 * 60 * 1000,
  });
}

/** The org's plan, usage and quota state; refreshed every minute (the banner reads it on every page). */
export function useBillingQuery(orgId: string | undefined) {
  return useQuery({
    queryKey: queryKeys.billing(orgId ?? ''),
    queryFn: ({ signal }) => apiFetch<BillingView>(`${orgPath(orgId ?? '')}/billing`, { signal }),
    enabled: !!orgId,
    refetchInterval: 60_000,
  });
}

/** Starts Stripe Checkout and leaves for it. */
export function useCheckoutMutation(orgId: string) {
  return useMutation({
    mutationFn: (body: CheckoutBody) =>
      apiFetch<RedirectView>(`${orgPath(orgId)}/billing/checkout`, { method: 'POST', body }),
    onSuccess: ({ url }) => window.location.assign(url),
  });
}

/** Opens the Stripe Customer Portal. */
export function usePortalMutation(orgId: string) {
  return useMutation({
    mutationFn: () => apiFetch<RedirectView>(`${orgPath(orgId)}/billing/portal`, { method: 'POST' }),
    onSuccess: ({ url }) => window.location.assign(url),
  });
}

/** Back from checkout: sync the subscription at once, so the new plan shows before the webhook lands. */
export function useCheckoutSyncMutation(orgId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (sessionId: string) =>
      apiFetch<BillingView>(`${orgPath(orgId)}/billing/sync`, { method: 'POST', body: { sessionId } }),
    onSuccess: (view) => queryClient.setQueryData(queryKeys.billing(orgId), view),
  });
}
