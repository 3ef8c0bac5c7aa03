import { strToU8 } from 'fflate';
import type { FunnelView } from '@sightline/api-contract';
import { apiFetch } from '@/lib/api-client';
import { toCsv } from '@/lib/csv';
import { runFunnel, type FunnelQueryBody, type FunnelStepResult } from '@/lib/queries/funnels';
import { MEMBER_STATS_ROUTES, type StatsRoutes } from '@/lib/stats-endpoint';

/** A funnel's steps as CSV (the columns of the panel's table). */
export function funnelCsv(steps: FunnelStepResult[]): string {
  return toCsv(
    ['step', 'visitors', 'conversion_rate', 'conversion_rate_step', 'dropoff', 'dropoff_percentage'],
    steps.map((s) => [
      s.label,
      s.visitors,
      s.conversion_rate,
      s.conversion_rate_step,
      s.dropoff,
      s.dropoff_percentage,
    ]),
  );
}

export function funnelFileName(name: string): string {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  return `funnel-${slug || 'funnel'}.csv`;
}

/** Every funnel of the site over the export's period and filters, as `funnel-<name>.csv` files. */
export async function funnelExportFiles(
  domain: string,
  body: FunnelQueryBody,
  routes: StatsRoutes = MEMBER_STATS_ROUTES,
): Promise<Record<string, Uint8Array>> {
  const funnels = await apiFetch<FunnelView[]>(routes.funnels(domain));
  const files: Record<string, Uint8Array> = {};
  for (const funnel of funnels) {
    const result = await runFunnel(domain, funnel.id, body, undefined, routes);
    let file = funnelFileName(funnel.name);
    for (let n = 2; file in files; n++) file = funnelFileName(`${funnel.name} ${n}`);
    files[file] = strToU8(funnelCsv(result.steps));
  }
  return files;
}
