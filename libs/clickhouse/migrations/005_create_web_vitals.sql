-- Web vitals: one row per pageview measured by the tracker's vitals extension (/js/script.vitals.js),
-- written by the flusher from the `<EVENTS_STREAM>:vitals` stream. Final values at page hide.
-- Durations are whole milliseconds, CLS a unitless score; -1 means "not measured" (the page was
-- hidden before the metric existed, or the browser lacks the API) — no Nullable, so the query
-- engine filters with `lcp >= 0`. event_id makes flusher retries idempotent, as in `events`.
-- Ordered for per-site, per-day, per-page scans; monthly partitions for retention.
-- Runs on ClickHouse 18.16 and current (no LowCardinality, no TTL, no Nullable).
CREATE TABLE IF NOT EXISTS web_vitals (
  event_id UInt64,
  site_id UInt64,
  timestamp DateTime('UTC'),
  hostname String,
  pathname String,
  country_code String,
  browser String,
  os String,
  device String,
  visitor_id UInt64,
  lcp Int32,
  inp Int32,
  cls Float32,
  fcp Int32,
  ttfb Int32
) ENGINE = MergeTree()
PARTITION BY toYYYYMM(timestamp)
ORDER BY (site_id, toDate(timestamp), pathname, timestamp);
