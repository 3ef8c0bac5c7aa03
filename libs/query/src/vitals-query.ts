import { joinSql, sql, type ClickHouseClient, type SqlFragment } from '@sightline/clickhouse';
import type { AuthorizedSite } from './authorized-site';
import { addDays } from './calendar-date';
import { siteRangeScope } from './compile-query';
import { resolveDateRange, type ResolvedDateRange } from './date-range';
import { wildcardToRegex } from './filters';
import type { FilterOperator, QueryFilter } from './query-request.schema';
import { fieldPath, QueryValidationError } from './query-validation.error';
import { formatInstantWithOffset } from './timezone';
import {
  VITAL_FILTER_DIMENSIONS,
  VITAL_METRICS,
  VITAL_THRESHOLDS,
  vitalBand,
  vitalsRequestSchema,
  type VitalMetric,
  type VitalsResponse,
  type VitalSummary,
  type VitalValues,
} from './vitals-contract';

type VitalFilterDimension = (typeof VITAL_FILTER_DIMENSIONS)[number];

/** A validated vitals request, ready to compile. */
export interface ParsedVitalsQuery {
  site: AuthorizedSite;
  range: ResolvedDateRange;
  filters: QueryFilter[];
  pagesLimit: number;
}

// Identifiers only from these maps. Visit dimensions compare the display form the main engine
// uses ('(not set)' for an empty value), so one dashboard filter means the same in both.
const METRIC_COLUMNS: Record<VitalMetric, SqlFragment> = {
  lcp: sql`lcp`,
  inp: sql`inp`,
  cls: sql`cls`,
  fcp: sql`fcp`,
  ttfb: sql`ttfb`,
};
const notSet = (column: SqlFragment) => sql`if(${column} = '', '(not set)', ${column})`;
const FILTER_COLUMNS: Record<VitalFilterDimension, SqlFragment> = {
  'event:page': sql`pathname`,
  'event:hostname': sql`hostname`,
  'visit:country': notSet(sql`country_code`),
  'visit:device': notSet(sql`device`),
  'visit:browser': notSet(sql`browser`),
  'visit:os': notSet(sql`os`),
};
const P75 = 0.75;

/** Validates a `POST /api/v2/vitals` body; errors name the field, as the query engine's do. */
export function parseVitalsQuery(
  site: AuthorizedSite,
  input: unknown,
  ctx: { now?: Date } = {},
): ParsedVitalsQuery {
  const parsed = vitalsRequestSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    if (issue?.code === 'unrecognized_keys')
      throw new QueryValidationError(fieldPath([...issue.path, issue.keys[0] ?? '']), 'unknown field');
    throw new QueryValidationError(fieldPath(issue?.path ?? []), issue?.message ?? 'invalid request');
  }
  const request = parsed.data;
  request.filters.forEach((f, i) => checkFilterDimensions(f, `filters[${i}]`));
  const range = resolveDateRange(request.date_range, {
    timezone: site.timezone,
    now: ctx.now ?? new Date(),
    firstEventAt: null,
    ...(site.createdAt ? { siteCreatedAt: site.createdAt } : {}),
  });
  return { site, range, filters: request.filters, pagesLimit: request.pages_limit };
}

function checkFilterDimensions(f: QueryFilter, field: string): void {
  if (f[0] === 'and' || f[0] === 'or')
    return f[1].forEach((c, i) => checkFilterDimensions(c, `${field}[1][${i}]`));
  if (f[0] === 'not') return checkFilterDimensions(f[1], `${field}[1]`);
  if (!(VITAL_FILTER_DIMENSIONS as readonly string[]).includes(f[1]))
    throw new QueryValidationError(
      `${field}[1]`,
      `web vitals cannot be filtered by ${f[1]}; expected one of ${VITAL_FILTER_DIMENSIONS.join(', ')}`,
    );
}

function filterCondition(f: QueryFilter): SqlFragment {
  switch (f[0]) {
    case 'and':
    case 'or':
      return sql`(${joinSql(f[1].map(filterCondition), f[0] === 'and' ? ' AND ' : ' OR ')})`;
    case 'not':
      return sql`NOT (${filterCondition(f[1])})`;
    default:
      return leafCondition(f[0], FILTER_COLUMNS[f[1] as VitalFilterDimension], f[2], f[1] === 'event:page');
  }
}

function leafCondition(
  op: FilterOperator,
  column: SqlFragment,
  values: string[],
  wildcards: boolean,
): SqlFragment {
  const any = (parts: SqlFragment[]) => sql`(${joinSql(parts, ' OR ')})`;
  const matches = () =>
    any(
      values.map((v) =>
        wildcards && v.includes('*') ? sql`match(${column}, ${wildcardToRegex(v)})` : sql`${column} = ${v}`,
      ),
    );
  const contains = () => any(values.map((v) => sql`position(${column}, ${v}) > 0`));
  switch (op) {
    case 'is':
      return matches();
    case 'is_not':
      return sql`NOT ${matches()}`;
    case 'contains':
      return contains();
    case 'contains_not':
      return sql`NOT ${contains()}`;
    case 'matches':
      return any(values.map((v) => sql`match(${column}, ${v})`));
    case 'matches_not':
      return sql`NOT ${any(values.map((v) => sql`match(${column}, ${v})`))}`;
  }
}

/** The scan predicate: the site and range first (the table's sort key), then the filters. */
function where(q: ParsedVitalsQuery): SqlFragment {
  return joinSql([siteRangeScope(q.site, q.range), ...q.filters.map(filterCondition)], ' AND ');
}

/** A threshold as a literal of the column's type: CLS is Float32, and Float32(0.1) > 0.1 in Float64. */
function threshold(metric: VitalMetric, value: number): SqlFragment {
  return metric === 'cls' ? sql`toFloat32(${value})` : sql`${value}`;
}

// Output aliases, written out: identifiers never come from strings.
const ALIASES: Record<
  VitalMetric,
  { p75: SqlFragment; n: SqlFragment; good: SqlFragment; poor: SqlFragment }
> = {
  lcp: { p75: sql`lcp_p75`, n: sql`lcp_n`, good: sql`lcp_good`, poor: sql`lcp_poor` },
  inp: { p75: sql`inp_p75`, n: sql`inp_n`, good: sql`inp_good`, poor: sql`inp_poor` },
  cls: { p75: sql`cls_p75`, n: sql`cls_n`, good: sql`cls_good`, poor: sql`cls_poor` },
  fcp: { p75: sql`fcp_p75`, n: sql`fcp_n`, good: sql`fcp_good`, poor: sql`fcp_poor` },
  ttfb: { p75: sql`ttfb_p75`, n: sql`ttfb_n`, good: sql`ttfb_good`, poor: sql`ttfb_poor` },
};

/** p75 of every metric over measured rows only (-1 = not measured), and how many were measured. */
function p75Columns(): SqlFragment[] {
  return VITAL_METRICS.map((m) => {
    const c = METRIC_COLUMNS[m];
    return sql`quantileTDigestIf(${P75})(${c}, ${c} >= 0) AS ${ALIASES[m].p75}, countIf(${c} >= 0) AS ${ALIASES[m].n}`;
  });
}

export function compileVitalsSummary(q: ParsedVitalsQuery): SqlFragment {
  const bands = VITAL_METRICS.map((m) => {
    const c = METRIC_COLUMNS[m];
    const t = VITAL_THRESHOLDS[m];
    return sql`countIf(${c} >= 0 AND ${c} <= ${threshold(m, t.good)}) AS ${ALIASES[m].good}, countIf(${c} > ${threshold(m, t.poor)}) AS ${ALIASES[m].poor}`;
  });
  return sql`SELECT ${joinSql([...p75Columns(), ...bands], ', ')} FROM web_vitals WHERE ${where(q)}`;
}

export function compileVitalsTrend(q: ParsedVitalsQuery): SqlFragment {
  return sql`SELECT toString(toDate(timestamp, ${q.site.timezone})) AS date, count() AS samples, ${joinSql(p75Columns(), ', ')}
    FROM web_vitals WHERE ${where(q)} GROUP BY date ORDER BY date`;
}

export function compileVitalsPages(q: ParsedVitalsQuery): SqlFragment {
  return sql`SELECT pathname AS page, count() AS samples, ${joinSql(p75Columns(), ', ')}
    FROM web_vitals WHERE ${where(q)} GROUP BY page
    ORDER BY lcp_n > 0 DESC, lcp_p75 DESC, samples DESC, page LIMIT ${q.pagesLimit}`;
}

type RawRow = Record<string, unknown>;

function p75Of(metric: VitalMetric, row: RawRow): number | null {
  if (Number(row[`${metric}_n`] ?? 0) === 0) return null;
  const value = Number(row[`${metric}_p75`]);
  if (!Number.isFinite(value)) return null;
  return metric === 'cls' ? Math.round(value * 1000) / 1000 : Math.round(value);
}

function valuesOf(row: RawRow): VitalValues {
  return Object.fromEntries(VITAL_METRICS.map((m) => [m, p75Of(m, row)])) as VitalValues;
}

/**
 * Web vitals of one site: p75 and good / needs-improvement / poor counts per metric, a daily p75
 * trend, and the slowest pages, from `web_vitals` (written by the flusher from the tracker's
 * vitals extension). Three statements, each scoped to the authorized site and the range.
 */
export class WebVitalsEngine {
  constructor(private readonly client: ClickHouseClient) {}

  async run(site: AuthorizedSite, input: unknown, opts: { now?: Date } = {}): Promise<VitalsResponse> {
    const q = parseVitalsQuery(site, input, opts);
    const [summaryRows, trendRows, pageRows] = await Promise.all([
      this.select(compileVitalsSummary(q)),
      this.select(compileVitalsTrend(q)),
      this.select(compileVitalsPages(q)),
    ]);
    const totals = summaryRows[0] ?? {};
    const summary: VitalSummary[] = VITAL_METRICS.map((metric) => {
      const samples = Number(totals[`${metric}_n`] ?? 0);
      const good = Number(totals[`${metric}_good`] ?? 0);
      const poor = Number(totals[`${metric}_poor`] ?? 0);
      const p75 = p75Of(metric, totals);
      return {
        metric,
        p75,
        band: p75 === null ? null : vitalBand(metric, p75),
        samples,
        good,
        needs_improvement: samples - good - poor,
        poor,
      };
    });
    const byDate = new Map(trendRows.map((r) => [String(r.date), r]));
    const trend: VitalsResponse['trend'] = [];
    for (let d = q.range.firstDate; d <= q.range.lastDate; d = addDays(d, 1)) {
      const row = byDate.get(d) ?? {};
      trend.push({ date: d, samples: Number(row.samples ?? 0), ...valuesOf(row) });
    }
    const pages = pageRows.map((r) => ({ page: String(r.page), samples: Number(r.samples), ...valuesOf(r) }));
    return {
      summary,
      trend,
      pages,
      meta: {
        date_range: [
          formatInstantWithOffset(q.range.from, site.timezone),
          formatInstantWithOffset(new Date(q.range.to.getTime() - 1000), site.timezone),
        ],
        thresholds: VITAL_THRESHOLDS,
      },
    };
  }

  private async select(query: SqlFragment): Promise<RawRow[]> {
    const rs = await this.client.query({ query: query.text, format: 'JSONEachRow' });
    return rs.json<RawRow>();
  }
}
