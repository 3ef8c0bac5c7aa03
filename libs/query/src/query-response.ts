import type { ComparisonMode, Dimension, Metric, QueryFilter } from './query-request.schema';

/** Types only: safe for the dashboard to `import type`. */

export type DimensionValue = string | number;

export interface ComparisonResult {
  /** The matching row of the comparison period (for time dimensions: the bucket at the same position). */
  dimensions: DimensionValue[];
  metrics: (number | null)[];
  /** Per metric: % change for counts and durations, percentage points for bounce_rate and conversion_rate. */
  change: (number | null)[];
}

export interface QueryResultRow {
  dimensions: DimensionValue[];
  metrics: (number | null)[];
  comparison?: ComparisonResult;
}

export interface QueryResponseMeta {
  /** Every bucket label of the range, in order (only with include.time_labels). */
  time_labels?: string[];
  /** Rows before pagination (only with include.total_rows). */
  total_rows?: number;
  /** The resolved comparison range (only with include.comparisons). */
  comparison_date_range?: [string, string];
  /**
   * Present when the figures were computed from a sample of the site's visitors (sites with more
   * than ~1M events in the range): `fraction` of all visitors were read and counts scaled up by
   * 1 / fraction; rates are ratios within the sample. Relative error of a count of n is about
   * 1 / sqrt(n × fraction).
   */
  sampling?: { fraction: number; rows_in_range: number };
  /** With include.imports: whether imported data was added to the figures... */
  imports_included?: boolean;
  /** ...and if not, why (no completed import, a query they cannot answer, a range after it). */
  imports_skip_reason?: 'no_imported_data' | 'unsupported_query' | 'out_of_range';
}

/** N of a sampled response's `SAMPLE 1/N`: the answer was read from 1 in N of the site's visitors. */
export function sampleDenominatorOf(sampling: NonNullable<QueryResponseMeta['sampling']>): number {
  return Math.round(1 / sampling.fraction);
}

export interface QueryResponse {
  results: QueryResultRow[];
  meta: QueryResponseMeta;
  query: {
    site_id: string;
    metrics: Metric[];
    /** Resolved instants with the site's UTC offset, both inclusive (to the second). */
    date_range: [string, string];
    /** `time` is echoed as the concrete granularity it resolved to. */
    dimensions: Dimension[];
    filters: QueryFilter[];
    order_by: [string, 'asc' | 'desc'][];
    include: {
      comparisons: { mode: ComparisonMode } | null;
      time_labels: boolean;
      total_rows: boolean;
      imports?: boolean;
    };
    pagination: { limit: number; offset: number };
    timezone: string;
  };
}

/** `POST /api/v2/property-keys`: at most 100 keys, most visitors first. */
export interface PropertyKeysResponse {
  results: { key: string; visitors: number }[];
}
