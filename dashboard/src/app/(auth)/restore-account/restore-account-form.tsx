'use client';

import { useSearchParams } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { useMutation } from '@tanstack/react-query';
import { restoreAccountBody, type MeResponse, type RestoreAccountBody } from '@sightline/api-contract';
import { apiFetch, isApiError } from '@/lib/api-client';
import { useStartSession } from '@/lib/queries/auth';
import { FormError, TextField } from '@/components/field';
import { useFormErrors } from '@/components/form-errors';

/** The link from the deletion mail: signing in here within 72 hours cancels the deletion. */
export function RestoreAccountForm() {
  const startSession = useStartSession();
  const token = useSearchParams().get('token') ?? '';
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [needOtp, setNeedOtp] = useState(false);
  const [otp, setOtp] = useState('');
  const { fieldErrors, formError, check, showApiError, setFormError } = useFormErrors();
  const restore = useMutation({
    mutationFn: (body: RestoreAccountBody) =>
      apiFetch<MeResponse>('/api/auth/restore-account', { method: 'POST', body }),
    onSuccess: (me) => startSession(me, '/sites'),
    onError: (error) => {
      if (isApiError(error) && error.code === 'otp_required') {
        setNeedOtp(true);
        setFormError(null);
        return;
      }
      showApiError(error);
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const body = check(
      restoreAccountBody,
      needOtp ? { token, email, password, otp } : { token, email, password },
    );
    if (body) restore.mutate(body);
  };
  return (
    <form className="card form" onSubmit={submit} noValidate>
      <h1>Restore your account</h1>
      <p className="muted">Sign in to cancel the deletion. Everything is kept as it was.</p>
      <FormError message={formError ?? fieldErrors.token} />
      <TextField
        label="Email"
        type="email"
        autoComplete="email"
        value={email}
        onChange={(e) => setEmail(e.target.value)}
        error={fieldErrors.email}
        autoFocus
      />
      <TextField
        label="Password"
        type="password"
        autoComplete="current-password"
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        error={fieldErrors.password}
      />
      {needOtp ? (
        <TextField
          label="Two-factor code"
          autoComplete="one-time-code"
          value={otp}
          onChange={(e) => setOtp(e.target.value)}
          error={fieldErrors.otp}
          hint="The 6-digit code from your authenticator app, or a recovery code"
          autoFocus
        />
      ) : null}
      <button type="submit" className="btn btn-primary btn-block" disabled={restore.isPending}>
        {restore.isPending ? 'Restoring…' : 'Restore my account'}
      </button>
    </form>
  );
}
