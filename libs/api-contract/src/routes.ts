/**
 * The API's routes, as the dashboard calls them (same origin; cookie `sl_session`).
 * Mutating requests from browsers must carry an allowed `Origin`.
 *
 * Public:
 *   POST /api/auth/signup                     SignUpBody → 201 MeResponse (+ session cookie)
 *   POST /api/auth/login                      LogInBody → 200 MeResponse (+ session cookie)
 *   POST /api/auth/verify-email               TokenBody → 200 { verified: true }
 *   POST /api/auth/password-reset             { email } → 202 (always, no account enumeration)
 *   POST /api/auth/password-reset/confirm     PasswordResetConfirmBody → 200 (all sessions revoked)
 *   GET  /api/auth/config                     → AuthConfig (invite-only or open sign-up)
 *   POST /api/auth/restore-account            RestoreAccountBody → 200 MeResponse (cancels a pending deletion)
 *   GET  /api/invitations/:token              → InvitationPreview
 *   GET  /api/health, /api/docs, /api/docs/openapi.json
 *   GET|POST /api/email-reports/unsubscribe?token=   → HTML page | UnsubscribeResult (signed link, works once)
 * Signed in:
 *   GET  /api/auth/me                          → MeResponse
 *   POST /api/auth/logout                      → 204
 *   POST /api/auth/logout-all                  → 204
 *   POST /api/auth/resend-verification         → 202
 *   POST /api/account/password                 ChangePasswordBody → 204 (other sessions revoked)
 *   POST /api/account/email                    ChangeEmailBody → 202 (verification sent to the new address)
 *   GET  /api/account/sessions                 → SessionView[]
 *   DELETE /api/account/sessions/:id           → 204
 *   GET  /api/account/2fa                      → TwoFactorStatus
 *   POST /api/account/2fa/setup                → TwoFactorSetup (secret, otpauth URI, QR SVG)
 *   POST /api/account/2fa/confirm              ConfirmTwoFactorBody → TwoFactorEnabled (recovery codes)
 *   POST /api/account/2fa/disable              DisableTwoFactorBody → 204
 *   POST /api/account/delete                   DeleteAccountBody → 202 { restorableUntil } (signed out)
 *   GET  /api/announcements                    → AnnouncementView[]
 *   POST /api/invitations/accept               TokenBody → 200 OrgView
 *   GET  /api/orgs                             → OrgView[]
 *   POST /api/orgs                             CreateOrgBody → 201 OrgView
 *   PATCH /api/orgs/:orgId                     UpdateOrgBody → OrgView     (owner, admin)
 *   GET  /api/orgs/:orgId/members              → MemberView[]              (any member)
 *   GET  /api/orgs/:orgId/usage                → OrgUsageView              (any member)
 *   PATCH /api/orgs/:orgId/members/:userId     UpdateMemberBody → MemberView (owner)
 *   DELETE /api/orgs/:orgId/members/:userId    → 204                        (owner; or self to leave)
 *   GET  /api/orgs/:orgId/invitations          → InvitationView[]          (owner, admin)
 *   POST /api/orgs/:orgId/invitations          CreateInvitationBody → 201 InvitationView (owner, admin)
 *   DELETE /api/orgs/:orgId/invitations/:id    → 204                        (owner, admin)
 *   GET  /api/orgs/:orgId/api-keys             → ApiKeyView[]              (owner, admin)
 *   POST /api/orgs/:orgId/api-keys             CreateApiKeyBody → 201 CreatedApiKey (owner, admin)
 *   DELETE /api/orgs/:orgId/api-keys/:id       → 204                        (owner, admin)
 *   GET  /api/orgs/:orgId/sites                → SiteView[]                (any member)
 *   POST /api/orgs/:orgId/sites                CreateSiteBody → 201 SiteView (owner, admin)
 *   GET  /api/sites/:domain                    → SiteView                   (any member of the site's org)
 *   PATCH /api/sites/:domain                   UpdateSiteBody → SiteView   (owner, admin)
 *   DELETE /api/sites/:domain                  → 204                        (owner, admin)
 *   GET  /api/sites/:domain/status             → SiteStatus
 *   GET  /api/sites/:domain/realtime           → RealtimeVisitors
 *   GET  /api/sites/:domain/email-reports      → EmailReportSettings        (the signed-in member's own)
 *   PUT  /api/sites/:domain/email-reports      EmailReportSettingsBody → EmailReportSettings
 *   GET  /api/sites/:domain/imports            → SiteImportView[]            (owner, admin)
 *   POST /api/sites/:domain/imports?source=plausible|umami&filename=  raw zip/CSV body → 202 SiteImportView (owner, admin)
 *   DELETE /api/sites/:domain/imports/:id      → 204                        (owner, admin)
 *   POST /api/sites/:domain/funnels            FunnelBody → 201 FunnelView (owner, admin)
 *   PUT  /api/sites/:domain/funnels/:id        FunnelBody → FunnelView      (owner, admin)
 *   DELETE /api/sites/:domain/funnels/:id      → 204                        (owner, admin)
 *   WS   /api/realtime?site=:domain            → RealtimeMessage stream
 * Signed in or `Authorization: Bearer <api key>`:
 *   POST /api/v2/query                         QueryRequest (@sightline/query) → QueryResponse
 *   GET  /api/sites/:domain/funnels            → FunnelView[]
 *   POST /api/sites/:domain/funnels/:id/query  { date_range?, filters? } → FunnelResult (@sightline/query)
 * Staff with two-factor sign-in on (404 to everyone else, like an unknown route):
 *   GET  /api/admin/search?q=                  → AdminSearchResult
 *   GET  /api/admin/orgs/:id                   → AdminOrgDetail
 *   GET  /api/admin/users/:id                  → AdminUserDetail
 *   POST /api/admin/users/:id/block|unblock    AdminReasonBody → AdminUserDetail
 *   POST /api/admin/users/:id/approve-deletion AdminReasonBody → 204
 *   GET|POST /api/admin/announcements          CreateAnnouncementBody → AnnouncementView
 *   GET  /api/admin/audit-log?before=&target=  → AdminAuditEntry[]
 */
export const SESSION_COOKIE = 'sl_session';
/**
 * The session cookie's name when it is Secure (the dashboard is served over https): the `__Host-`
 * prefix makes browsers refuse it unless it is Secure, host-only and Path=/, so a sibling subdomain
 * or a plain-http page cannot plant or overwrite it (cookie tossing).
 */
export const SECURE_SESSION_COOKIE = '__Host-sl_session';
