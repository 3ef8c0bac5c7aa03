import type { Metadata } from 'next';
import { AdminGate } from '../../admin-gate';
import { AdminOrg } from './admin-org';

export const metadata: Metadata = { title: 'Organization · Support admin' };

export default async function AdminOrgPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return (
    <AdminGate>
      <AdminOrg id={id} />
    </AdminGate>
  );
}
