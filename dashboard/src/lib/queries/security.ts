import { useQuery } from '@tanstack/react-query';
import type {
  AdminAuditEntry,
  AdminOrgDetail,
  AdminSearchResult,
  AdminUserDetail,
  AnnouncementView,
  TwoFactorStatus,
} from '@sightline/api-contract';
import { apiFetch } from '../api-client';
import { queryKeys } from './keys';

export function useTwoFactorQuery() {
  return useQuery({
    queryKey: queryKeys.twoFactor,
    queryFn: ({ signal }) => apiFetch<TwoFactorStatus>('/api/account/2fa', { signal }),
  });
}

/** Banners from support; refreshed every few minutes so a new one shows without a reload. */
export function useAnnouncementsQuery() {
  return useQuery({
    queryKey: queryKeys.announcements,
    queryFn: ({ signal }) => apiFetch<AnnouncementView[]>('/api/announcements', { signal }),
    staleTime: 60_000,
    refetchInterval: 5 * 60_000,
  });
}

export function useAdminSearchQuery(q: string) {
  return useQuery({
    enabled: q.trim().length >= 2,
    queryKey: queryKeys.adminSearch(q),
    queryFn: ({ signal }) =>
      apiFetch<AdminSearchResult>(`/api/admin/search?q=${encodeURIComponent(q)}`, { signal }),
  });
}

export function useAdminOrgQuery(id: string) {
  return useQuery({
    queryKey: queryKeys.adminOrg(id),
    queryFn: ({ signal }) =>
      apiFetch<AdminOrgDetail>(`/api/admin/orgs/${encodeURIComponent(id)}`, { signal }),
  });
}

export function useAdminUserQuery(id: string) {
  return useQuery({
    queryKey: queryKeys.adminUser(id),
    queryFn: ({ signal }) =>
      apiFetch<AdminUserDetail>(`/api/admin/users/${encodeURIComponent(id)}`, { signal }),
  });
}

export function useAdminAuditQuery() {
  return useQuery({
    queryKey: queryKeys.adminAudit,
    queryFn: ({ signal }) => apiFetch<AdminAuditEntry[]>('/api/admin/audit-log', { signal }),
  });
}

export function useAdminAnnouncementsQuery() {
  return useQuery({
    queryKey: queryKeys.adminAnnouncements,
    queryFn: ({ signal }) => apiFetch<AnnouncementView[]>('/api/admin/announcements', { signal }),
  });
}
