import { z } from 'zod';

/** Request bodies and responses of `/api/auth/*` and `/api/account/*`, shared by api/ and dashboard/. */

export const emailSchema = z.string().trim().toLowerCase().pipe(z.email('must be an email address').max(254));
export const passwordSchema = z
  .string()
  .min(10, 'must be at least 10 characters')
  .max(200, 'must be at most 200 characters');

export const signUpBody = z.object({
  email: emailSchema,
  password: passwordSchema,
  name: z.string().trim().min(1).max(100).optional(),
  /** Token from an invitation email; required when the server runs with INVITE_ONLY=true. */
  invitationToken: z.string().min(1).max(200).optional(),
});
export type SignUpBody = z.infer<typeof signUpBody>;

export const logInBody = z.object({
  email: emailSchema,
  password: z.string().min(1).max(200),
  /** Second factor for accounts with 2FA: the app's 6-digit code or a recovery code. */
  otp: z.string().trim().min(6).max(20).optional(),
});
export type LogInBody = z.infer<typeof logInBody>;

export const tokenBody = z.object({ token: z.string().min(1).max(200) });
export type TokenBody = z.infer<typeof tokenBody>;

export const passwordResetRequestBody = z.object({ email: emailSchema });
export const passwordResetConfirmBody = z.object({
  token: z.string().min(1).max(200),
  password: passwordSchema,
});
export type PasswordResetConfirmBody = z.infer<typeof passwordResetConfirmBody>;

export const changePasswordBody = z.object({
  currentPassword: z.string().min(1).max(200),
  newPassword: passwordSchema,
});
export type ChangePasswordBody = z.infer<typeof changePasswordBody>;

export const changeEmailBody = z.object({ email: emailSchema, password: z.string().min(1).max(200) });
export type ChangeEmailBody = z.infer<typeof changeEmailBody>;

/** What the sign-up and log-in pages need to know about this server (GET /api/auth/config). */
export interface AuthConfig {
  /** INVITE_ONLY: sign-up only through an invitation link. */
  inviteOnly: boolean;
}

export type OrgRole = 'owner' | 'admin' | 'viewer';

export interface UserView {
  id: string;
  email: string;
  name: string | null;
  emailVerified: boolean;
  createdAt: string;
  twoFactorEnabled: boolean;
  /** Support staff (the admin panel also needs twoFactorEnabled). */
  staff: boolean;
}

export interface MembershipView {
  orgId: string;
  orgName: string;
  role: OrgRole;
}

/** GET /api/auth/me, and the body of a successful sign-up or log-in. */
export interface MeResponse {
  user: UserView;
  orgs: MembershipView[];
}

/** GET /api/account/sessions */
export interface SessionView {
  id: string;
  current: boolean;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  country: string | null;
  device: string | null;
}
