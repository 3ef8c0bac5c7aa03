/**
 * The shapes of what can be imported. Plausible's CSV export is one `CSVWithNames` file per
 * table, named `imported_<table>_<YYYYMMDD>_<YYYYMMDD>.csv` (older exports drop the `imported_`
 * prefix); each maps one to one onto our `imported_*` table. Columns are matched by header
 * name, so an export with extra columns (newer Plausible) or without optional ones (older) works.
 */

export type ColumnType = 'date' | 'string' | 'count';

export interface ColumnSpec {
  name: string;
  type: ColumnType;
  /** Absent from some export versions: filled with '' or 0. */
  optional?: boolean;
}

export interface ImportedTableSpec {
  /** Our ClickHouse table (a constant, never from the upload). */
  table: string;
  columns: readonly ColumnSpec[];
}

const c = (name: string, type: ColumnType, optional = false): ColumnSpec => ({ name, type, optional });
const visitCounts = (pageviewsOptional = true): ColumnSpec[] => [
  c('visitors', 'count'),
  c('visits', 'count'),
  c('visit_duration', 'count'),
  c('bounces', 'count'),
  c('pageviews', 'count', pageviewsOptional),
];

export const IMPORTED_TABLE_SPECS: readonly ImportedTableSpec[] = [
  {
    table: 'imported_visitors',
    columns: [
      c('date', 'date'),
      c('visitors', 'count'),
      c('pageviews', 'count'),
      c('bounces', 'count'),
      c('visits', 'count'),
      c('visit_duration', 'count'),
    ],
  },
  {
    table: 'imported_sources',
    columns: [
      c('date', 'date'),
      c('source', 'string'),
      c('referrer', 'string', true),
      c('utm_source', 'string', true),
      c('utm_medium', 'string', true),
      c('utm_campaign', 'string', true),
      c('utm_content', 'string', true),
      c('utm_term', 'string', true),
      ...visitCounts(),
    ],
  },
  {
    table: 'imported_pages',
    columns: [
      c('date', 'date'),
      c('hostname', 'string', true),
      c('page', 'string'),
      c('visits', 'count', true),
      c('visitors', 'count'),
      c('pageviews', 'count'),
    ],
  },
  {
    table: 'imported_entry_pages',
    columns: [
      c('date', 'date'),
      c('entry_page', 'string'),
      c('visitors', 'count'),
      c('entrances', 'count'),
      c('visit_duration', 'count'),
      c('bounces', 'count'),
      c('pageviews', 'count', true),
    ],
  },
  {
    table: 'imported_exit_pages',
    columns: [
      c('date', 'date'),
      c('exit_page', 'string'),
      c('visitors', 'count'),
      c('visit_duration', 'count', true),
      c('exits', 'count'),
      c('bounces', 'count', true),
      c('pageviews', 'count', true),
    ],
  },
  {
    table: 'imported_locations',
    columns: [
      c('date', 'date'),
      c('country', 'string'),
      c('region', 'string', true),
      c('city', 'count', true),
      ...visitCounts(),
    ],
  },
  { table: 'imported_devices', columns: [c('date', 'date'), c('device', 'string'), ...visitCounts()] },
  {
    table: 'imported_browsers',
    columns: [
      c('date', 'date'),
      c('browser', 'string'),
      c('browser_version', 'string', true),
      ...visitCounts(),
    ],
  },
  {
    table: 'imported_operating_systems',
    columns: [
      c('date', 'date'),
      c('operating_system', 'string'),
      c('operating_system_version', 'string', true),
      ...visitCounts(),
    ],
  },
];

const FILE_NAME = /^(?:.*\/)?(?:imported_)?([a-z_]+)_(\d{8})_(\d{8})\.csv$/;

/**
 * The table spec a Plausible export file name maps to; null for files we do not import
 * (custom events, and anything not from an export).
 */
export function plausibleTableOf(fileName: string): ImportedTableSpec | null {
  const match = FILE_NAME.exec(fileName);
  if (!match) return null;
  return IMPORTED_TABLE_SPECS.find((s) => s.table === `imported_${match[1]}`) ?? null;
}

/**
 * Umami's data export (one row per `website_event`). Only these columns are read; the others
 * (ids, screen, language, titles, click ids, ...) are ignored.
 */
export const UMAMI_REQUIRED_COLUMNS = [
  'session_id',
  'url_path',
  'referrer_domain',
  'browser',
  'os',
  'device',
  'country',
  'event_type',
  'created_at',
] as const;
export const UMAMI_OPTIONAL_COLUMNS = [
  'visit_id',
  'hostname',
  'utm_source',
  'utm_medium',
  'utm_campaign',
  'utm_content',
  'utm_term',
] as const;
export type UmamiColumn = (typeof UMAMI_REQUIRED_COLUMNS)[number] | (typeof UMAMI_OPTIONAL_COLUMNS)[number];
