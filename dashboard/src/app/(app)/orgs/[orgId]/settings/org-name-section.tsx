'use client';

import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { updateOrgBody, type OrgView, type UpdateOrgBody } from '@sightline/api-contract';
import { apiFetch } from '@/lib/api-client';
import { queryKeys } from '@/lib/queries/keys';
import { orgPath } from '@/lib/queries/orgs';
import { FormError, FormSuccess, TextField } from '@/components/field';
import { useFormErrors } from '@/components/form-errors';

/** The org's name, shown in the header's switcher to every member (owners and admins change it). */
export function OrgNameSection({ orgId, name }: { orgId: string; name: string }) {
  const queryClient = useQueryClient();
  const [value, setValue] = useState(name);
  const { fieldErrors, formError, check, showApiError } = useFormErrors();
  const [saved, setSaved] = useState(false);

  const rename = useMutation({
    mutationFn: (body: UpdateOrgBody) => apiFetch<OrgView>(orgPath(orgId), { method: 'PATCH', body }),
    onSuccess: async () => {
      setSaved(true);
      // The org switcher and page titles read the names from the signed-in user's memberships.
      await queryClient.invalidateQueries({ queryKey: queryKeys.me });
    },
    onError: showApiError,
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    const body = check(updateOrgBody, { name: value });
    if (body) rename.mutate(body);
  };

  return (
    <section className="card stack">
      <h2>Organization</h2>
      <FormSuccess message={saved ? 'Name saved.' : null} />
      <FormError message={formError} />
      <form className="form-row" onSubmit={submit} noValidate>
        <TextField
          label="Organization name"
          value={value}
          maxLength={100}
          onChange={(e) => {
            setValue(e.target.value);
            setSaved(false);
          }}
          error={fieldErrors.name}
        />
        <button type="submit" className="btn btn-primary" disabled={rename.isPending}>
          {rename.isPending ? 'Saving…' : 'Save name'}
        </button>
      </form>
    </section>
  );
}
