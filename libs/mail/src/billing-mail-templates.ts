import type { MailMessage } from './mailer';

const fmt = (n: number) => n.toLocaleString('en-US');
const day = (d: Date) => d.toISOString().slice(0, 10);

/** Billing and quota mails (plain text), shared by the api (webhooks) and the workers (quota job). */
export const billingMailTemplates = {
  paymentFailed: (
    to: string,
    info: { orgName: string; attempt: number; nextAttempt: Date | null; link: string },
  ): MailMessage => ({
    to,
    subject: `Payment failed for ${info.orgName} on Sightline (attempt ${info.attempt})`,
    text: `We could not charge the card on file for ${info.orgName} (attempt ${info.attempt}).\n\nYour plan stays fully active while we retry${info.nextAttempt ? ` (next attempt on ${day(info.nextAttempt)})` : ''}. Update the payment method here:\n${info.link}`,
  }),
  paymentActionRequired: (to: string, info: { orgName: string; link: string }): MailMessage => ({
    to,
    subject: `Your bank needs you to confirm a payment for ${info.orgName}`,
    text: `Your bank asked for an extra confirmation of the Sightline payment for ${info.orgName}. Complete it here:\n${info.link}`,
  }),
  trialEnding: (to: string, info: { orgName: string; endsAt: Date | null; link: string }): MailMessage => ({
    to,
    subject: `The Sightline trial of ${info.orgName} ends soon`,
    text: `The trial of ${info.orgName} ends${info.endsAt ? ` on ${day(info.endsAt)}` : ' soon'}. Manage your plan:\n${info.link}`,
  }),
  usageWarning: (
    to: string,
    info: { orgName: string; percent: number; events: number; quota: number; cycleEnd: Date; link: string },
  ): MailMessage => ({
    to,
    subject: `${info.orgName} used ${info.percent} % of its monthly events on Sightline`,
    text: `${info.orgName} has recorded ${fmt(info.events)} of the ${fmt(info.quota)} events in its plan this cycle (until ${day(info.cycleEnd)}).\n\nNothing is dropped: every event keeps being counted. If this continues, consider a larger plan:\n${info.link}`,
  }),
  quotaExceeded: (
    to: string,
    info: {
      orgName: string;
      reason: string;
      cycles: { start: Date; events: number }[];
      quota: number;
      suggestedPlan: string;
      locksAt: Date;
      link: string;
    },
  ): MailMessage => ({
    to,
    subject: `${info.orgName} is over its Sightline quota: stats lock on ${day(info.locksAt)}`,
    text: `${info.orgName} is over the ${fmt(info.quota)} monthly events of its plan: ${info.reason}.\n\n${info.cycles.map((c) => `  cycle from ${day(c.start)}: ${fmt(c.events)} events`).join('\n')}\n\nAll events keep being recorded. Unless usage drops or you upgrade (we suggest ${info.suggestedPlan}), the stats view locks on ${day(info.locksAt)} until then:\n${info.link}`,
  }),
  graceReminder: (
    to: string,
    info: { orgName: string; locksAt: Date; suggestedPlan: string; link: string },
  ): MailMessage => ({
    to,
    subject: `Reminder: the stats of ${info.orgName} lock on ${day(info.locksAt)}`,
    text: `${info.orgName} is still over its quota. The stats view locks on ${day(info.locksAt)} unless you upgrade (we suggest ${info.suggestedPlan}):\n${info.link}\n\nYour events keep being recorded either way.`,
  }),
  capacityDepleted: (
    to: string,
    info: { orgName: string; suggestedPlan: string; link: string },
  ): MailMessage => ({
    to,
    subject: `The stats of ${info.orgName} are locked (over quota)`,
    text: `The grace period of ${info.orgName} ended while it was still over its quota, so its stats view is locked.\n\nYour stats are still being counted: no event was dropped. Upgrade to ${info.suggestedPlan} to unlock them at once:\n${info.link}`,
  }),
  ingestionStopping: (to: string, info: { orgName: string; stopsAt: Date; link: string }): MailMessage => ({
    to,
    subject: `Sightline stops recording events for ${info.orgName} on ${day(info.stopsAt)}`,
    text: `The subscription of ${info.orgName} is unpaid. On ${day(info.stopsAt)} Sightline stops accepting its events. Pay the open invoice to keep tracking:\n${info.link}`,
  }),
};
