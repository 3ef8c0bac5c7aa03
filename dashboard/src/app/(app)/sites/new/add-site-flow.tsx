'use client';

import Link from 'next/link';
import { useEffect, useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { createSiteBody, type CreateSiteBody, type SiteView } from '@sightline/api-contract';
import { apiFetch } from '@/lib/api-client';
import { queryKeys } from '@/lib/queries/keys';
import { FormError, TextField } from '@/components/field';
import { useFormErrors } from '@/components/form-errors';
import { SnippetBlock } from '@/components/snippet-block';
import { SiteStatusIndicator } from '@/components/site-status';
import { browserTimezone, TimezoneSelect } from '@/components/timezone-select';
import { useOrgs } from '../../org-context';

export function AddSiteFlow() {
  const { current } = useOrgs();
  const queryClient = useQueryClient();
  const [domain, setDomain] = useState('');
  const [timezone, setTimezone] = useState('UTC');
  const { fieldErrors, formError, check, showApiError } = useFormErrors();

  useEffect(() => {
    setTimezone(browserTimezone());
  }, []);

  const create = useMutation({
    mutationFn: (body: CreateSiteBody) =>
      apiFetch<SiteView>(`/api/orgs/${encodeURIComponent(current?.orgId ?? '')}/sites`, {
        method: 'POST',
        body,
      }),
    onSuccess: (site) => {
      if (current) void queryClient.invalidateQueries({ queryKey: queryKeys.sites(current.orgId) });
      queryClient.setQueryData(queryKeys.site(site.domain), site);
    },
    onError: showApiError,
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const body = check(createSiteBody, { domain, timezone });
    if (body) create.mutate(body);
  };

  if (!current) return <p className="muted">Create an organization first.</p>;

  const site = create.data;
  return (
    <div className="stack" style={{ maxWidth: 720 }}>
      <div className="page-header" style={{ marginBottom: 0 }}>
        <h1>{site ? `Install Sightline on ${site.domain}` : 'Add a website'}</h1>
      </div>
      {site ? (
        <div className="card stack">
          <div className="stack-sm">
            <h2>1. Paste this snippet into the &lt;head&gt; of every page</h2>
            <p className="muted small">
              It is under 1 KB, sets no cookies and collects no personal data, so no cookie banner is needed
              for it.
            </p>
          </div>
          <SnippetBlock snippet={site.snippet} />
          <div className="stack-sm">
            <h2>2. Visit your site</h2>
            <SiteStatusIndicator domain={site.domain} />
          </div>
          <p className="small muted">
            You can always find the snippet again in the{' '}
            <Link href={`/sites/${encodeURIComponent(site.domain)}/settings`}>site settings</Link>.
          </p>
        </div>
      ) : (
        <form className="card form" onSubmit={submit} noValidate>
          <p className="muted">
            Adding to <strong>{current.orgName}</strong>.
          </p>
          <FormError message={formError} />
          <TextField
            label="Domain"
            name="domain"
            placeholder="example.com"
            autoComplete="off"
            autoCapitalize="off"
            spellCheck={false}
            inputMode="url"
            value={domain}
            onChange={(e) => setDomain(e.target.value)}
            error={fieldErrors.domain}
            hint="Just the domain, without https:// or www."
            required
            autoFocus
          />
          <TimezoneSelect value={timezone} onChange={setTimezone} error={fieldErrors.timezone} />
          <div className="row">
            <button type="submit" className="btn btn-primary" disabled={create.isPending}>
              {create.isPending ? 'Adding…' : 'Add website'}
            </button>
            <Link href={`/sites?org=${encodeURIComponent(current.orgId)}`} className="btn btn-ghost">
              Cancel
            </Link>
          </div>
        </form>
      )}
    </div>
  );
}
