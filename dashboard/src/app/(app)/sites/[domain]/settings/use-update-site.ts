'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { SiteView, UpdateSiteBody } from '@sightline/api-contract';
import { apiFetch } from '@/lib/api-client';
import { queryKeys } from '@/lib/queries/keys';
import { sitePath } from '@/lib/queries/sites';

export function useUpdateSite(site: SiteView) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: UpdateSiteBody) =>
      apiFetch<SiteView>(sitePath(site.domain), { method: 'PATCH', body }),
    onSuccess: (updated) => {
      queryClient.setQueryData(queryKeys.site(site.domain), updated);
      void queryClient.invalidateQueries({ queryKey: queryKeys.sites(site.orgId) });
    },
  });
}
