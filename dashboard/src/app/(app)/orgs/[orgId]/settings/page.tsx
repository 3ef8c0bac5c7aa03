import type { Metadata } from 'next';
import { OrgSettings } from './org-settings';

export const metadata: Metadata = { title: 'Team settings' };

export default async function OrgSettingsPage({ params }: { params: Promise<{ orgId: string }> }) {
  const { orgId } = await params;
  return <OrgSettings orgId={decodeURIComponent(orgId)} />;
}
