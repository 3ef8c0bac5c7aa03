'use client';

import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { createApiKeyBody, type CreateApiKeyBody, type CreatedApiKey } from '@sightline/api-contract';
import { apiFetch } from '@/lib/api-client';
import { formatDate, formatRelative } from '@/lib/format';
import { queryKeys } from '@/lib/queries/keys';
import { orgPath, useApiKeysQuery } from '@/lib/queries/orgs';
import { useConfirm } from '@/components/confirm-dialog';
import { CopyButton } from '@/components/copy-button';
import { FormError, TextField } from '@/components/field';
import { useFormErrors } from '@/components/form-errors';
import { EmptyState } from '@/components/states';
import { RevokeButton, SettingsList, useRevokeMutation } from '@/components/settings-list';
import { usePlanFeature } from '@/components/plan-feature';

export function ApiKeysSection({ orgId }: { orgId: string }) {
  const queryClient = useQueryClient();
  const keys = useApiKeysQuery(orgId, true);
  // Not in the plan: no new keys; existing ones stay listed so they can be revoked (they answer 402).
  const gate = usePlanFeature(orgId, 'stats_api');
  const { confirm, dialog } = useConfirm();
  const [name, setName] = useState('');
  const { fieldErrors, formError, check, showApiError } = useFormErrors();
  // The secret exists only in this state; the API never returns it again.
  const [created, setCreated] = useState<CreatedApiKey | null>(null);

  const create = useMutation({
    mutationFn: (body: CreateApiKeyBody) =>
      apiFetch<CreatedApiKey>(`${orgPath(orgId)}/api-keys`, { method: 'POST', body }),
    onSuccess: (key) => {
      setCreated(key);
      setName('');
      void queryClient.invalidateQueries({ queryKey: queryKeys.apiKeys(orgId) });
    },
    onError: showApiError,
  });

  const revoke = useRevokeMutation(`${orgPath(orgId)}/api-keys`, queryKeys.apiKeys(orgId));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const body = check(createApiKeyBody, { name });
    if (body) create.mutate(body);
  };

  return (
    <section className="card stack">
      {dialog}
      <div className="stack-sm">
        <h2>API keys</h2>
        <p className="muted small">
          For the Stats API: <code>POST /api/v2/query</code> with{' '}
          <code>Authorization: Bearer &lt;key&gt;</code>.
        </p>
      </div>
      {created ? (
        <div className="notice notice-success stack-sm" role="status">
          <strong>Copy your new key now — it will not be shown again.</strong>
          <div className="copy-row">
            <pre className="code-block">{created.key}</pre>
            <CopyButton text={created.key} label="Copy key" />
          </div>
          <div>
            <button type="button" className="btn btn-sm" onClick={() => setCreated(null)}>
              Done
            </button>
          </div>
        </div>
      ) : null}
      {gate.note ?? (
        <form className="form-row" onSubmit={submit} noValidate>
          <TextField
            label="Key name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            error={fieldErrors.name}
            placeholder="Reporting script"
          />
          <button type="submit" className="btn btn-primary" disabled={create.isPending}>
            {create.isPending ? 'Creating…' : 'Create key'}
          </button>
        </form>
      )}
      <FormError message={formError ?? revoke.error?.message} />
      <SettingsList
        query={keys}
        columns={[
          'Name',
          'Key',
          { label: 'Created', className: 'muted small' },
          { label: 'Last used', className: 'muted small' },
        ]}
        empty={<EmptyState title="No API keys" />}
        rowKey={(key) => key.id}
        cells={(key) => [
          key.name,
          <code>{key.prefix}…</code>,
          formatDate(key.createdAt),
          key.lastUsedAt ? formatRelative(key.lastUsedAt) : 'never',
        ]}
        actions={(key) => (
          <RevokeButton
            onClick={() => {
              confirm({
                title: `Revoke "${key.name}"?`,
                message: 'Scripts and integrations using this key stop working at once.',
                confirmLabel: 'Revoke key',
                danger: true,
                onConfirm: () => revoke.mutate(key.id),
              });
            }}
            disabled={revoke.isPending}
          />
        )}
      />
    </section>
  );
}
