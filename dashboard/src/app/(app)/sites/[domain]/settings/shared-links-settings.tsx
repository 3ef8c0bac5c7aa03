'use client';

import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  createSharedLinkBody,
  type CreateSharedLinkBody,
  type SharedLinkView,
} from '@sightline/api-contract';
import { apiFetch } from '@/lib/api-client';
import { formatDate } from '@/lib/format';
import { queryKeys } from '@/lib/queries/keys';
import { CopyButton } from '@/components/copy-button';
import { FormError, TextField } from '@/components/field';
import { useFormErrors } from '@/components/form-errors';
import { EmptyState } from '@/components/states';
import { RevokeButton, SettingsList, useRevokeMutation } from '@/components/settings-list';
import { usePlanFeature } from '@/components/plan-feature';

const linksPath = (domain: string) => `/api/sites/${encodeURIComponent(domain)}/shared-links`;

/** Read-only links to this site's dashboard: create (optional password and expiry), copy, revoke. */
export function SharedLinksSettings({ domain, orgId }: { domain: string; orgId: string }) {
  const queryClient = useQueryClient();
  // Not in the plan: no new links; existing ones stay listed and revocable (they do not serve).
  const gate = usePlanFeature(orgId, 'shared_links');
  const links = useQuery({
    queryKey: queryKeys.sharedLinks(domain),
    queryFn: ({ signal }) => apiFetch<SharedLinkView[]>(linksPath(domain), { signal }),
  });
  const [label, setLabel] = useState('');
  const [password, setPassword] = useState('');
  const [expires, setExpires] = useState('');
  const { fieldErrors, formError, check, showApiError } = useFormErrors();

  const refresh = () => queryClient.invalidateQueries({ queryKey: queryKeys.sharedLinks(domain) });
  const create = useMutation({
    mutationFn: (body: CreateSharedLinkBody) =>
      apiFetch<SharedLinkView>(linksPath(domain), { method: 'POST', body }),
    onSuccess: () => {
      setLabel('');
      setPassword('');
      setExpires('');
      void refresh();
    },
    onError: showApiError,
  });
  const revoke = useRevokeMutation(linksPath(domain), queryKeys.sharedLinks(domain));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const body = check(createSharedLinkBody, {
      label: label.trim() || undefined,
      password: password || undefined,
      // The date input is a day: the link works until the end of it, in the viewer's time zone.
      expiresAt: expires ? new Date(`${expires}T23:59:59`).toISOString() : undefined,
    });
    if (body) create.mutate(body);
  };

  return (
    <section className="card stack" aria-labelledby="shared-links-heading">
      <h2 id="shared-links-heading">Shared links</h2>
      <p className="muted small">
        Anyone with a link sees this site&apos;s dashboard, read-only, without an account: no settings and no
        other site. Search engines are told not to index it.
      </p>
      {gate.note ?? (
        <form className="form-row" onSubmit={submit} noValidate>
          <TextField
            label="Name"
            value={label}
            onChange={(e) => setLabel(e.target.value)}
            error={fieldErrors.label}
            placeholder="Investors"
          />
          <TextField
            label="Password (optional)"
            type="password"
            autoComplete="new-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            error={fieldErrors.password}
          />
          <TextField
            label="Expires (optional)"
            type="date"
            value={expires}
            onChange={(e) => setExpires(e.target.value)}
            error={fieldErrors.expiresAt}
          />
          <button type="submit" className="btn btn-primary" disabled={create.isPending}>
            {create.isPending ? 'Creating…' : 'Create link'}
          </button>
        </form>
      )}
      <FormError message={formError} />
      <FormError message={revoke.error?.message} />
      <SettingsList
        query={links}
        columns={['Name', 'Access', 'Expires']}
        empty={gate.included === false ? null : <EmptyState title="No shared links yet" />}
        rowKey={(link) => link.id}
        rowAttributes={(link) => ({ 'data-shared-link': link.id })}
        cells={(link) => [
          <>
            {link.label}
            <div className="muted small">
              {link.active ? (
                <code style={{ wordBreak: 'break-all' }}>{link.url}</code>
              ) : link.revokedAt ? (
                `revoked ${formatDate(link.revokedAt)}`
              ) : (
                'expired'
              )}
            </div>
          </>,
          <span className="badge">{link.hasPassword ? 'password' : 'anyone with the link'}</span>,
          link.expiresAt ? formatDate(link.expiresAt) : 'never',
        ]}
        actions={(link) =>
          link.active ? (
            <>
              <CopyButton text={link.url} label="Copy link" />{' '}
              <RevokeButton
                onClick={() => revoke.mutate(link.id)}
                disabled={revoke.isPending}
                danger
                name={link.label}
              />
            </>
          ) : null
        }
      />
    </section>
  );
}
