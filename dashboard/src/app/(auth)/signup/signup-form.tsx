'use client';

import Link from 'next/link';
import { useSearchParams } from 'next/navigation';
import { useEffect, useState, type FormEvent } from 'react';
import { useMutation } from '@tanstack/react-query';
import { signUpBody, type MeResponse, type SignUpBody } from '@sightline/api-contract';
import { apiFetch } from '@/lib/api-client';
import { useAuthConfigQuery, useInvitationPreviewQuery, useStartSession } from '@/lib/queries/auth';
import { safeNext } from '@/lib/safe-next';
import { EmailField, FormError, PasswordField, TextField } from '@/components/field';
import { useFormErrors } from '@/components/form-errors';

export function SignupForm() {
  const params = useSearchParams();
  const startSession = useStartSession();
  const invitation = params.get('invitation');
  const next = safeNext(params.get('next'));
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const { fieldErrors, formError, check, showApiError } = useFormErrors();
  const preview = useInvitationPreviewQuery(invitation ?? '', invitation !== null);
  const authConfig = useAuthConfigQuery();
  const invitedEmail = preview.data?.email;

  // Pre-fill the invited address once; the user may still change it.
  useEffect(() => {
    if (invitedEmail) setEmail((current) => current || invitedEmail);
  }, [invitedEmail]);

  const signup = useMutation({
    mutationFn: (body: SignUpBody) => apiFetch<MeResponse>('/api/auth/signup', { method: 'POST', body }),
    onSuccess: (me) => {
      const invitedOrg = invitation ? me.orgs.at(-1) : undefined;
      startSession(me, invitedOrg ? `/sites?org=${encodeURIComponent(invitedOrg.orgId)}` : next);
    },
    onError: showApiError,
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const body = check(signUpBody, {
      email,
      password,
      name: name.trim() ? name : undefined,
      invitationToken: invitation ?? undefined,
    });
    if (body) signup.mutate(body);
  };

  if (authConfig.data?.inviteOnly && invitation === null) {
    return (
      <div className="stack">
        <div className="card form" data-testid="invite-only">
          <h1>Sign-up is by invitation</h1>
          <p className="muted">
            This Sightline server does not take open sign-ups. Ask someone in your team to invite you: the
            link in their invitation mail lets you create your account.
          </p>
          <Link className="btn btn-primary btn-block" href="/login">
            Log in
          </Link>
        </div>
      </div>
    );
  }

  return (
    <div className="stack">
      <form className="card form" onSubmit={submit} noValidate>
        <h1>Create your account</h1>
        {preview.data ? (
          <div className="notice">
            You were invited to join <strong>{preview.data.orgName}</strong> as {preview.data.role}.
          </div>
        ) : null}
        <FormError message={formError} />
        <TextField
          label="Name"
          name="name"
          autoComplete="name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={fieldErrors.name}
          hint="Optional"
        />
        <EmailField value={email} onChange={(e) => setEmail(e.target.value)} error={fieldErrors.email} />
        <PasswordField
          purpose="new"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={fieldErrors.password}
          hint="At least 10 characters"
        />
        {fieldErrors.invitationToken ? (
          <FormError message={`Invitation: ${fieldErrors.invitationToken}`} />
        ) : null}
        <button type="submit" className="btn btn-primary btn-block" disabled={signup.isPending}>
          {signup.isPending ? 'Creating account…' : 'Sign up'}
        </button>
      </form>
      <p className="auth-footer">
        Already have an account?{' '}
        <Link
          href={invitation ? `/login?next=${encodeURIComponent(`/invitations/${invitation}`)}` : '/login'}
        >
          Log in
        </Link>
      </p>
    </div>
  );
}
