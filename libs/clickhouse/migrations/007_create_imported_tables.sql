-- Imported history (Plausible CSV export, Umami data export): daily aggregates per site, kept
-- apart from native `events` under the Postgres site_imports id, so an import is deleted with
-- `ALTER TABLE ... DELETE WHERE site_id = ... AND import_id = ...`. Columns follow Plausible's
-- export (CSVWithNames) so its files map one to one; Umami rows are aggregated into the same
-- shape by the import job. Plain MergeTree: the job writes each (import, day, value) once.
-- Partitioned by month like `events`, so the retention sweep treats them alike.
-- Runs on ClickHouse 18.16 and current.
CREATE TABLE IF NOT EXISTS imported_visitors (
  site_id UInt64,
  import_id UInt64,
  date Date,
  visitors UInt64,
  pageviews UInt64,
  bounces UInt64,
  visits UInt64,
  visit_duration UInt64
) ENGINE = MergeTree()
PARTITION BY toYYYYMM(date)
ORDER BY (site_id, import_id, date);

CREATE TABLE IF NOT EXISTS imported_sources (
  site_id UInt64,
  import_id UInt64,
  date Date,
  source String,
  referrer String,
  utm_source String,
  utm_medium String,
  utm_campaign String,
  utm_content String,
  utm_term String,
  pageviews UInt64,
  visitors UInt64,
  visits UInt64,
  visit_duration UInt64,
  bounces UInt64
) ENGINE = MergeTree()
PARTITION BY toYYYYMM(date)
ORDER BY (site_id, import_id, date, source);

CREATE TABLE IF NOT EXISTS imported_pages (
  site_id UInt64,
  import_id UInt64,
  date Date,
  hostname String,
  page String,
  visits UInt64,
  visitors UInt64,
  pageviews UInt64
) ENGINE = MergeTree()
PARTITION BY toYYYYMM(date)
ORDER BY (site_id, import_id, date, page);

CREATE TABLE IF NOT EXISTS imported_entry_pages (
  site_id UInt64,
  import_id UInt64,
  date Date,
  entry_page String,
  visitors UInt64,
  entrances UInt64,
  visit_duration UInt64,
  bounces UInt64,
  pageviews UInt64
) ENGINE = MergeTree()
PARTITION BY toYYYYMM(date)
ORDER BY (site_id, import_id, date, entry_page);

CREATE TABLE IF NOT EXISTS imported_exit_pages (
  site_id UInt64,
  import_id UInt64,
  date Date,
  exit_page String,
  visitors UInt64,
  visit_duration UInt64,
  exits UInt64,
  bounces UInt64,
  pageviews UInt64
) ENGINE = MergeTree()
PARTITION BY toYYYYMM(date)
ORDER BY (site_id, import_id, date, exit_page);

CREATE TABLE IF NOT EXISTS imported_locations (
  site_id UInt64,
  import_id UInt64,
  date Date,
  country String,
  region String,
  city UInt64,
  visitors UInt64,
  visits UInt64,
  visit_duration UInt64,
  bounces UInt64,
  pageviews UInt64
) ENGINE = MergeTree()
PARTITION BY toYYYYMM(date)
ORDER BY (site_id, import_id, date, country);

CREATE TABLE IF NOT EXISTS imported_devices (
  site_id UInt64,
  import_id UInt64,
  date Date,
  device String,
  visitors UInt64,
  visits UInt64,
  visit_duration UInt64,
  bounces UInt64,
  pageviews UInt64
) ENGINE = MergeTree()
PARTITION BY toYYYYMM(date)
ORDER BY (site_id, import_id, date, device);

CREATE TABLE IF NOT EXISTS imported_browsers (
  site_id UInt64,
  import_id UInt64,
  date Date,
  browser String,
  browser_version String,
  visitors UInt64,
  visits UInt64,
  visit_duration UInt64,
  bounces UInt64,
  pageviews UInt64
) ENGINE = MergeTree()
PARTITION BY toYYYYMM(date)
ORDER BY (site_id, import_id, date, browser);

CREATE TABLE IF NOT EXISTS imported_operating_systems (
  site_id UInt64,
  import_id UInt64,
  date Date,
  operating_system String,
  operating_system_version String,
  visitors UInt64,
  visits UInt64,
  visit_duration UInt64,
  bounces UInt64,
  pageviews UInt64
) ENGINE = MergeTree()
PARTITION BY toYYYYMM(date)
ORDER BY (site_id, import_id, date, operating_system);
