'use client';

import { useMutation } from '@tanstack/react-query';
import { apiFetch } from '@/lib/api-client';

export function VerifyBanner({ email }: { email: string }) {
  const resend = useMutation({
    mutationFn: () => apiFetch<void>('/api/auth/resend-verification', { method: 'POST' }),
  });
  return (
    <div className="banner" role="status">
      <div className="container banner-inner">
        <span>
          Please verify <strong>{email}</strong> — check your inbox for the link.
        </span>
        {resend.isSuccess ? (
          <span>Sent. Check your inbox.</span>
        ) : (
          <button
            type="button"
            className="btn btn-sm"
            onClick={() => resend.mutate()}
            disabled={resend.isPending}
          >
            {resend.isPending ? 'Sending…' : 'Resend email'}
          </button>
        )}
        {resend.isError ? <span>{resend.error.message}</span> : null}
      </div>
    </div>
  );
}
