-- Raw events, one row per pageview or custom event. Ordered for per-site time-range scans;
-- partitioned by month so retention is DROP PARTITION. Runs on ClickHouse 18.16 and current.
CREATE TABLE IF NOT EXISTS events (
  site_id UInt64,
  timestamp DateTime('UTC'),
  name String,
  hostname String,
  pathname String,
  referrer String,
  referrer_source String,
  utm_source String,
  utm_medium String,
  utm_campaign String,
  utm_content String,
  utm_term String,
  country_code String,
  browser String,
  browser_version String,
  os String,
  os_version String,
  device String,
  visitor_id UInt64,
  session_id UInt64,
  props_keys Array(String),
  props_values Array(String),
  revenue_amount Decimal(18, 4),
  revenue_currency String
) ENGINE = MergeTree()
PARTITION BY toYYYYMM(timestamp)
ORDER BY (site_id, toDate(timestamp), name, visitor_id, timestamp)
SAMPLE BY visitor_id;
