-- Hourly rollup of `events` per site: event and pageview counts. Written by the materialized
-- view below on every insert into `events` (so by the flusher at ingest time), and back-filled
-- from the existing rows here. The query engine answers unfiltered pageviews / events totals
-- and time series from it exactly, and estimates from it how many rows a query would scan (its
-- sampling decision). Distinct visitors are deliberately not rolled up: merging hourly uniq
-- states of a 10M-events site took longer than a sampled raw scan (bench:query).
-- Runs on ClickHouse 18.16 and current. Apply with the flusher stopped (`npm start` migrates
-- before it starts the flusher): rows inserted between the view's creation and the back-fill
-- would be counted twice.
CREATE TABLE IF NOT EXISTS events_hourly (
  site_id UInt64,
  hour DateTime('UTC'),
  events UInt64,
  pageviews UInt64
) ENGINE = SummingMergeTree()
PARTITION BY toYYYYMM(hour)
ORDER BY (site_id, hour);

CREATE MATERIALIZED VIEW IF NOT EXISTS events_hourly_mv TO events_hourly AS
SELECT
  site_id,
  toStartOfHour(timestamp) AS hour,
  count() AS events,
  sum(toUInt64(name = 'pageview')) AS pageviews
FROM events
GROUP BY site_id, hour;

INSERT INTO events_hourly
SELECT
  site_id,
  toStartOfHour(timestamp) AS hour,
  count() AS events,
  sum(toUInt64(name = 'pageview')) AS pageviews
FROM events
GROUP BY site_id, hour;
