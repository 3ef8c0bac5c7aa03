import type { ReactNode } from 'react';
import { Logo } from '@/components/logo';

export default function AuthLayout({ children }: { children: ReactNode }) {
  return (
    <main className="auth-layout">
      <Logo href="/login" />
      <div className="auth-card">{children}</div>
    </main>
  );
}
