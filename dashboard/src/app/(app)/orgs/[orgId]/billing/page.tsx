import type { Metadata } from 'next';
import { Suspense } from 'react';
import { BillingOverview } from './billing-overview';

export const metadata: Metadata = { title: 'Billing' };

export default async function BillingPage({ params }: { params: Promise<{ orgId: string }> }) {
  const { orgId } = await params;
  return (
    <Suspense>
      <BillingOverview orgId={decodeURIComponent(orgId)} />
    </Suspense>
  );
}
