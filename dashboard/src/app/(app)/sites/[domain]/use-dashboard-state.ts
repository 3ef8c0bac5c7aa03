'use client';

import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useCallback, useMemo } from 'react';
import { parseDashboardState, withDashboardState, type DashboardState } from '@/lib/dashboard-params';

/** The dashboard's view state, read from and written to the URL (replace, so Back leaves the dashboard). */
export function useDashboardState(): [DashboardState, (patch: Partial<DashboardState>) => void] {
  const params = useSearchParams();
  const pathname = usePathname();
  const router = useRouter();
  const state = useMemo(() => parseDashboardState(new URLSearchParams(params.toString())), [params]);

  const update = useCallback(
    (patch: Partial<DashboardState>) => {
      const query = withDashboardState(new URLSearchParams(params.toString()), patch);
      router.replace(query ? `${pathname}?${query}` : pathname, { scroll: false });
    },
    [params, pathname, router],
  );

  return [state, update];
}
