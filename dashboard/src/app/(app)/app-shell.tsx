'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import type { ReactNode } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiFetch, isApiError } from '@/lib/api-client';
import { useMeQuery } from '@/lib/queries/auth';
import { Logo } from '@/components/logo';
import { ErrorState, Skeleton } from '@/components/states';
import { OrgProvider, useOrgs } from './org-context';
import { QuotaBanner } from './quota-banner';
import { AnnouncementsBanner } from './announcements-banner';
import { VerifyBanner } from './verify-banner';

export function AppShellFallback() {
  return (
    <header className="app-header">
      <div className="container app-header-inner">
        <Logo />
        <Skeleton width={160} height={30} />
      </div>
    </header>
  );
}

export function AppShell({ children }: { children: ReactNode }) {
  const me = useMeQuery();

  if (me.isPending || (me.isError && isApiError(me.error) && me.error.status === 401)) {
    // 401 is already redirecting to /login.
    return (
      <>
        <AppShellFallback />
        <main className="container page" aria-busy="true">
          <Skeleton height={28} width={220} />
        </main>
      </>
    );
  }
  if (me.isError) {
    return (
      <>
        <AppShellFallback />
        <main className="container page">
          <div className="card">
            <ErrorState
              title="Sightline is not reachable right now"
              error={me.error}
              onRetry={() => void me.refetch()}
            />
          </div>
        </main>
      </>
    );
  }

  return (
    <OrgProvider orgs={me.data.orgs}>
      <Header />
      {me.data.user.emailVerified ? null : <VerifyBanner email={me.data.user.email} />}
      <QuotaBanner />
      <AnnouncementsBanner />
      <main className="container page">{children}</main>
    </OrgProvider>
  );
}

function Header() {
  const router = useRouter();
  const queryClient = useQueryClient();
  const { orgs, current, selectOrg } = useOrgs();
  const staff = useMeQuery().data?.user.staff ?? false;

  const logout = useMutation({
    mutationFn: () => apiFetch<void>('/api/auth/logout', { method: 'POST' }),
    onSettled: () => {
      queryClient.clear();
      router.replace('/login');
    },
  });

  return (
    <header className="app-header">
      <div className="container app-header-inner">
        <Logo href={current ? `/sites?org=${encodeURIComponent(current.orgId)}` : '/sites'} />
        {orgs.length > 0 ? (
          <>
            <label className="visually-hidden" htmlFor="org-switcher">
              Organization
            </label>
            <select
              id="org-switcher"
              className="select select-inline"
              value={current?.orgId ?? ''}
              onChange={(e) => selectOrg(e.target.value)}
            >
              {orgs.map((org) => (
                <option key={org.orgId} value={org.orgId}>
                  {org.orgName}
                </option>
              ))}
            </select>
          </>
        ) : null}
        <nav className="header-nav" aria-label="Main">
          <Link
            className="header-link"
            href={current ? `/sites?org=${encodeURIComponent(current.orgId)}` : '/sites'}
          >
            Sites
          </Link>
          {current ? (
            <Link className="header-link" href={`/orgs/${encodeURIComponent(current.orgId)}/settings`}>
              Team
            </Link>
          ) : null}
          {current ? (
            <Link className="header-link" href={`/orgs/${encodeURIComponent(current.orgId)}/billing`}>
              Billing
            </Link>
          ) : null}
          <Link className="header-link" href="/account">
            Account
          </Link>
          {staff ? (
            <Link className="header-link" href="/admin">
              Admin
            </Link>
          ) : null}
          <button
            type="button"
            className="btn btn-ghost btn-sm"
            onClick={() => logout.mutate()}
            disabled={logout.isPending}
          >
            Log out
          </button>
        </nav>
      </div>
    </header>
  );
}
