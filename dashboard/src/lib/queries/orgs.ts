import { useQuery } from '@tanstack/react-query';
import type { ApiKeyView, InvitationView, MemberView } from '@sightline/api-contract';
import { apiFetch } from '../api-client';
import { queryKeys } from './keys';

const orgPath = (orgId: string) => `/api/orgs/${encodeURIComponent(orgId)}`;

export function useMembersQuery(orgId: string) {
  return useQuery({
    queryKey: queryKeys.members(orgId),
    queryFn: ({ signal }) => apiFetch<MemberView[]>(`${orgPath(orgId)}/members`, { signal }),
  });
}

export function useInvitationsQuery(orgId: string, enabled: boolean) {
  return useQuery({
    queryKey: queryKeys.invitations(orgId),
    queryFn: ({ signal }) => apiFetch<InvitationView[]>(`${orgPath(orgId)}/invitations`, { signal }),
    enabled,
  });
}

export function useApiKeysQuery(orgId: string, enabled: boolean) {
  return useQuery({
    queryKey: queryKeys.apiKeys(orgId),
    queryFn: ({ signal }) => apiFetch<ApiKeyView[]>(`${orgPath(orgId)}/api-keys`, { signal }),
    enabled,
  });
}

export { orgPath };
