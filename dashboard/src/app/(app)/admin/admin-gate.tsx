'use client';

import Link from 'next/link';
import type { ReactNode } from 'react';
import { useMeQuery } from '@/lib/queries/auth';
import { LoadingState } from '@/components/states';

/**
 * The admin pages render only for staff with two-factor sign-in on (the API answers 404 to
 * everyone else anyway). Others see "page not found"; staff without 2FA are told to turn it on.
 */
export function AdminGate({ children }: { children: ReactNode }) {
  const me = useMeQuery();
  if (me.isPending) return <LoadingState rows={2} />;
  const user = me.data?.user;
  if (!user?.staff) {
    return (
      <div className="card state">
        <p className="state-title">Page not found</p>
        <p>The page you were looking for does not exist.</p>
      </div>
    );
  }
  if (!user.twoFactorEnabled) {
    return (
      <div className="card stack" role="alert">
        <h1>Turn on two-factor sign-in first</h1>
        <p>
          The support panel opens only for staff accounts with two-factor sign-in. Turn it on in your{' '}
          <Link href="/account">account settings</Link>, then come back.
        </p>
      </div>
    );
  }
  return <>{children}</>;
}

export function StateBadges({
  blocked,
  deletion,
  staff,
}: {
  blocked: boolean;
  deletion: string | null;
  staff?: boolean;
}) {
  return (
    <>
      {blocked ? <span className="badge badge-bad">blocked</span> : null}
      {deletion ? <span className="badge badge-warn">deletion requested</span> : null}
      {staff ? <span className="badge badge-accent">staff</span> : null}
    </>
  );
}
