'use client';

import { useMeQuery } from '@/lib/queries/auth';
import { ChangeEmailForm } from './change-email-form';
import { ChangePasswordForm } from './change-password-form';
import { SessionsSection } from './sessions-section';

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
      <SessionsSection />
    </div>
  );
}
