-- Hourly rollup of `events` per site: distinct visitors and sessions as uniq states, event and
-- pageview counts. Written by the materialized view below on every insert into `events` (so by
-- the flusher at ingest time), and back-filled from the existing rows here. The query engine
-- answers unfiltered visitors / visits / pageviews / events totals and time series from it
-- (uniqMerge of the hourly states equals uniq over the raw rows), and estimates the rows a
-- query would scan from it (sampling decision). Runs on ClickHouse 18.16 and current.
-- Apply with the flusher stopped (`npm start` migrates before it starts the flusher): rows
-- inserted between the view's creation and the back-fill would be counted twice.
CREATE TABLE IF NOT EXISTS events_hourly (
  site_id UInt64,
  hour DateTime('UTC'),
  visitors AggregateFunction(uniq, UInt64),
  visits AggregateFunction(uniq, UInt64),
  events AggregateFunction(count),
  pageviews AggregateFunction(sum, UInt64)
) ENGINE = AggregatingMergeTree()
PARTITION BY toYYYYMM(hour)
ORDER BY (site_id, hour);

CREATE MATERIALIZED VIEW IF NOT EXISTS events_hourly_mv TO events_hourly AS
SELECT
  site_id,
  toStartOfHour(timestamp) AS hour,
  uniqState(visitor_id) AS visitors,
  uniqState(session_id) AS visits,
  countState() AS events,
  sumState(toUInt64(name = 'pageview')) AS pageviews
FROM events
GROUP BY site_id, hour;

INSERT INTO events_hourly
SELECT
  site_id,
  toStartOfHour(timestamp) AS hour,
  uniqState(visitor_id) AS visitors,
  uniqState(session_id) AS visits,
  countState() AS events,
  sumState(toUInt64(name = 'pageview')) AS pageviews
FROM events
GROUP BY site_id, hour;
