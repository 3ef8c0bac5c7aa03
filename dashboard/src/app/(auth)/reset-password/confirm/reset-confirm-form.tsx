'use client';

import Link from 'next/link';
import { useSearchParams } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { useMutation } from '@tanstack/react-query';
import { passwordResetConfirmBody, type PasswordResetConfirmBody } from '@sightline/api-contract';
import { apiFetch } from '@/lib/api-client';
import { FormError, FormSuccess, TextField } from '@/components/field';
import { apiErrorToForm, validate, type FieldErrors } from '@/components/form-errors';

export function ResetConfirmForm() {
  const token = useSearchParams().get('token') ?? '';
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [linkRefused, setLinkRefused] = useState(false);

  const reset = useMutation({
    mutationFn: (body: PasswordResetConfirmBody) =>
      apiFetch<void>('/api/auth/password-reset/confirm', { method: 'POST', body }),
    onError: (error) => {
      const mapped = apiErrorToForm(error);
      // A used or expired link cannot work however often the form is sent: offer a new one instead.
      if (mapped.fieldErrors.token) {
        setLinkRefused(true);
        return;
      }
      setFieldErrors(mapped.fieldErrors);
      setFormError(mapped.formError);
    },
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setFormError(null);
    const result = validate(passwordResetConfirmBody, { token, password });
    const errors = result.errors ?? {};
    if (password !== confirm) errors.confirm = 'The passwords do not match';
    setFieldErrors(errors);
    if (errors.token) setFormError('This reset link is incomplete. Open the link from the email again.');
    if (result.data && !errors.confirm) reset.mutate(result.data);
  };

  if (reset.isSuccess) {
    return (
      <div className="card stack">
        <h1>Password changed</h1>
        <FormSuccess message="Your password was changed and every session was logged out." />
        <Link href="/login" className="btn btn-primary">
          Log in
        </Link>
      </div>
    );
  }

  if (linkRefused) {
    return (
      <div className="card stack">
        <h1>This link no longer works</h1>
        <FormError message="This reset link was already used or has expired. Each link works once, within an hour." />
        <Link href="/reset-password" className="btn btn-primary">
          Request a new link
        </Link>
      </div>
    );
  }

  return (
    <form className="card form" onSubmit={submit} noValidate>
      <h1>Choose a new password</h1>
      <FormError message={formError} />
      <TextField
        label="New password"
        type="password"
        autoComplete="new-password"
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        error={fieldErrors.password}
        hint="At least 10 characters"
        required
        autoFocus
      />
      <TextField
        label="Repeat new password"
        type="password"
        autoComplete="new-password"
        value={confirm}
        onChange={(e) => setConfirm(e.target.value)}
        error={fieldErrors.confirm}
        required
      />
      <button type="submit" className="btn btn-primary btn-block" disabled={reset.isPending}>
        {reset.isPending ? 'Saving…' : 'Set new password'}
      </button>
    </form>
  );
}
