import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { EmailReportSettings } from '@sightline/api-contract';
import { apiFetch } from '../api-client';
import { queryKeys } from './keys';
import { sitePath } from './sites';

const path = (domain: string) => `${sitePath(domain)}/email-reports`;

/** The signed-in member's own email-report opt-ins for a site. */
export function useEmailReportsQuery(domain: string) {
  return useQuery({
    queryKey: queryKeys.emailReports(domain),
    queryFn: ({ signal }) => apiFetch<EmailReportSettings>(path(domain), { signal }),
  });
}

export function useUpdateEmailReports(domain: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: EmailReportSettings) =>
      apiFetch<EmailReportSettings>(path(domain), { method: 'PUT', body }),
    onSuccess: (data) => queryClient.setQueryData(queryKeys.emailReports(domain), data),
  });
}
