'use client';

import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { deleteAccountBody, type DeleteAccountBody } from '@sightline/api-contract';
import { apiFetch } from '@/lib/api-client';
import { useConfirm } from '@/components/confirm-dialog';
import { FormError, TextField } from '@/components/field';
import { useFormErrors } from '@/components/form-errors';

/** Account page: delete the account (restorable for 72 hours with the mailed link). */
export function DeleteAccountSection({ twoFactorEnabled }: { twoFactorEnabled: boolean }) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const [password, setPassword] = useState('');
  const [otp, setOtp] = useState('');
  const { confirm, dialog } = useConfirm();
  const { fieldErrors, formError, check, showApiError } = useFormErrors();
  const remove = useMutation({
    mutationFn: (body: DeleteAccountBody) =>
      apiFetch<{ restorableUntil: string }>('/api/account/delete', { method: 'POST', body }),
    onSuccess: () => {
      queryClient.clear();
      router.replace('/login?deleted=1');
    },
    onError: showApiError,
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const body = check(deleteAccountBody, twoFactorEnabled ? { password, otp } : { password });
    if (!body) return;
    confirm({
      title: 'Delete your account?',
      message:
        'You are signed out everywhere at once. Organizations you are the only owner of are deleted with their sites and statistics after 72 hours, unless you restore the account with the link we email you.',
      confirmLabel: 'Delete my account',
      danger: true,
      onConfirm: () => remove.mutate(body),
    });
  };
  return (
    <form className="card form danger-zone" onSubmit={submit} noValidate>
      {dialog}
      <h2>Delete account</h2>
      <p className="muted">
        Your account disappears at once; for 72 hours the link in the confirmation email restores it.
      </p>
      <FormError message={formError} />
      <TextField
        label="Password"
        type="password"
        autoComplete="current-password"
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        error={fieldErrors.password}
      />
      {twoFactorEnabled ? (
        <TextField
          label="Two-factor code"
          autoComplete="one-time-code"
          value={otp}
          onChange={(e) => setOtp(e.target.value)}
          error={fieldErrors.otp}
        />
      ) : null}
      <div>
        <button type="submit" className="btn btn-danger" disabled={remove.isPending}>
          {remove.isPending ? 'Deleting…' : 'Delete my account'}
        </button>
      </div>
    </form>
  );
}
