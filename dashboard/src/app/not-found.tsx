import Link from 'next/link';
import { Logo } from '@/components/logo';

export default function NotFound() {
  return (
    <main className="auth-layout">
      <Logo />
      <div className="card auth-card state">
        <p className="state-title">Page not found</p>
        <p>The page you were looking for does not exist.</p>
        <Link className="btn btn-primary" href="/sites">
          Go to your sites
        </Link>
      </div>
    </main>
  );
}
