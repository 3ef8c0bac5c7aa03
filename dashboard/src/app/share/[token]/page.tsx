import type { Metadata } from 'next';
import { SharedDashboard } from './shared-dashboard';

export const metadata: Metadata = {
  title: 'Shared dashboard',
  robots: { index: false, follow: false },
};

export default async function SharedDashboardPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  return <SharedDashboard token={token} />;
}
