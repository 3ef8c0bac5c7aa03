import type { Metadata } from 'next';
import { SiteDashboard } from './site-dashboard';

export async function generateMetadata({
  params,
}: {
  params: Promise<{ domain: string }>;
}): Promise<Metadata> {
  const { domain } = await params;
  return { title: decodeURIComponent(domain) };
}

export default async function SiteDashboardPage({ params }: { params: Promise<{ domain: string }> }) {
  const { domain } = await params;
  return <SiteDashboard domain={decodeURIComponent(domain)} />;
}
