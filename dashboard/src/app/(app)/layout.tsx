import type { ReactNode } from 'react';
import { Suspense } from 'react';
import { AppShell, AppShellFallback } from './app-shell';

export default function SignedInLayout({ children }: { children: ReactNode }) {
  return (
    <Suspense fallback={<AppShellFallback />}>
      <AppShell>{children}</AppShell>
    </Suspense>
  );
}
