import { describe, expect, it } from 'vitest';
import { authorizeSite } from './authorized-site';
import { importedSourceFor } from './imported-data';
import { parseQuery } from './parse-query';
import type { QueryRequest } from './query-request.schema';

const site = authorizeSite({ id: 1, domain: 'example.com', timezone: 'UTC' });
const now = new Date('2024-06-01T00:00:00Z');
const decide = (request: Partial<QueryRequest>) => {
  const result = importedSourceFor(
    parseQuery(
      site,
      { site_id: 'example.com', date_range: '30d', metrics: ['visitors'], ...request },
      { now },
    ),
  );
  return typeof result === 'string' ? result : result.table;
};

describe('importedSourceFor: which imported table answers, or why none can', () => {
  it.each<[string, Partial<QueryRequest>, string]>([
    ['totals', {}, 'imported_visitors'],
    ['rates', { metrics: ['bounce_rate', 'visit_duration', 'views_per_visit'] }, 'imported_visitors'],
    ['daily series', { dimensions: ['time:day'] }, 'imported_visitors'],
    ['monthly series', { dimensions: ['time:month'] }, 'imported_visitors'],
    ['hourly series: imported data is daily', { dimensions: ['time:hour'] }, 'unsupported_query'],
    ['sources', { dimensions: ['visit:source'] }, 'imported_sources'],
    ['UTM campaigns', { dimensions: ['visit:utm_campaign'] }, 'imported_sources'],
    ['countries by day', { dimensions: ['time:day', 'visit:country'] }, 'imported_locations'],
    ['devices', { dimensions: ['visit:device'] }, 'imported_devices'],
    ['browsers', { dimensions: ['visit:browser'] }, 'imported_browsers'],
    ['operating systems', { dimensions: ['visit:os'] }, 'imported_operating_systems'],
    ['entry pages', { dimensions: ['visit:entry_page'] }, 'imported_entry_pages'],
    ['exit pages', { dimensions: ['visit:exit_page'] }, 'imported_exit_pages'],
    ['pages', { dimensions: ['event:page'], metrics: ['visitors', 'pageviews'] }, 'imported_pages'],
    ['custom events are not imported', { dimensions: ['event:name'] }, 'unsupported_query'],
    ['events metric', { metrics: ['events'] }, 'unsupported_query'],
    ['two breakdown dimensions', { dimensions: ['visit:source', 'visit:country'] }, 'unsupported_query'],
    ['any filter', { filters: [['is', 'visit:country', ['DE']]] }, 'unsupported_query'],
    ['referrers', { dimensions: ['visit:referrer'] }, 'imported_sources'],
    [
      'pages with engagement (native only)',
      { dimensions: ['event:page'], metrics: ['visitors', 'scroll_depth', 'time_on_page'] },
      'imported_pages',
    ],
    [
      'engagement metrics alone',
      { dimensions: ['event:page'], metrics: ['scroll_depth'] },
      'unsupported_query',
    ],
  ])('%s', (_label, request, expected) => {
    expect(decide(request)).toBe(expected);
  });
});
