import { z } from 'zod';
import { emailSchema, type OrgRole } from './auth.contract';

export const orgRoleSchema = z.enum(['owner', 'admin', 'viewer']);

export const createOrgBody = z.object({ name: z.string().trim().min(1).max(100) });
export type CreateOrgBody = z.infer<typeof createOrgBody>;

export const updateOrgBody = createOrgBody;
export type UpdateOrgBody = z.infer<typeof updateOrgBody>;

export const updateMemberBody = z.object({ role: orgRoleSchema });
export type UpdateMemberBody = z.infer<typeof updateMemberBody>;

export const createInvitationBody = z.object({ email: emailSchema, role: orgRoleSchema.default('viewer') });
export type CreateInvitationBody = z.infer<typeof createInvitationBody>;

export const createApiKeyBody = z.object({ name: z.string().trim().min(1).max(100) });
export type CreateApiKeyBody = z.infer<typeof createApiKeyBody>;

export interface OrgView {
  id: string;
  name: string;
  role: OrgRole;
  createdAt: string;
}

export interface MemberView {
  userId: string;
  email: string;
  name: string | null;
  role: OrgRole;
  joinedAt: string;
}

export interface InvitationView {
  id: string;
  email: string;
  role: OrgRole;
  invitedBy: string | null;
  createdAt: string;
  expiresAt: string;
}

/** What an invitation link shows before it is accepted (GET /api/invitations/:token). */
export interface InvitationPreview {
  orgName: string;
  email: string;
  role: OrgRole;
  expiresAt: string;
}

export interface ApiKeyView {
  id: string;
  name: string;
  /** First characters of the key, to recognise it in a list; the full key is shown only once. */
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
}

/** POST /api/orgs/:orgId/api-keys — the only response that contains the secret. */
export interface CreatedApiKey extends ApiKeyView {
  key: string;
}
