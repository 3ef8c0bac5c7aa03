import { useCallback } from 'react';
import { useRouter } from 'next/navigation';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { AuthConfig, InvitationPreview, MeResponse, SessionView } from '@sightline/api-contract';
import { apiFetch } from '../api-client';
import { queryKeys } from './keys';

export function useMeQuery(options: { redirectOn401?: boolean } = {}) {
  return useQuery({
    queryKey: queryKeys.me,
    queryFn: ({ signal }) => apiFetch<MeResponse>('/api/auth/me', { signal }),
    staleTime: 60_000,
    // Public pages only peek at the session; they must not bounce to /login.
    meta: { redirectOn401: options.redirectOn401 ?? true },
  });
}

/** Open or invite-only sign-up; changes only with a server restart. */
export function useAuthConfigQuery() {
  return useQuery({
    queryKey: queryKeys.authConfig,
    queryFn: ({ signal }) => apiFetch<AuthConfig>('/api/auth/config', { signal }),
    staleTime: Infinity,
    meta: { redirectOn401: false },
  });
}

export function useSessionsQuery() {
  return useQuery({
    queryKey: queryKeys.sessions,
    queryFn: ({ signal }) => apiFetch<SessionView[]>('/api/account/sessions', { signal }),
  });
}

export function useInvitationPreviewQuery(token: string, enabled = true) {
  return useQuery({
    enabled,
    queryKey: queryKeys.invitationPreview(token),
    queryFn: ({ signal }) =>
      apiFetch<InvitationPreview>(`/api/invitations/${encodeURIComponent(token)}`, { signal }),
    retry: false,
    meta: { redirectOn401: false },
  });
}

/**
 * What the log-in, sign-up and restore-account forms do with the API's `me` answer: drop everything
 * cached for whoever used this tab before, keep the new `me`, and go to `href`.
 */
export function useStartSession(): (me: MeResponse, href: string) => void {
  const router = useRouter();
  const queryClient = useQueryClient();
  return useCallback(
    (me: MeResponse, href: string) => {
      queryClient.clear();
      queryClient.setQueryData(queryKeys.me, me);
      router.replace(href);
    },
    [queryClient, router],
  );
}
