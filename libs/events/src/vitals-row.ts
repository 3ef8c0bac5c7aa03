/** The web vitals the tracker's vitals extension reports, in the order of the `web_vitals` columns. */
export const WEB_VITAL_METRICS = ['lcp', 'inp', 'cls', 'fcp', 'ttfb'] as const;
export type WebVitalMetric = (typeof WEB_VITAL_METRICS)[number];

/**
 * Largest value accepted per metric; anything above (or negative, or not a finite number) is
 * refused with 400, not clamped: such a value is a broken client or a forgery, not a slow page.
 * Durations are milliseconds (one hour at most), CLS is a unitless score.
 */
export const WEB_VITAL_MAX: Record<WebVitalMetric, number> = {
  lcp: 3_600_000,
  inp: 3_600_000,
  cls: 100,
  fcp: 3_600_000,
  ttfb: 3_600_000,
};

/** Stored for a metric the page did not report (no Nullable columns, see migration 005). */
export const VITAL_NOT_MEASURED = -1;

/** One row of the ClickHouse `web_vitals` table. */
export interface VitalsRow {
  event_id: bigint;
  visitor_id: bigint;
  site_id: number;
  timestamp: string;
  hostname: string;
  pathname: string;
  country_code: string;
  browser: string;
  os: string;
  device: string;
  /** Whole milliseconds, or -1. */
  lcp: number;
  inp: number;
  /** Score with at most 4 decimals, or -1. */
  cls: number;
  fcp: number;
  ttfb: number;
}

/**
 * One JSONEachRow line for `web_vitals`; the 64-bit ids as bare integer literals (exact in
 * ClickHouse), and `event_id` first, where the flusher looks for it to skip rows already stored.
 */
export function serializeVitalsRow(row: VitalsRow): string {
  const { event_id, visitor_id, ...rest } = row;
  return `{"event_id":${event_id.toString()},"visitor_id":${visitor_id.toString()},${JSON.stringify(rest).slice(1)}`;
}
