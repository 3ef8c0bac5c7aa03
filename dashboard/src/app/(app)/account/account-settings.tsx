'use client';

import { useMeQuery } from '@/lib/queries/auth';
import { ChangeEmailForm } from './change-email-form';
import { ChangePasswordForm } from './change-password-form';
import { DeleteAccountSection } from './delete-account-section';
import { SessionsSection } from './sessions-section';
import { TwoFactorSection } from './two-factor-section';

export function AccountSettings() {
  const me = useMeQuery();
  return (
    <div className="stack" style={{ maxWidth: 760 }}>
      <div className="page-header" style={{ marginBottom: 0 }}>
        <h1>Account</h1>
        {me.data ? <span className="muted">{me.data.user.email}</span> : null}
      </div>
      {me.data ? <ChangeEmailForm currentEmail={me.data.user.email} /> : null}
      <ChangePasswordForm />
      <TwoFactorSection />
      <SessionsSection />
      {me.data ? <DeleteAccountSection twoFactorEnabled={me.data.user.twoFactorEnabled} /> : null}
    </div>
  );
}
