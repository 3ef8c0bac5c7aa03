/** Query keys in one place so mutations invalidate exactly what they change. */
export const queryKeys = {
  me: ['me'] as const,
  authConfig: ['auth-config'] as const,
  sessions: ['account', 'sessions'] as const,
  invitationPreview: (token: string) => ['invitation-preview', token] as const,
  members: (orgId: string) => ['orgs', orgId, 'members'] as const,
  invitations: (orgId: string) => ['orgs', orgId, 'invitations'] as const,
  apiKeys: (orgId: string) => ['orgs', orgId, 'api-keys'] as const,
  sites: (orgId: string) => ['orgs', orgId, 'sites'] as const,
  site: (domain: string) => ['sites', domain] as const,
  siteStatus: (domain: string) => ['sites', domain, 'status'] as const,
  siteRealtime: (domain: string) => ['sites', domain, 'realtime'] as const,
  billing: (orgId: string) => ['orgs', orgId, 'billing'] as const,
  plans: ['plans'] as const,
  statsAll: ['stats'] as const,
  stats: (body: unknown) => ['stats', body] as const,
};
