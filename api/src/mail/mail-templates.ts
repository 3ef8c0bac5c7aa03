import type { MailMessage } from '@sightline/mail';

/** Plain-text emails; links point at the dashboard (`PUBLIC_APP_URL`). */
export const mailTemplates = {
  verifyEmail: (to: string, link: string): MailMessage => ({
    to,
    subject: 'Confirm your email address for Sightline',
    text: `Welcome to Sightline!\n\nConfirm your email address by opening this link (valid for 48 hours):\n${link}\n\nIf you did not sign up, ignore this email.`,
  }),
  resetPassword: (to: string, link: string): MailMessage => ({
    to,
    subject: 'Reset your Sightline password',
    text: `Someone asked to reset the password of your Sightline account.\n\nOpen this link within 1 hour to choose a new password:\n${link}\n\nIf it was not you, ignore this email; your password stays the same.`,
  }),
  changeEmail: (to: string, link: string): MailMessage => ({
    to,
    subject: 'Confirm your new email address for Sightline',
    text: `Confirm that this is the new email address of your Sightline account (valid for 48 hours):\n${link}`,
  }),
  newLogin: (to: string, info: { at: Date; country: string | null; device: string | null }): MailMessage => ({
    to,
    subject: 'New sign-in to your Sightline account',
    text: `Your account was signed in to.\n\nTime: ${info.at.toUTCString()}\nCountry: ${info.country ?? 'unknown'}\nDevice: ${info.device ?? 'unknown'}\n\nIf this was not you, reset your password and use "Log out everywhere" in your account settings.`,
  }),
  invitation: (
    to: string,
    info: { orgName: string; inviter: string; role: string; link: string },
  ): MailMessage => ({
    to,
    subject: `You are invited to ${info.orgName} on Sightline`,
    text: `${info.inviter} invited you to join ${info.orgName} on Sightline as ${info.role}.\n\nAccept the invitation (valid for 7 days):\n${info.link}`,
  }),
};
