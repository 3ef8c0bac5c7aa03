'use client';

import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { SiteView } from '@sightline/api-contract';
import { apiFetch } from '@/lib/api-client';
import { queryKeys } from '@/lib/queries/keys';
import { sitePath } from '@/lib/queries/sites';
import { FormError, TextField } from '@/components/field';

/** Deleting needs the domain typed out, so it cannot happen by a stray click. */
export function DeleteSite({ site }: { site: SiteView }) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [confirmText, setConfirmText] = useState('');

  const remove = useMutation({
    mutationFn: () => apiFetch<void>(sitePath(site.domain), { method: 'DELETE' }),
    onSuccess: () => {
      queryClient.removeQueries({ queryKey: queryKeys.site(site.domain) });
      void queryClient.invalidateQueries({ queryKey: queryKeys.sites(site.orgId) });
      router.replace(`/sites?org=${encodeURIComponent(site.orgId)}`);
    },
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (confirmText.trim().toLowerCase() === site.domain) remove.mutate();
  };

  return (
    <section className="card stack" style={{ borderColor: 'var(--bad)' }}>
      <h2>Delete site</h2>
      <p className="muted small">
        Removes <strong>{site.domain}</strong> and all of its statistics. This cannot be undone.
      </p>
      {open ? (
        <form className="form" onSubmit={submit} noValidate>
          <FormError message={remove.error?.message} />
          <TextField
            label={`Type ${site.domain} to confirm`}
            value={confirmText}
            onChange={(e) => setConfirmText(e.target.value)}
            autoComplete="off"
            autoCapitalize="off"
            spellCheck={false}
            autoFocus
          />
          <div className="row">
            <button
              type="submit"
              className="btn btn-danger"
              disabled={confirmText.trim().toLowerCase() !== site.domain || remove.isPending}
            >
              {remove.isPending ? 'Deleting…' : 'Delete this site forever'}
            </button>
            <button type="button" className="btn btn-ghost" onClick={() => setOpen(false)}>
              Cancel
            </button>
          </div>
        </form>
      ) : (
        <div>
          <button type="button" className="btn btn-danger" onClick={() => setOpen(true)}>
            Delete site…
          </button>
        </div>
      )}
    </section>
  );
}
