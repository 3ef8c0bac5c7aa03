import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ImportSource, SiteImportView } from '@sightline/api-contract';
import { apiFetch, ApiError } from '../api-client';
import { sitePath } from './sites';

const path = (domain: string) => `${sitePath(domain)}/imports`;
export const importsKey = (domain: string) => ['sites', domain, 'imports'] as const;

const isActive = (i: SiteImportView) => i.status === 'queued' || i.status === 'running';

/** The site's imports; polled every 2 s while one is queued or running, so progress moves. */
export function useImportsQuery(domain: string) {
  return useQuery({
    queryKey: importsKey(domain),
    queryFn: ({ signal }) => apiFetch<SiteImportView[]>(path(domain), { signal }),
    refetchInterval: (query) => (query.state.data?.some(isActive) ? 2_000 : false),
  });
}

/** Sends the file as the raw request body (no multipart); the API answers 202 and the worker imports it. */
export function useUploadImport(domain: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ source, file }: { source: ImportSource; file: File }) => {
      const query = new URLSearchParams({ source, filename: file.name });
      const response = await fetch(`${path(domain)}?${query}`, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/octet-stream', Accept: 'application/json' },
        body: file,
      });
      const payload: unknown = await response.json().catch(() => undefined);
      if (!response.ok) {
        type ErrorBody = { error?: { code?: string; message?: string; field?: string } };
        const error = (payload as ErrorBody | undefined)?.error;
        throw new ApiError(
          response.status,
          error?.code ?? 'error',
          error?.message ?? `The upload failed (${response.status})`,
          error?.field,
        );
      }
      return payload as SiteImportView;
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: importsKey(domain) }),
  });
}

export function useDeleteImport(domain: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => apiFetch<void>(`${path(domain)}/${id}`, { method: 'DELETE' }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: importsKey(domain) });
      void queryClient.invalidateQueries({ queryKey: ['stats'] });
    },
  });
}
