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
  newLogin: (
    to: string,
    info: {
      at: Date;
      country: string | null;
      device: string | null;
      secondFactor: 'totp' | 'recovery_code' | null;
    },
  ): MailMessage => ({
    to,
    subject: 'New sign-in to your Sightline account',
    text: `Your account was signed in to.\n\nTime: ${info.at.toUTCString()}\nCountry: ${info.country ?? 'unknown'}\nDevice: ${info.device ?? 'unknown'}\nTwo-factor: ${twoFactorLine(info.secondFactor)}\n\nIf this was not you, reset your password and use "Log out everywhere" in your account settings.`,
  }),
  accountDeleted: (to: string, info: { until: Date; link: string }): MailMessage => ({
    to,
    subject: 'Your Sightline account is scheduled for deletion',
    text: `Your Sightline account was deleted at your request: you are signed out everywhere and it can no longer be used.\n\nUntil ${info.until.toUTCString()} (72 hours) you can still change your mind: open this link and sign in to restore the account with everything in it:\n${info.link}\n\nAfter that, the account, the organizations you are the only owner of, their sites and all their statistics are deleted for good. If you did not ask for this, restore the account and change your password.`,
  }),
  announcement: (to: string, message: string): MailMessage => ({
    to,
    subject: 'A message from Sightline',
    text: `${message}\n\nYou receive this because you have a Sightline account.`,
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

function twoFactorLine(factor: 'totp' | 'recovery_code' | null): string {
  if (factor === 'totp') return 'used (authenticator app code)';
  if (factor === 'recovery_code') return 'used (a recovery code, which is now used up)';
  return 'not used (password only); turn on two-factor sign-in in your account settings';
}
