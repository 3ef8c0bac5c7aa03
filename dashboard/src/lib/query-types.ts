// Minimal local types for `POST /api/v2/query` (Plausible Stats API v2 shape).
// TODO: replace with `import type { ... } from '@sightline/query'` once libs/query lands; until then this is
// the only place the dashboard declares them.

export type Metric =
  | 'visitors'
  | 'visits'
  | 'pageviews'
  | 'views_per_visit'
  | 'bounce_rate'
  | 'visit_duration'
  | 'events'
  | 'conversion_rate';

export type EventDimension = 'event:page' | 'event:name' | 'event:hostname';
export type VisitDimension =
  | 'visit:entry_page'
  | 'visit:exit_page'
  | 'visit:source'
  | 'visit:referrer'
  | 'visit:utm_source'
  | 'visit:utm_medium'
  | 'visit:utm_campaign'
  | 'visit:utm_content'
  | 'visit:utm_term'
  | 'visit:country'
  | 'visit:device'
  | 'visit:browser'
  | 'visit:os';
export type TimeDimension = 'time:hour' | 'time:day' | 'time:month';
export type Dimension = EventDimension | VisitDimension | TimeDimension;

export type FilterOperator = 'is' | 'is_not' | 'contains' | 'contains_not';
export type Filter = [FilterOperator, EventDimension | VisitDimension | 'event:goal', string[]];

export type NamedDateRange = 'day' | '7d' | '28d' | '30d' | 'month' | '6mo' | '12mo' | 'year' | 'all';
/** A named range, or an inclusive `[from, to]` pair of `YYYY-MM-DD` dates in the site's timezone. */
export type DateRange = NamedDateRange | [string, string];

export interface QueryRequest {
  site_id: string;
  metrics: Metric[];
  date_range: DateRange;
  dimensions?: Dimension[];
  filters?: Filter[];
  order_by?: [Metric | Dimension, 'asc' | 'desc'][];
  pagination?: { limit: number; offset?: number };
  include?: {
    comparisons?: { mode: 'previous_period' } | null;
    time_labels?: boolean;
    total_rows?: boolean;
  };
}

export type DimensionValue = string | number;

export interface QueryResultRow {
  dimensions: DimensionValue[];
  metrics: (number | null)[];
  comparison?: {
    /** For time dimensions: the bucket at the same position in the previous period. */
    dimensions: DimensionValue[];
    metrics: (number | null)[];
    /** Percent change per metric (percentage points for bounce_rate); null when not computable. */
    change: (number | null)[];
  };
}

export interface QueryResponse {
  results: QueryResultRow[];
  meta: { time_labels?: string[]; total_rows?: number; comparison_date_range?: [string, string] };
  query: Record<string, unknown>;
}
