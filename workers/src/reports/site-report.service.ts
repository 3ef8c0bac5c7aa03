import { Inject, Injectable } from '@nestjs/common';
import { QueryEngine, sampleDenominatorOf, type AuthorizedSite, type QueryResponse } from '@sightline/query';
import type { ReportPeriod } from './report-period';

export interface ReportMetric {
  value: number;
  /** % change vs the previous period (percentage points for bounce rate); null when not comparable. */
  change: number | null;
}

export interface BreakdownRow {
  name: string;
  visitors: number;
}

export interface SiteReport {
  period: ReportPeriod;
  visitors: ReportMetric;
  pageviews: ReportMetric;
  bounceRate: ReportMetric;
  /** Seconds. */
  visitDuration: ReportMetric;
  hasTraffic: boolean;
  topPages: BreakdownRow[];
  sources: BreakdownRow[];
  countries: BreakdownRow[];
  /** Visitors per site-local day of the period, every day present. */
  daily: { date: string; visitors: number }[];
  /** N when figures are estimated from 1 in N visitors (a big site's period is sampled); else null. */
  sampledOneIn: number | null;
}

const TOTAL_METRICS = ['visitors', 'pageviews', 'bounce_rate', 'visit_duration'] as const;

/**
 * A report's numbers, all from the dashboard's query engine (same SQL, same time zone handling):
 * one query per widget, exactly as the dashboard would send it for this date range.
 */
@Injectable()
export class SiteReportService {
  constructor(@Inject(QueryEngine) private readonly engine: QueryEngine) {}

  async build(site: AuthorizedSite, period: ReportPeriod): Promise<SiteReport> {
    const range: [string, string] = [period.firstDate, period.lastDate];
    const breakdown = (dimension: string) =>
      this.engine.run(site, {
        site_id: site.domain,
        metrics: ['visitors'],
        date_range: range,
        dimensions: [dimension],
        pagination: { limit: 5 },
      });
    const [totals, pages, sources, countries, daily] = await Promise.all([
      this.engine.run(site, {
        site_id: site.domain,
        metrics: [...TOTAL_METRICS],
        date_range: range,
        include: { comparisons: { mode: 'previous_period' } },
      }),
      breakdown('event:page'),
      breakdown('visit:source'),
      breakdown('visit:country'),
      this.engine.run(site, {
        site_id: site.domain,
        metrics: ['visitors'],
        date_range: range,
        dimensions: ['time:day'],
        include: { time_labels: true },
      }),
    ]);
    const row = totals.results[0];
    const metric = (i: number): ReportMetric => ({
      value: Number(row?.metrics[i] ?? 0),
      change: row?.comparison?.change[i] ?? null,
    });
    const visitors = metric(0);
    const pageviews = metric(1);
    const byDay = new Map(daily.results.map((r) => [String(r.dimensions[0]), Number(r.metrics[0] ?? 0)]));
    return {
      period,
      visitors,
      pageviews,
      bounceRate: metric(2),
      visitDuration: metric(3),
      hasTraffic: visitors.value > 0 || pageviews.value > 0,
      topPages: rows(pages),
      sources: rows(sources),
      countries: rows(countries),
      daily: (daily.meta.time_labels ?? [...byDay.keys()]).map((date) => ({
        date,
        visitors: byDay.get(date) ?? 0,
      })),
      sampledOneIn: sampledOneIn([totals, pages, sources, countries, daily]),
    };
  }
}

/**
 * The largest N of the responses read from 1 in N visitors, or null when none was sampled. The
 * totals also weigh the previous period, so they can be sampled where a breakdown is not.
 */
function sampledOneIn(responses: QueryResponse[]): number | null {
  const denominators = responses.flatMap((r) =>
    r.meta.sampling ? [sampleDenominatorOf(r.meta.sampling)] : [],
  );
  return denominators.length > 0 ? Math.max(...denominators) : null;
}

function rows(response: QueryResponse): BreakdownRow[] {
  return response.results.map((r) => ({
    name: String(r.dimensions[0] ?? ''),
    visitors: Number(r.metrics[0] ?? 0),
  }));
}
