import { SqlFragment } from './sql-literal';

/** A ClickHouse table whose rows belong to one site (a `site_id UInt64` column). */
export interface SiteScopedTable {
  /** Table name; a constant below, checked as a plain identifier, never user input. */
  name: string;
  /** The DateTime column retention applies to. */
  timeColumn: string;
  /** `PARTITION BY toYYYYMM(timeColumn)`: whole months can be dropped by partition. */
  monthlyPartitions: boolean;
}

/**
 * Every site-keyed table. Deleting a site and enforcing retention cover exactly this list (the
 * workers' retention sweep), so a new table with site data (sessions, rollups) must be added here.
 */
export const SITE_SCOPED_TABLES: readonly SiteScopedTable[] = [
  { name: 'events', timeColumn: 'timestamp', monthlyPartitions: true },
  { name: 'events_hourly', timeColumn: 'hour', monthlyPartitions: true },
  // Imported history (migration 007): `date` is a Date; it compares with the DateTime cut-off.
  ...[
    'imported_visitors',
    'imported_sources',
    'imported_pages',
    'imported_entry_pages',
    'imported_exit_pages',
    'imported_locations',
    'imported_devices',
    'imported_browsers',
    'imported_operating_systems',
  ].map((name) => ({ name, timeColumn: 'date', monthlyPartitions: true })),
  { name: 'sessions', timeColumn: 'hour', monthlyPartitions: true },
  { name: 'web_vitals', timeColumn: 'timestamp', monthlyPartitions: true },
];

/** The imported_* tables: each row belongs to one site and one import (`import_id`). */
export const IMPORTED_TABLES = SITE_SCOPED_TABLES.filter((t) => t.name.startsWith('imported_')).map(
  (t) => t.name,
);

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * A table or column name of SITE_SCOPED_TABLES as SQL text. Identifiers cannot be literals, so
 * these (and only these constants) are inlined after a plain-identifier check.
 */
export function tableIdentifier(name: string): SqlFragment {
  if (!IDENTIFIER.test(name)) throw new TypeError(`not a plain identifier: ${name}`);
  return new SqlFragment(name);
}
