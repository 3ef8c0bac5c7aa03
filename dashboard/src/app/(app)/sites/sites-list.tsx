'use client';

import Link from 'next/link';
import { useSitesQuery } from '@/lib/queries/sites';
import { EmptyState, ErrorState, Skeleton } from '@/components/states';
import { useOrgs } from '../org-context';
import { CreateOrgForm } from './create-org-form';
import { SiteCard } from './site-card';

export function SitesList() {
  const { current } = useOrgs();
  const sites = useSitesQuery(current?.orgId ?? null);

  if (!current) {
    return (
      <div className="card" style={{ maxWidth: 480 }}>
        <CreateOrgForm />
      </div>
    );
  }

  const canManage = current.role !== 'viewer';
  const addHref = `/sites/new?org=${encodeURIComponent(current.orgId)}`;

  return (
    <>
      <div className="page-header">
        <h1>Sites</h1>
        <span className="muted">{current.orgName}</span>
        <span className="spacer" />
        {canManage ? (
          <Link className="btn btn-primary" href={addHref}>
            + Add website
          </Link>
        ) : null}
      </div>
      {sites.isPending ? (
        <div className="site-grid" aria-busy="true">
          {[0, 1, 2].map((i) => (
            <div key={i} className="card site-card">
              <Skeleton width="60%" height={20} />
              <Skeleton width={80} height={26} />
              <Skeleton height={56} />
            </div>
          ))}
        </div>
      ) : sites.isError ? (
        <div className="card">
          <ErrorState error={sites.error} onRetry={() => void sites.refetch()} />
        </div>
      ) : sites.data.length === 0 ? (
        <div className="card">
          <EmptyState
            title="No websites yet"
            action={
              canManage ? (
                <Link className="btn btn-primary" href={addHref}>
                  Add your first website
                </Link>
              ) : null
            }
          >
            {canManage
              ? 'Add a website, paste one script tag, and visitors show up here within seconds.'
              : 'An owner or admin of this organization can add websites.'}
          </EmptyState>
        </div>
      ) : (
        <div className="site-grid">
          {sites.data.map((site) => (
            <SiteCard key={site.domain} site={site} />
          ))}
        </div>
      )}
    </>
  );
}
