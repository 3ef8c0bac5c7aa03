import { z } from 'zod';

/** The signed-in member's email-report settings for one site. */
export interface EmailReportSettings {
  weekly: boolean;
  monthly: boolean;
}

export const emailReportSettingsBody = z.strictObject({ weekly: z.boolean(), monthly: z.boolean() });
export type EmailReportSettingsBody = z.infer<typeof emailReportSettingsBody>;

/** POST /api/email-reports/unsubscribe?token=… (public, the link in every report). */
export interface UnsubscribeResult {
  unsubscribed: true;
  domain: string;
  kind: 'weekly' | 'monthly';
}
