import type { Metadata } from 'next';
import { Suspense } from 'react';
import { RestoreAccountForm } from './restore-account-form';

export const metadata: Metadata = { title: 'Restore your account' };

export default function RestoreAccountPage() {
  return (
    <Suspense>
      <RestoreAccountForm />
    </Suspense>
  );
}
