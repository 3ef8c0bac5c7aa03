import fc from 'fast-check';
import {
  DATE_RANGE_SHORTCUTS,
  EVENT_DIMENSIONS,
  FILTER_DIMENSIONS,
  FILTER_OPERATORS,
  METRICS,
  TIME_DIMENSIONS,
  VISIT_DIMENSIONS,
} from '../src/query-request.schema';

const evil = fc.oneof(
  fc.string(),
  fc.constantFrom("'; DROP TABLE events; --", "\\' OR 1=1 --", 'site_id = 2', '*', '/blog/**', '\u0000\n'),
);

/** Property dimensions, one with a quote in its key. */
const PROPS = ['event:props:plan', "event:props:it's"] as const;
const EVENT_DIMS = [...EVENT_DIMENSIONS, ...PROPS];
const ALL_FILTER_DIMS = [...FILTER_DIMENSIONS, ...PROPS];

const leafOf = (dimensions: readonly string[]) =>
  fc.tuple(
    fc.constantFrom(...FILTER_OPERATORS),
    fc.constantFrom(...dimensions),
    fc.array(evil, { minLength: 1, maxLength: 3 }),
  );
const filterArb = leafOf(ALL_FILTER_DIMS);
/** "or"/"not" over one scope (valid), sometimes over both (refused with the field at fault). */
const logicalArb = fc.oneof(
  ...[EVENT_DIMS, VISIT_DIMENSIONS, ALL_FILTER_DIMS].map((dims) =>
    fc.oneof(
      fc.tuple(fc.constant('or'), fc.array(leafOf(dims), { minLength: 1, maxLength: 3 })),
      fc.tuple(fc.constant('not'), leafOf(dims)),
      fc.tuple(
        fc.constant('not'),
        fc.tuple(fc.constant('or'), fc.array(leafOf(dims), { minLength: 1, maxLength: 2 })),
      ),
    ),
  ),
);

/**
 * Mostly the metrics valid with any dimension; sometimes the whole vocabulary, whose engagement,
 * revenue and conversion metrics are refused in most combinations (so valid queries stay common).
 */
const RESTRICTED = new Set([
  'conversion_rate',
  'group_conversion_rate',
  'total_revenue',
  'average_revenue',
  'scroll_depth',
  'time_on_page',
]);
const metricsArb = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.uniqueArray(fc.constantFrom(...METRICS.filter((m) => !RESTRICTED.has(m))), {
      minLength: 1,
      maxLength: 4,
    }),
  },
  { weight: 1, arbitrary: fc.uniqueArray(fc.constantFrom(...METRICS), { minLength: 1, maxLength: 4 }) },
);

/** Random requests from the whole vocabulary, with hostile filter values; some combinations are invalid. */
export const randomQueryRequest = fc.record({
  site_id: fc.constant('example.com'),
  metrics: metricsArb,
  date_range: fc.oneof(
    fc.constantFrom(...DATE_RANGE_SHORTCUTS.filter((r) => r !== 'year' && r !== '12mo' && r !== '6mo')),
    fc.constant(['2026-01-01', '2026-01-31'] as [string, string]),
  ),
  dimensions: fc.oneof(
    fc.constant([]),
    fc.tuple(fc.constantFrom(...VISIT_DIMENSIONS, ...EVENT_DIMS)).map((d) => [...d]),
    fc.tuple(fc.constantFrom(...TIME_DIMENSIONS), fc.constantFrom(...VISIT_DIMENSIONS)).map((d) => [...d]),
    fc.tuple(fc.constantFrom(...TIME_DIMENSIONS)).map((d) => [...d]),
  ),
  filters: fc.array(
    fc.oneof(
      filterArb,
      fc.tuple(fc.constant('and'), fc.array(filterArb, { minLength: 1, maxLength: 2 })),
      logicalArb,
    ),
    {
      maxLength: 3,
    },
  ),
  pagination: fc.record({
    limit: fc.integer({ min: 1, max: 10_000 }),
    offset: fc.integer({ min: 0, max: 1000 }),
  }),
});
