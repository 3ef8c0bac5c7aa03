// Types of `POST /api/v2/query`, from the query engine itself (never copied). Imported by path from
// the two files that hold only the request schema and response types, so no server code is pulled in.
import type { DateRangeShortcut, LeafFilter, QueryRequest } from '@sightline/query/src/query-request.schema';

export type {
  Dimension,
  EventDimension,
  FilterOperator,
  Metric,
  PropsDimension,
  QueryRequest,
  TimeDimension,
  VisitDimension,
} from '@sightline/query/src/query-request.schema';
export type {
  DimensionValue,
  PropertyKeysResponse,
  QueryResponse,
  QueryResultRow,
} from '@sightline/query/src/query-response';

export type Filter = LeafFilter;
export type NamedDateRange = DateRangeShortcut;
/** A named range, or an inclusive `[from, to]` pair of `YYYY-MM-DD` dates in the site's timezone. */
export type DateRange = QueryRequest['date_range'];
