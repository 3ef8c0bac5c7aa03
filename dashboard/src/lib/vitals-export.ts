import type { VitalsRequest, VitalsResponse } from '@sightline/query/src/vitals-contract';
import { VITAL_METRICS } from '@sightline/query/src/vitals-thresholds';
import { apiFetch } from './api-client';
import { toCsv } from './csv';
import type { DateRange, Filter } from './query-types';
import { splitVitalFilters } from './vitals-format';

/** The Performance panel as CSV files for the dashboard's export zip (filters that apply to vitals; `endpoint`: a shared link's copy of the route). */
export async function vitalsCsvFiles(
  domain: string,
  dateRange: DateRange,
  filters: Filter[],
  endpoint = '/api/v2/vitals',
): Promise<Record<string, string>> {
  const body: VitalsRequest = {
    site_id: domain,
    date_range: dateRange,
    filters: splitVitalFilters(filters).applied,
    pages_limit: 100,
  };
  const res = await apiFetch<VitalsResponse>(endpoint, { method: 'POST', body });
  const p75Header = VITAL_METRICS.map((m) => `${m}_p75`);
  return {
    'web_vitals.csv': toCsv(
      ['metric', 'p75', 'band', 'page_loads', 'good', 'needs_improvement', 'poor'],
      res.summary.map((s) => [s.metric, s.p75, s.band, s.samples, s.good, s.needs_improvement, s.poor]),
    ),
    'web_vitals_daily.csv': toCsv(
      ['date', 'page_loads', ...p75Header],
      res.trend.map((d) => [d.date, d.samples, ...VITAL_METRICS.map((m) => d[m])]),
    ),
    'web_vitals_pages.csv': toCsv(
      ['page', 'page_loads', ...p75Header],
      res.pages.map((p) => [p.page, p.samples, ...VITAL_METRICS.map((m) => p[m])]),
    ),
  };
}
