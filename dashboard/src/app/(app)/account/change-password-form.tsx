'use client';

import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { changePasswordBody, type ChangePasswordBody } from '@sightline/api-contract';
import { apiFetch } from '@/lib/api-client';
import { queryKeys } from '@/lib/queries/keys';
import { FormError, FormSuccess, TextField } from '@/components/field';
import { useFormErrors } from '@/components/form-errors';

export function ChangePasswordForm() {
  const queryClient = useQueryClient();
  const [currentPassword, setCurrentPassword] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const { fieldErrors, formError, check, showApiError } = useFormErrors();

  const change = useMutation({
    mutationFn: (body: ChangePasswordBody) =>
      apiFetch<void>('/api/account/password', { method: 'POST', body }),
    onSuccess: () => {
      setCurrentPassword('');
      setNewPassword('');
      // Other sessions were revoked by the server.
      void queryClient.invalidateQueries({ queryKey: queryKeys.sessions });
    },
    onError: showApiError,
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const body = check(changePasswordBody, { currentPassword, newPassword });
    if (body) change.mutate(body);
  };

  return (
    <form className="card form" onSubmit={submit} noValidate>
      <h2>Password</h2>
      <FormError message={formError} />
      {change.isSuccess ? (
        <FormSuccess message="Password changed. Your other sessions were logged out." />
      ) : null}
      <TextField
        label="Current password"
        type="password"
        autoComplete="current-password"
        value={currentPassword}
        onChange={(e) => setCurrentPassword(e.target.value)}
        error={fieldErrors.currentPassword}
      />
      <TextField
        label="New password"
        type="password"
        autoComplete="new-password"
        value={newPassword}
        onChange={(e) => setNewPassword(e.target.value)}
        error={fieldErrors.newPassword}
        hint="At least 10 characters"
      />
      <div>
        <button type="submit" className="btn btn-primary" disabled={change.isPending}>
          {change.isPending ? 'Saving…' : 'Change password'}
        </button>
      </div>
    </form>
  );
}
