'use client';

import Link from 'next/link';
import type { SiteView } from '@sightline/api-contract';
import { useSiteQuery } from '@/lib/queries/sites';
import { ErrorState, LoadingState } from '@/components/states';
import { SnippetBlock } from '@/components/snippet-block';
import { SiteStatusIndicator } from '@/components/site-status';
import { useOrgs } from '../../../org-context';
import { DeleteSite } from './delete-site';
import { EmailReportsSettings } from './email-reports-settings';
import { FunnelsSettings } from './funnels-settings';
import { GeneralSettings } from './general-settings';
import { HostnamesEditor } from './hostnames-editor';
import { ImportsSettings } from './imports-settings';
import { SharedLinksSettings } from './shared-links-settings';

export function SiteSettings({ domain }: { domain: string }) {
  const site = useSiteQuery(domain);
  const { orgs } = useOrgs();

  return (
    <div className="stack" style={{ maxWidth: 760 }}>
      <div className="page-header" style={{ marginBottom: 0 }}>
        <Link href={`/sites/${encodeURIComponent(domain)}`} className="small">
          ← {domain}
        </Link>
      </div>
      <h1>Site settings</h1>
      {site.isPending ? (
        <div className="card">
          <LoadingState rows={4} />
        </div>
      ) : site.isError ? (
        <div className="card">
          <ErrorState error={site.error} onRetry={() => void site.refetch()} />
        </div>
      ) : (
        <SettingsSections
          site={site.data}
          canManage={orgs.find((o) => o.orgId === site.data.orgId)?.role !== 'viewer'}
        />
      )}
    </div>
  );
}

function SettingsSections({ site, canManage }: { site: SiteView; canManage: boolean }) {
  return (
    <>
      {!canManage ? (
        <p className="notice">
          You have view access to this site. Ask an owner or admin to change its settings.
        </p>
      ) : null}
      <GeneralSettings site={site} disabled={!canManage} />
      <HostnamesEditor site={site} disabled={!canManage} />
      <section className="card stack">
        <h2>Tracking snippet</h2>
        <p className="muted small">Paste it into the &lt;head&gt; of every page you want to count.</p>
        <SnippetBlock snippet={site.snippet} />
        <SiteStatusIndicator domain={site.domain} />
      </section>
      <FunnelsSettings domain={site.domain} orgId={site.orgId} canManage={canManage} />
      <EmailReportsSettings domain={site.domain} orgId={site.orgId} />
      {canManage ? <ImportsSettings domain={site.domain} /> : null}
      {canManage ? <SharedLinksSettings domain={site.domain} orgId={site.orgId} /> : null}
      {canManage ? <DeleteSite site={site} /> : null}
    </>
  );
}
