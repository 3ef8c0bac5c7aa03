'use client';

import { useState } from 'react';
import { zipSync, strToU8 } from 'fflate';
import { apiFetch } from '@/lib/api-client';
import { toCsv } from '@/lib/csv';
import { useStatsRoutes, type StatsRoutes } from '@/lib/stats-endpoint';
import { vitalsCsvFiles } from '@/lib/vitals-export';
import { toDateRange, type DashboardState } from '@/lib/dashboard-params';
import type {
  Dimension,
  Filter,
  Metric,
  PropertyKeysResponse,
  QueryRequest,
  QueryResponse,
} from '@/lib/query-types';
import { funnelExportFiles } from './funnel-export';

interface Report {
  file: string;
  dimension: Dimension;
  metrics: Metric[];
  extraFilters?: Filter[];
}

const VISIT_METRICS: Metric[] = ['visitors', 'visits', 'bounce_rate', 'visit_duration'];
const REPORTS: Report[] = [
  { file: 'sources.csv', dimension: 'visit:source', metrics: VISIT_METRICS },
  { file: 'referrers.csv', dimension: 'visit:referrer', metrics: VISIT_METRICS },
  { file: 'utm_sources.csv', dimension: 'visit:utm_source', metrics: VISIT_METRICS },
  { file: 'utm_mediums.csv', dimension: 'visit:utm_medium', metrics: VISIT_METRICS },
  { file: 'utm_campaigns.csv', dimension: 'visit:utm_campaign', metrics: VISIT_METRICS },
  {
    file: 'pages.csv',
    dimension: 'event:page',
    metrics: ['visitors', 'pageviews', 'scroll_depth', 'time_on_page'],
  },
  { file: 'entry_pages.csv', dimension: 'visit:entry_page', metrics: VISIT_METRICS },
  { file: 'exit_pages.csv', dimension: 'visit:exit_page', metrics: ['visitors', 'visits'] },
  { file: 'countries.csv', dimension: 'visit:country', metrics: ['visitors'] },
  { file: 'devices.csv', dimension: 'visit:device', metrics: ['visitors'] },
  { file: 'browsers.csv', dimension: 'visit:browser', metrics: ['visitors'] },
  { file: 'operating_systems.csv', dimension: 'visit:os', metrics: ['visitors'] },
  {
    file: 'custom_events.csv',
    dimension: 'event:name',
    metrics: ['visitors', 'events', 'total_revenue', 'average_revenue'],
    extraFilters: [['is_not', 'event:name', ['pageview']]],
  },
];
/** Property keys exported in custom_props.csv (the most used ones). */
const MAX_EXPORTED_PROPERTIES = 30;
/** Queries in flight at once: enough to be quick, few enough not to crowd the API. */
const CONCURRENCY = 4;

/** The dashboard's view as a zip of CSV files: the time series and every breakdown, with its filters. */
export function ExportButton({ domain, state }: { domain: string; state: DashboardState }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const routes = useStatsRoutes();
  const endpoint = routes.query;

  const exportView = async () => {
    setBusy(true);
    setError(null);
    try {
      const dateRange = toDateRange(state);
      const reports: Report[] = [
        {
          file: 'visitors.csv',
          dimension: `time:${state.interval}`,
          metrics: ['visitors', 'visits', 'pageviews', 'bounce_rate', 'visit_duration'],
        },
        ...REPORTS,
      ];
      const files: Record<string, Uint8Array> = {};
      for (let i = 0; i < reports.length; i += CONCURRENCY) {
        await Promise.all(
          reports.slice(i, i + CONCURRENCY).map(async (report) => {
            const isTime = report.dimension.startsWith('time:');
            const body: QueryRequest = {
              site_id: domain,
              metrics: report.metrics,
              date_range: dateRange,
              dimensions: [report.dimension],
              filters: [...state.filters, ...(report.extraFilters ?? [])],
              pagination: { limit: 10_000 },
              include: { time_labels: isTime, imports: true },
            };
            const res = await apiFetch<QueryResponse>(endpoint, { method: 'POST', body });
            const header = [report.dimension.split(':')[1] ?? report.dimension, ...report.metrics];
            let rows = res.results.map((r) => [...r.dimensions.map(String), ...r.metrics]);
            if (isTime && res.meta.time_labels) {
              // Every bucket of the range, empty ones as zeros, as the chart shows them.
              const byLabel = new Map(rows.map((row) => [row[0], row]));
              rows = res.meta.time_labels.map(
                (label) => byLabel.get(label) ?? [label, ...report.metrics.map(() => 0)],
              );
            }
            files[report.file] = strToU8(toCsv(header, rows));
          }),
        );
      }
      files['custom_props.csv'] = strToU8(await propertiesCsv(routes, domain, dateRange, state.filters));
      Object.assign(
        files,
        await funnelExportFiles(domain, { date_range: dateRange, filters: state.filters }, routes),
      );
      for (const [file, csv] of Object.entries(
        await vitalsCsvFiles(domain, dateRange, state.filters, routes.vitals),
      ))
        files[file] = strToU8(csv);
      const zip = zipSync(files);
      const url = URL.createObjectURL(new Blob([zip as BlobPart], { type: 'application/zip' }));
      const link = document.createElement('a');
      link.href = url;
      link.download = `sightline-${domain}-${Array.isArray(dateRange) ? dateRange.join('_') : dateRange}.zip`;
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (err) {
      setError(err instanceof Error ? err.message : 'The export failed');
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <button type="button" className="btn btn-sm" onClick={() => void exportView()} disabled={busy}>
        {busy ? 'Exporting…' : 'Export CSV'}
      </button>
      {error ? (
        <span className="field-error" role="alert">
          {error}
        </span>
      ) : null}
    </>
  );
}

/** One row per property value: `property, value, visitors, events` (as Plausible's export). */
async function propertiesCsv(
  routes: StatsRoutes,
  domain: string,
  dateRange: QueryRequest['date_range'],
  filters: Filter[],
): Promise<string> {
  const keys = await apiFetch<PropertyKeysResponse>(routes.propertyKeys, {
    method: 'POST',
    body: { site_id: domain, date_range: dateRange, filters },
  });
  const rows: (string | number | null)[][] = [];
  for (const { key } of keys.results.slice(0, MAX_EXPORTED_PROPERTIES)) {
    const body: QueryRequest = {
      site_id: domain,
      metrics: ['visitors', 'events'],
      date_range: dateRange,
      dimensions: [`event:props:${key}`],
      // Events without the key would all be "(none)": leave them out.
      filters: [...filters, ['is_not', `event:props:${key}`, ['(none)']]],
      pagination: { limit: 10_000 },
    };
    const res = await apiFetch<QueryResponse>(routes.query, { method: 'POST', body });
    for (const r of res.results) rows.push([key, String(r.dimensions[0] ?? ''), ...r.metrics]);
  }
  return toCsv(['property', 'value', 'visitors', 'events'], rows);
}
