import { z } from 'zod';

/** Shared dashboards: read-only links to one site's dashboard (README "Shared dashboards"). */
export const createSharedLinkBody = z.object({
  label: z.string().trim().min(1).max(100).optional(),
  /** Visitors must enter it once per browser (12 h); stored as an argon2id hash. */
  password: z.string().min(8, 'must be at least 8 characters').max(200).optional(),
  /** ISO 8601 date-time in the future; none: the link works until it is revoked. */
  expiresAt: z.string().datetime({ offset: true }).optional(),
});
export type CreateSharedLinkBody = z.infer<typeof createSharedLinkBody>;

export const sharedLinkPasswordBody = z.object({ password: z.string().min(1).max(200) });
export type SharedLinkPasswordBody = z.infer<typeof sharedLinkPasswordBody>;

export interface SharedLinkView {
  id: string;
  label: string;
  /** The dashboard's `/share/<token>` address (the owner's list shows it again for copying). */
  url: string;
  hasPassword: boolean;
  expiresAt: string | null;
  revokedAt: string | null;
  createdAt: string;
  /** Not revoked and not expired. */
  active: boolean;
}

/** What the shared page needs to show the site's dashboard (GET /api/share/:token). */
export interface SharedDashboardView {
  domain: string;
  name: string;
  timezone: string;
  /** ISO 4217: what revenue is shown in. */
  currency: string;
  createdAt: string;
}
