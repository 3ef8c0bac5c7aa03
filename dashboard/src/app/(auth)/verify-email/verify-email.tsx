'use client';

import Link from 'next/link';
import { useSearchParams } from 'next/navigation';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { apiFetch } from '@/lib/api-client';
import { queryKeys } from '@/lib/queries/keys';
import { ErrorState, Spinner } from '@/components/states';

export function VerifyEmail() {
  const token = useSearchParams().get('token');
  const queryClient = useQueryClient();
  // A query (not a mutation) so React's double-mount in development cannot spend the token twice.
  const verify = useQuery({
    queryKey: ['verify-email', token],
    queryFn: () =>
      apiFetch<{ verified: true }>('/api/auth/verify-email', { method: 'POST', body: { token } }),
    enabled: Boolean(token),
    retry: false,
    staleTime: Infinity,
    gcTime: Infinity,
    meta: { redirectOn401: false },
  });

  useEffect(() => {
    if (verify.isSuccess) void queryClient.invalidateQueries({ queryKey: queryKeys.me });
  }, [verify.isSuccess, queryClient]);

  return (
    <div className="card stack">
      <h1>Verify your email</h1>
      {!token ? (
        <p className="notice notice-error">This link has no token. Open the link from the email again.</p>
      ) : verify.isPending ? (
        <p className="row">
          <Spinner /> Verifying…
        </p>
      ) : verify.isError ? (
        <ErrorState title="This link did not work" error={verify.error} />
      ) : (
        <p className="notice notice-success">Your email address is verified.</p>
      )}
      <Link href="/sites" className="btn btn-primary">
        Continue to Sightline
      </Link>
    </div>
  );
}
