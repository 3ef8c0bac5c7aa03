-- Engagement pings (issue #12, item 7): rows named `engagement`, sent when a page is hidden, with
-- the deepest scroll position reached (percent) and the engaged time since the previous ping (ms).
-- They live in `events` (one write path, the same site scope, retention and deletion) but never
-- count as events: every reader excludes name = 'engagement' (the query engine's siteScope, usage
-- metering, the realtime badge), and the hourly rollup's view is recreated below with that filter.
-- Runs on ClickHouse 18.16 and current. Apply with the flusher stopped, like 003: rows inserted
-- between the DROP and the CREATE of the view would be missing from events_hourly.
ALTER TABLE events ADD COLUMN scroll_depth UInt8 DEFAULT 0;

ALTER TABLE events ADD COLUMN engagement_time UInt32 DEFAULT 0;

DROP TABLE IF EXISTS events_hourly_mv;

CREATE MATERIALIZED VIEW IF NOT EXISTS events_hourly_mv TO events_hourly AS
SELECT
  site_id,
  toStartOfHour(timestamp) AS hour,
  count() AS events,
  sum(toUInt64(name = 'pageview')) AS pageviews
FROM events
WHERE name != 'engagement'
GROUP BY site_id, hour;
