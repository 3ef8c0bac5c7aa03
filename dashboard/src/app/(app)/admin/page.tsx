import type { Metadata } from 'next';
import { Suspense } from 'react';
import { AdminHome } from './admin-home';
import { AdminGate } from './admin-gate';

export const metadata: Metadata = { title: 'Support admin' };

export default function AdminPage() {
  return (
    <AdminGate>
      <Suspense>
        <AdminHome />
      </Suspense>
    </AdminGate>
  );
}
