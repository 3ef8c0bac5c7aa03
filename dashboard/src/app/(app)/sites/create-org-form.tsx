'use client';

import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { createOrgBody, type CreateOrgBody, type OrgView } from '@sightline/api-contract';
import { apiFetch } from '@/lib/api-client';
import { queryKeys } from '@/lib/queries/keys';
import { FormError, TextField } from '@/components/field';
import { useFormErrors } from '@/components/form-errors';
import { useOrgs } from '../org-context';

/** Shown when the user belongs to no organization (e.g. after leaving the last one). */
export function CreateOrgForm() {
  const queryClient = useQueryClient();
  const { selectOrg } = useOrgs();
  const [name, setName] = useState('');
  const { fieldErrors, formError, check, showApiError } = useFormErrors();

  const create = useMutation({
    mutationFn: (body: CreateOrgBody) => apiFetch<OrgView>('/api/orgs', { method: 'POST', body }),
    onSuccess: async (org) => {
      await queryClient.invalidateQueries({ queryKey: queryKeys.me });
      selectOrg(org.id);
    },
    onError: showApiError,
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const body = check(createOrgBody, { name });
    if (body) create.mutate(body);
  };

  return (
    <form className="form" onSubmit={submit} noValidate>
      <h1>Create an organization</h1>
      <p className="muted">An organization owns your websites and lets you invite teammates.</p>
      <FormError message={formError} />
      <TextField
        label="Name"
        value={name}
        onChange={(e) => setName(e.target.value)}
        error={fieldErrors.name}
        required
      />
      <button type="submit" className="btn btn-primary" disabled={create.isPending}>
        {create.isPending ? 'Creating…' : 'Create organization'}
      </button>
    </form>
  );
}
