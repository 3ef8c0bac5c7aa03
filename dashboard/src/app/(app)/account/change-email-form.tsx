'use client';

import { useState, type FormEvent } from 'react';
import { useMutation } from '@tanstack/react-query';
import { changeEmailBody, type ChangeEmailBody } from '@sightline/api-contract';
import { apiFetch } from '@/lib/api-client';
import { FormError, FormSuccess, TextField } from '@/components/field';
import { useFormErrors } from '@/components/form-errors';

export function ChangeEmailForm({ currentEmail }: { currentEmail: string }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const { fieldErrors, formError, check, showApiError } = useFormErrors();
  const [sentTo, setSentTo] = useState<string | null>(null);

  const change = useMutation({
    mutationFn: (body: ChangeEmailBody) => apiFetch<void>('/api/account/email', { method: 'POST', body }),
    onSuccess: (_data, body) => {
      setSentTo(body.email);
      setEmail('');
      setPassword('');
    },
    onError: showApiError,
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSentTo(null);
    const body = check(changeEmailBody, { email, password });
    if (body) change.mutate(body);
  };

  return (
    <form className="card form" onSubmit={submit} noValidate>
      <h2>Email address</h2>
      <p className="muted small">
        Currently <strong>{currentEmail}</strong>. We send a confirmation link to the new address; the change
        applies once you open it.
      </p>
      <FormError message={formError} />
      {sentTo ? <FormSuccess message={`Check ${sentTo} for the confirmation link.`} /> : null}
      <TextField
        label="New email"
        type="email"
        autoComplete="email"
        value={email}
        onChange={(e) => setEmail(e.target.value)}
        error={fieldErrors.email}
      />
      <TextField
        label="Current password"
        type="password"
        autoComplete="current-password"
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        error={fieldErrors.password}
      />
      <div>
        <button type="submit" className="btn btn-primary" disabled={change.isPending}>
          {change.isPending ? 'Sending…' : 'Change email'}
        </button>
      </div>
    </form>
  );
}
