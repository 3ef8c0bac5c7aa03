'use client';

import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { adminQuotaBody, adminReasonBody, type AdminOrgDetail } from '@sightline/api-contract';
import { apiFetch } from '@/lib/api-client';
import { formatDate, formatNumber } from '@/lib/format';
import { queryKeys } from '@/lib/queries/keys';
import { FormError, TextField } from '@/components/field';
import { useFormErrors } from '@/components/form-errors';
import { useConfirm } from '@/components/confirm-dialog';

type QuotaAction = 'extend-grace' | 'unlock-stats' | 'allow-plan-change';

const STATE_LABEL = { ok: 'Within quota', grace: 'Grace period', locked: 'Stats locked' } as const;

/** An org's plan, usage per cycle and quota state, and support's quota actions (each audited). */
export function AdminOrgBilling({ org }: { org: AdminOrgDetail }) {
  const queryClient = useQueryClient();
  const { confirm, dialog } = useConfirm();
  const { fieldErrors, formError, check, showApiError } = useFormErrors();
  const [reason, setReason] = useState('');
  const [days, setDays] = useState('7');
  const b = org.billing;
  const act = useMutation({
    mutationFn: ({ action, body }: { action: QuotaAction; body: object }) =>
      apiFetch<AdminOrgDetail>(`/api/admin/orgs/${encodeURIComponent(org.id)}/${action}`, {
        method: 'POST',
        body,
      }),
    onSuccess: () => {
      setReason('');
      void queryClient.invalidateQueries({ queryKey: queryKeys.adminOrg(org.id) });
      void queryClient.invalidateQueries({ queryKey: queryKeys.adminAudit });
    },
    onError: showApiError,
  });
  const run = (action: QuotaAction, title: string, message: string) => {
    const body =
      action === 'allow-plan-change'
        ? check(adminReasonBody, { reason })
        : check(adminQuotaBody, { reason, days: Number(days) });
    if (!body) return;
    confirm({ title, message, confirmLabel: title, onConfirm: () => act.mutate({ action, body }) });
  };

  return (
    <section className="card stack-sm" aria-labelledby="billing-title" data-testid="admin-org-billing">
      {dialog}
      <h2 id="billing-title">Plan, usage and quota</h2>
      <p>
        <strong>{b.plan.name}</strong>
        {b.subscriptionStatus ? (
          <span className="muted"> · Stripe: {b.subscriptionStatus}</span>
        ) : null} · <span data-testid="admin-quota-state">{STATE_LABEL[b.quota.state]}</span>
        {b.quota.graceEndsAt ? <span className="muted"> until {formatDate(b.quota.graceEndsAt)}</span> : null}
      </p>
      {b.quota.reason ? <p className="muted small">{b.quota.reason}</p> : null}
      <ul className="stack-sm">
        {b.usage ? (
          <li>
            This cycle ({formatDate(b.usage.cycleStart)} – {formatDate(b.usage.cycleEnd)}):{' '}
            {formatNumber(b.usage.events)} of {formatNumber(b.usage.quota)} events
          </li>
        ) : (
          <li className="muted">Not metered yet</li>
        )}
        {b.previousCycles.map((c) => (
          <li key={c.cycleStart}>
            {formatDate(c.cycleStart)} – {formatDate(c.cycleEnd)}: {formatNumber(c.events)} events
          </li>
        ))}
        {b.ingestion.refusedEvents > 0 || b.ingestion.refused ? (
          <li className="notice notice-error">
            Ingestion {b.ingestion.refused ? 'refused (unpaid)' : 'was refused'}:{' '}
            {formatNumber(b.ingestion.refusedEvents)} events refused
          </li>
        ) : null}
      </ul>
      <div className="form stack-sm">
        <FormError message={formError} />
        <TextField
          label="Reason (recorded in the audit log)"
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          error={fieldErrors.reason}
        />
        <TextField
          label="Days of grace"
          type="number"
          min={1}
          max={30}
          value={days}
          onChange={(e) => setDays(e.target.value)}
          error={fieldErrors.days}
        />
        <div className="row">
          {b.quota.state === 'grace' ? (
            <button
              type="button"
              className="btn"
              disabled={act.isPending}
              onClick={() => run('extend-grace', 'Extend grace', `The grace period gets ${days} more days.`)}
            >
              Extend grace
            </button>
          ) : null}
          {b.quota.state !== 'ok' ? (
            <button
              type="button"
              className="btn"
              disabled={act.isPending}
              onClick={() =>
                run(
                  'unlock-stats',
                  'Unlock stats',
                  `The stats open now; the quota may lock them again after ${days} days of grace.`,
                )
              }
            >
              Unlock stats
            </button>
          ) : null}
          <button
            type="button"
            className="btn"
            disabled={act.isPending}
            onClick={() =>
              run(
                'allow-plan-change',
                'Waive the plan check',
                'Their next plan change skips the "recent usage must fit the plan" check, once.',
              )
            }
          >
            Waive plan check once
          </button>
        </div>
      </div>
    </section>
  );
}
