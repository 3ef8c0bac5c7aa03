'use client';

import { QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { isApiError } from '@/lib/api-client';
import { isPublicPath } from '@/lib/safe-next';

declare module '@tanstack/react-query' {
  interface Register {
    queryMeta: { redirectOn401?: boolean };
  }
}

function redirectToLogin() {
  const { pathname, search } = window.location;
  if (isPublicPath(pathname)) return;
  window.location.assign(`/login?next=${encodeURIComponent(pathname + search)}`);
}

function makeQueryClient() {
  return new QueryClient({
    queryCache: new QueryCache({
      onError: (error, query) => {
        // A session that expired mid-use sends the user to log in and then straight back here.
        if (isApiError(error) && error.status === 401 && query.meta?.redirectOn401 !== false)
          redirectToLogin();
      },
    }),
    defaultOptions: {
      queries: {
        retry: (failureCount, error) => {
          if (isApiError(error) && error.status >= 400 && error.status < 500) return false;
          return failureCount < 2;
        },
        refetchOnWindowFocus: false,
      },
    },
  });
}

export function Providers({ children }: { children: ReactNode }) {
  const [client] = useState(makeQueryClient);
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}
