import type { Metadata } from 'next';
import { AdminGate } from '../../admin-gate';
import { AdminUser } from './admin-user';

export const metadata: Metadata = { title: 'User · Support admin' };

export default async function AdminUserPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return (
    <AdminGate>
      <AdminUser id={id} />
    </AdminGate>
  );
}
