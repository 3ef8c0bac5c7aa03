'use client';

import Link from 'next/link';
import { useState, type FormEvent } from 'react';
import { useMutation } from '@tanstack/react-query';
import { passwordResetRequestBody } from '@sightline/api-contract';
import { apiFetch } from '@/lib/api-client';
import { FormError, FormSuccess, TextField } from '@/components/field';
import { useFormErrors } from '@/components/form-errors';

export function ResetRequestForm() {
  const [email, setEmail] = useState('');
  const { fieldErrors, formError, check, showApiError } = useFormErrors();

  const request = useMutation({
    mutationFn: (body: { email: string }) =>
      apiFetch<void>('/api/auth/password-reset', { method: 'POST', body }),
    onError: showApiError,
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const body = check(passwordResetRequestBody, { email });
    if (body) request.mutate(body);
  };

  return (
    <div className="stack">
      <form className="card form" onSubmit={submit} noValidate>
        <h1>Reset your password</h1>
        {request.isSuccess ? (
          <FormSuccess message="If an account exists for that address, we sent it a link to choose a new password." />
        ) : (
          <>
            <p className="muted">Enter your email and we will send you a link to choose a new password.</p>
            <FormError message={formError} />
            <TextField
              label="Email"
              type="email"
              autoComplete="email"
              value={email}
              onChange={(e) => setEmail(e.target.value)}
              error={fieldErrors.email}
              required
              autoFocus
            />
            <button type="submit" className="btn btn-primary btn-block" disabled={request.isPending}>
              {request.isPending ? 'Sending…' : 'Send reset link'}
            </button>
          </>
        )}
      </form>
      <p className="auth-footer">
        <Link href="/login">Back to log in</Link>
      </p>
    </div>
  );
}
