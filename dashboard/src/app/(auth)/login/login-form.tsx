'use client';

import Link from 'next/link';
import { useSearchParams } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { useMutation } from '@tanstack/react-query';
import { logInBody, type LogInBody, type MeResponse } from '@sightline/api-contract';
import { apiFetch, isApiError } from '@/lib/api-client';
import { useAuthConfigQuery, useStartSession } from '@/lib/queries/auth';
import { safeNext } from '@/lib/safe-next';
import { EmailField, FormError, PasswordField, TextField } from '@/components/field';
import { useFormErrors } from '@/components/form-errors';

export function LoginForm() {
  const params = useSearchParams();
  const startSession = useStartSession();
  const authConfig = useAuthConfigQuery();
  const next = safeNext(params.get('next'));
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  // Accounts with two-factor sign-in: the API answers otp_required, then the code field appears.
  const [needOtp, setNeedOtp] = useState(false);
  const [otp, setOtp] = useState('');
  const { fieldErrors, formError, check, showApiError, setFieldErrors, setFormError } = useFormErrors();

  const login = useMutation({
    mutationFn: (body: LogInBody) => apiFetch<MeResponse>('/api/auth/login', { method: 'POST', body }),
    onSuccess: (me) => startSession(me, next),
    onError: (error) => {
      if (isApiError(error) && error.code === 'otp_required') {
        setNeedOtp(true);
        setFieldErrors({});
        setFormError(null);
        return;
      }
      showApiError(error);
    },
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const body = check(logInBody, needOtp ? { email, password, otp } : { email, password });
    if (body) login.mutate(body);
  };

  const signupHref = params.get('next') ? `/signup?next=${encodeURIComponent(next)}` : '/signup';

  return (
    <div className="stack">
      <form className="card form" onSubmit={submit} noValidate>
        <h1>Log in</h1>
        <FormError message={formError} />
        <EmailField
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          error={fieldErrors.email}
          autoFocus
        />
        <PasswordField
          purpose="current"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={fieldErrors.password}
        />
        {needOtp ? (
          <TextField
            label="Two-factor code"
            name="otp"
            inputMode="text"
            autoComplete="one-time-code"
            value={otp}
            onChange={(e) => setOtp(e.target.value)}
            error={fieldErrors.otp}
            hint="The 6-digit code from your authenticator app, or one of your recovery codes"
            required
            autoFocus
          />
        ) : null}
        <button type="submit" className="btn btn-primary btn-block" disabled={login.isPending}>
          {login.isPending ? 'Logging in…' : 'Log in'}
        </button>
        <Link href="/reset-password" className="small">
          Forgot your password?
        </Link>
      </form>
      <p className="auth-footer">
        {authConfig.data?.inviteOnly ? (
          'New here? Ask your team for an invitation.'
        ) : (
          <>
            No account yet? <Link href={signupHref}>Sign up</Link>
          </>
        )}
      </p>
    </div>
  );
}
