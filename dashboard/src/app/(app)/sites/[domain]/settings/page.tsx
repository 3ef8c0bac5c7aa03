import type { Metadata } from 'next';
import { SiteSettings } from './site-settings';

export const metadata: Metadata = { title: 'Site settings' };

export default async function SiteSettingsPage({ params }: { params: Promise<{ domain: string }> }) {
  const { domain } = await params;
  return <SiteSettings domain={decodeURIComponent(domain)} />;
}
