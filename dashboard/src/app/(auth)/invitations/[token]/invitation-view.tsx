'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { OrgView } from '@sightline/api-contract';
import { apiFetch, isApiError } from '@/lib/api-client';
import { useInvitationPreviewQuery, useMeQuery } from '@/lib/queries/auth';
import { queryKeys } from '@/lib/queries/keys';
import { formatDate } from '@/lib/format';
import { FormError } from '@/components/field';
import { ErrorState, LoadingState } from '@/components/states';

export function InvitationView({ token }: { token: string }) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const preview = useInvitationPreviewQuery(token);
  const me = useMeQuery({ redirectOn401: false });
  const signedIn = me.isSuccess;
  const here = `/invitations/${encodeURIComponent(token)}`;

  const accept = useMutation({
    mutationFn: () => apiFetch<OrgView>('/api/invitations/accept', { method: 'POST', body: { token } }),
    onSuccess: async (org) => {
      await queryClient.invalidateQueries({ queryKey: queryKeys.me });
      router.replace(`/sites?org=${encodeURIComponent(org.id)}`);
    },
  });

  if (preview.isPending) {
    return (
      <div className="card">
        <LoadingState label="Loading invitation" />
      </div>
    );
  }
  if (preview.isError) {
    const gone = isApiError(preview.error) && (preview.error.status === 404 || preview.error.status === 410);
    return (
      <div className="card stack">
        <h1>Invitation</h1>
        {gone ? (
          <p className="notice notice-error">
            This invitation is invalid, was revoked, or has expired. Ask for a new one.
          </p>
        ) : (
          <ErrorState error={preview.error} onRetry={() => void preview.refetch()} />
        )}
      </div>
    );
  }

  const invitation = preview.data;
  const wrongAccount = signedIn && me.data.user.email.toLowerCase() !== invitation.email.toLowerCase();

  return (
    <div className="card stack">
      <h1>Join {invitation.orgName}</h1>
      <p>
        <strong>{invitation.email}</strong> was invited to <strong>{invitation.orgName}</strong> as{' '}
        <span className="badge badge-accent">{invitation.role}</span>.
      </p>
      <p className="muted small">The invitation expires on {formatDate(invitation.expiresAt)}.</p>
      <FormError message={accept.error ? accept.error.message : null} />
      {me.isPending ? (
        <LoadingState rows={1} />
      ) : signedIn ? (
        <>
          {wrongAccount ? (
            <p className="notice">
              You are logged in as {me.data.user.email}. The invitation was sent to {invitation.email};
              accepting adds this account.
            </p>
          ) : null}
          <button
            type="button"
            className="btn btn-primary"
            onClick={() => accept.mutate()}
            disabled={accept.isPending}
          >
            {accept.isPending ? 'Joining…' : `Accept and join ${invitation.orgName}`}
          </button>
        </>
      ) : (
        <div className="stack-sm">
          <Link className="btn btn-primary" href={`/signup?invitation=${encodeURIComponent(token)}`}>
            Create an account to accept
          </Link>
          <Link className="btn" href={`/login?next=${encodeURIComponent(here)}`}>
            I already have an account — log in
          </Link>
        </div>
      )}
    </div>
  );
}
