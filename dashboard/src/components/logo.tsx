import Link from 'next/link';

export function LogoMark() {
  return (
    <svg viewBox="0 0 32 32" aria-hidden="true">
      <rect width="32" height="32" rx="8" fill="var(--accent)" />
      <path
        d="M7 21l6-7 5 4 7-9"
        fill="none"
        stroke="var(--accent-contrast)"
        strokeWidth="3"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </svg>
  );
}

export function Logo({ href = '/sites' }: { href?: string }) {
  return (
    <Link href={href} className="logo">
      <LogoMark />
      Sightline
    </Link>
  );
}
