// Web-vitals metrics, thresholds and the dimensions a vitals row has. No imports: the dashboard
// imports this file by path for its band colours and labels.

export const VITAL_METRICS = ['lcp', 'inp', 'cls', 'fcp', 'ttfb'] as const;
export type VitalMetric = (typeof VITAL_METRICS)[number];

export type VitalBand = 'good' | 'needs_improvement' | 'poor';

/**
 * The web-vitals standard's thresholds (web.dev/articles/vitals): a value up to `good` is good,
 * above `poor` is poor, between them needs improvement. Milliseconds, except CLS (a score).
 */
export const VITAL_THRESHOLDS: Record<VitalMetric, { good: number; poor: number; unit: 'ms' | 'score' }> = {
  lcp: { good: 2500, poor: 4000, unit: 'ms' },
  inp: { good: 200, poor: 500, unit: 'ms' },
  cls: { good: 0.1, poor: 0.25, unit: 'score' },
  fcp: { good: 1800, poor: 3000, unit: 'ms' },
  ttfb: { good: 800, poor: 1800, unit: 'ms' },
};

export function vitalBand(metric: VitalMetric, value: number): VitalBand {
  const t = VITAL_THRESHOLDS[metric];
  if (value <= t.good) return 'good';
  return value > t.poor ? 'poor' : 'needs_improvement';
}

/** The dimensions a vitals row has; filters on any other (sources, UTM, goals) are refused. */
export const VITAL_FILTER_DIMENSIONS = [
  'event:page',
  'event:hostname',
  'visit:country',
  'visit:device',
  'visit:browser',
  'visit:os',
] as const;
