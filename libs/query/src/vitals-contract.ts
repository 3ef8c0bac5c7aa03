// Request, response and thresholds of `POST /api/v2/vitals` (web vitals). Pure: the dashboard
// imports this file by path, like query-request.schema.ts.
import { z } from 'zod';
import { DATE_RANGE_SHORTCUTS, findFilterIssue, type QueryFilter } from './query-request.schema';
import { VITAL_THRESHOLDS, type VitalBand, type VitalMetric } from './vitals-thresholds';

export * from './vitals-thresholds';

export const MAX_VITAL_PAGES = 100;

const filterSchema = z
  .custom<QueryFilter>(() => true)
  .superRefine((value, ctx) => {
    const issue = findFilterIssue(value);
    if (issue) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
  });

export const vitalsRequestSchema = z.strictObject({
  /** The site's domain, as in `POST /api/v2/query`. */
  site_id: z.string().min(1).max(253),
  date_range: z.union([z.enum(DATE_RANGE_SHORTCUTS), z.tuple([z.string().max(40), z.string().max(40)])], {
    error: `expected one of ${DATE_RANGE_SHORTCUTS.join(', ')} or [from, to]`,
  }),
  filters: z.array(filterSchema).max(50).default([]),
  /** How many of the slowest pages (by LCP p75) to list. */
  pages_limit: z.number().int().min(1).max(MAX_VITAL_PAGES).default(10),
});

export type VitalsRequest = z.input<typeof vitalsRequestSchema>;

export interface VitalSummary {
  metric: VitalMetric;
  /** 75th percentile (t-digest estimate) of the measured page loads; null without samples. */
  p75: number | null;
  band: VitalBand | null;
  /** Page loads that reported this metric. */
  samples: number;
  /** Page loads per band (they add up to `samples`). */
  good: number;
  needs_improvement: number;
  poor: number;
}

/** p75 per metric; null where nothing was measured. */
export type VitalValues = Record<VitalMetric, number | null>;

export interface VitalsResponse {
  summary: VitalSummary[];
  /** One entry per day of the range (site timezone), days without samples as nulls. */
  trend: ({ date: string; samples: number } & VitalValues)[];
  /** Slowest pages by LCP p75 (pages without LCP last), with their sample count. */
  pages: ({ page: string; samples: number } & VitalValues)[];
  meta: { date_range: [string, string]; thresholds: typeof VITAL_THRESHOLDS };
}
