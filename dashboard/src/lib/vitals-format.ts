import {
  VITAL_FILTER_DIMENSIONS,
  VITAL_THRESHOLDS,
  type VitalBand,
  type VitalMetric,
} from '@sightline/query/src/vitals-thresholds';
import type { Filter } from './query-types';

export const VITAL_NAMES: Record<VitalMetric, { short: string; long: string }> = {
  lcp: { short: 'LCP', long: 'Largest Contentful Paint' },
  inp: { short: 'INP', long: 'Interaction to Next Paint' },
  cls: { short: 'CLS', long: 'Cumulative Layout Shift' },
  fcp: { short: 'FCP', long: 'First Contentful Paint' },
  ttfb: { short: 'TTFB', long: 'Time to First Byte' },
};

export const BAND_LABELS: Record<VitalBand, string> = {
  good: 'Good',
  needs_improvement: 'Needs improvement',
  poor: 'Poor',
};

/** 180 ms, 2.4 s; CLS as a score with two decimals. */
export function formatVital(metric: VitalMetric, value: number | null): string {
  if (value === null) return '—';
  if (VITAL_THRESHOLDS[metric].unit === 'score') return value.toFixed(2);
  return value < 1000 ? `${Math.round(value)} ms` : `${(value / 1000).toFixed(value < 10_000 ? 2 : 1)} s`;
}

/** The thresholds as text: "good ≤ 2.50 s, poor > 4.00 s". */
export function thresholdText(metric: VitalMetric): string {
  const t = VITAL_THRESHOLDS[metric];
  return `good ≤ ${formatVital(metric, t.good)}, poor > ${formatVital(metric, t.poor)}`;
}

/** The dashboard filters a vitals row can answer (page, host, country, device, browser, OS), and the rest. */
export function splitVitalFilters(filters: Filter[]): { applied: Filter[]; ignored: Filter[] } {
  const supported = new Set<string>(VITAL_FILTER_DIMENSIONS);
  return {
    applied: filters.filter((f) => supported.has(f[1])),
    ignored: filters.filter((f) => !supported.has(f[1])),
  };
}
