import type { Metadata } from 'next';
import { Suspense } from 'react';
import { ResetConfirmForm } from './reset-confirm-form';

export const metadata: Metadata = { title: 'Choose a new password' };

export default function ResetConfirmPage() {
  return (
    <Suspense>
      <ResetConfirmForm />
    </Suspense>
  );
}
