'use client';

import type { EmailReportSettings } from '@sightline/api-contract';
import { useEmailReportsQuery, useUpdateEmailReports } from '@/lib/queries/email-reports';
import { FormError } from '@/components/field';
import { ErrorState, LoadingState } from '@/components/states';
import { usePlanFeature } from '@/components/plan-feature';

/** Every member chooses their own reports, whatever their role. */
export function EmailReportsSettings({ domain, orgId }: { domain: string; orgId: string }) {
  const settings = useEmailReportsQuery(domain);
  // Not in the plan: opting in is not offered; a kept opt-in (after a downgrade) can still be turned off.
  const gate = usePlanFeature(orgId, 'email_reports');
  const update = useUpdateEmailReports(domain);

  const toggle = (key: keyof EmailReportSettings, value: boolean) => {
    if (!settings.data) return;
    update.mutate({ ...settings.data, [key]: value });
  };

  return (
    <section className="card stack">
      <h2>Email reports</h2>
      <p className="muted small">
        A summary of visitors, pageviews, bounce rate, visit duration, top pages, sources and countries, sent
        to you only. Each mail has a one-click unsubscribe link.
      </p>
      {settings.isPending ? (
        <LoadingState rows={2} />
      ) : settings.isError ? (
        <ErrorState error={settings.error} onRetry={() => void settings.refetch()} />
      ) : (
        <div className="stack">
          {gate.note}
          <FormError message={update.error?.message} />
          <label className="checkbox">
            <input
              type="checkbox"
              checked={settings.data.weekly}
              disabled={update.isPending || (gate.included === false && !settings.data.weekly)}
              onChange={(e) => toggle('weekly', e.target.checked)}
            />
            Weekly report (Mondays, for the previous week)
          </label>
          <label className="checkbox">
            <input
              type="checkbox"
              checked={settings.data.monthly}
              disabled={update.isPending || (gate.included === false && !settings.data.monthly)}
              onChange={(e) => toggle('monthly', e.target.checked)}
            />
            Monthly report (on the 1st, for the previous month)
          </label>
        </div>
      )}
    </section>
  );
}
