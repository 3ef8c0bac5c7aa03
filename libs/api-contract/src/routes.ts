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
 *   GET  /api/invitations/:token              → InvitationPreview
 *   GET  /api/health, /api/docs, /api/docs/openapi.json
 * Signed in:
 *   GET  /api/auth/me                          → MeResponse
 *   POST /api/auth/logout                      → 204
 *   POST /api/auth/logout-all                  → 204
 *   POST /api/auth/resend-verification         → 202
 *   POST /api/account/password                 ChangePasswordBody → 204 (other sessions revoked)
 *   POST /api/account/email                    ChangeEmailBody → 202 (verification sent to the new address)
 *   GET  /api/account/sessions                 → SessionView[]
 *   DELETE /api/account/sessions/:id           → 204
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
 *   WS   /api/realtime?site=:domain            → RealtimeMessage stream
 * Signed in or `Authorization: Bearer <api key>`:
 *   POST /api/v2/query                         QueryRequest (@sightline/query) → QueryResponse
 */
export const SESSION_COOKIE = 'sl_session';
