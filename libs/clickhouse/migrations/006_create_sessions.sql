-- Sessions: what a visit metric needs of a session, aggregated at insert time so queries stop
-- regrouping raw events (issue 13). One row per (site, UTC hour, visitor, session) after merges:
-- the session's events within that hour, as -State aggregates that the query engine merges with
-- -Merge and GROUP BY session_id. Keying by the hour of each event (not by the session's start)
-- keeps the sort key stable whatever order events arrive in (an insert block of a session's later
-- events does not know its start), and a query over whole hours then merges exactly the events
-- the raw engine groups: sessions crossing the range boundary are cut the same way.
-- Attribute rule (the raw engine's): acquisition and device come from the session's first event,
-- ties within a second broken pageview first (key timestamp * 2 + is-custom-event); entry and exit
-- page/hostname from the first and last pageview. Duration (maxMerge(end) - minMerge(start)) and
-- bounce (events = 1 and pageviews = 1) are derived after the merge: a stored value could not be
-- merged. Same visitor_id sampling as `events` (SAMPLE 1/N reads the same visitors in both).
-- Written by the materialized view below on every insert into `events` (the flusher's and tests'
-- direct inserts alike) and back-filled here. Runs on ClickHouse 18.16 and current. Apply with the
-- flusher stopped (`npm start` migrates before it starts the flusher): rows inserted between the
-- view's creation and the back-fill would be counted twice.
CREATE TABLE IF NOT EXISTS sessions (
  site_id UInt64,
  hour DateTime('UTC'),
  visitor_id UInt64,
  session_id UInt64,
  start AggregateFunction(min, DateTime('UTC')),
  end AggregateFunction(max, DateTime('UTC')),
  entry_page AggregateFunction(argMinIf, String, DateTime('UTC'), UInt8),
  entry_hostname AggregateFunction(argMinIf, String, DateTime('UTC'), UInt8),
  exit_page AggregateFunction(argMaxIf, String, DateTime('UTC'), UInt8),
  exit_hostname AggregateFunction(argMaxIf, String, DateTime('UTC'), UInt8),
  referrer_source AggregateFunction(argMin, String, UInt64),
  referrer AggregateFunction(argMin, String, UInt64),
  utm_source AggregateFunction(argMin, String, UInt64),
  utm_medium AggregateFunction(argMin, String, UInt64),
  utm_campaign AggregateFunction(argMin, String, UInt64),
  utm_content AggregateFunction(argMin, String, UInt64),
  utm_term AggregateFunction(argMin, String, UInt64),
  country_code AggregateFunction(argMin, String, UInt64),
  device AggregateFunction(argMin, String, UInt64),
  browser AggregateFunction(argMin, String, UInt64),
  os AggregateFunction(argMin, String, UInt64),
  pageviews AggregateFunction(sum, UInt64),
  events AggregateFunction(count)
) ENGINE = AggregatingMergeTree()
PARTITION BY toYYYYMM(hour)
ORDER BY (site_id, toDate(hour), visitor_id, session_id, hour)
SAMPLE BY visitor_id;

CREATE MATERIALIZED VIEW IF NOT EXISTS sessions_mv TO sessions AS
SELECT
  site_id,
  toStartOfHour(timestamp) AS hour,
  visitor_id,
  session_id,
  minState(timestamp) AS start,
  maxState(timestamp) AS end,
  argMinIfState(pathname, timestamp, name = 'pageview') AS entry_page,
  argMinIfState(hostname, timestamp, name = 'pageview') AS entry_hostname,
  argMaxIfState(pathname, timestamp, name = 'pageview') AS exit_page,
  argMaxIfState(hostname, timestamp, name = 'pageview') AS exit_hostname,
  argMinState(referrer_source, toUInt64(timestamp) * 2 + (name != 'pageview')) AS referrer_source,
  argMinState(referrer, toUInt64(timestamp) * 2 + (name != 'pageview')) AS referrer,
  argMinState(utm_source, toUInt64(timestamp) * 2 + (name != 'pageview')) AS utm_source,
  argMinState(utm_medium, toUInt64(timestamp) * 2 + (name != 'pageview')) AS utm_medium,
  argMinState(utm_campaign, toUInt64(timestamp) * 2 + (name != 'pageview')) AS utm_campaign,
  argMinState(utm_content, toUInt64(timestamp) * 2 + (name != 'pageview')) AS utm_content,
  argMinState(utm_term, toUInt64(timestamp) * 2 + (name != 'pageview')) AS utm_term,
  argMinState(country_code, toUInt64(timestamp) * 2 + (name != 'pageview')) AS country_code,
  argMinState(device, toUInt64(timestamp) * 2 + (name != 'pageview')) AS device,
  argMinState(browser, toUInt64(timestamp) * 2 + (name != 'pageview')) AS browser,
  argMinState(os, toUInt64(timestamp) * 2 + (name != 'pageview')) AS os,
  sumState(toUInt64(name = 'pageview')) AS pageviews,
  countState() AS events
FROM events
GROUP BY site_id, hour, visitor_id, session_id;

INSERT INTO sessions
SELECT
  site_id,
  toStartOfHour(timestamp) AS hour,
  visitor_id,
  session_id,
  minState(timestamp) AS start,
  maxState(timestamp) AS end,
  argMinIfState(pathname, timestamp, name = 'pageview') AS entry_page,
  argMinIfState(hostname, timestamp, name = 'pageview') AS entry_hostname,
  argMaxIfState(pathname, timestamp, name = 'pageview') AS exit_page,
  argMaxIfState(hostname, timestamp, name = 'pageview') AS exit_hostname,
  argMinState(referrer_source, toUInt64(timestamp) * 2 + (name != 'pageview')) AS referrer_source,
  argMinState(referrer, toUInt64(timestamp) * 2 + (name != 'pageview')) AS referrer,
  argMinState(utm_source, toUInt64(timestamp) * 2 + (name != 'pageview')) AS utm_source,
  argMinState(utm_medium, toUInt64(timestamp) * 2 + (name != 'pageview')) AS utm_medium,
  argMinState(utm_campaign, toUInt64(timestamp) * 2 + (name != 'pageview')) AS utm_campaign,
  argMinState(utm_content, toUInt64(timestamp) * 2 + (name != 'pageview')) AS utm_content,
  argMinState(utm_term, toUInt64(timestamp) * 2 + (name != 'pageview')) AS utm_term,
  argMinState(country_code, toUInt64(timestamp) * 2 + (name != 'pageview')) AS country_code,
  argMinState(device, toUInt64(timestamp) * 2 + (name != 'pageview')) AS device,
  argMinState(browser, toUInt64(timestamp) * 2 + (name != 'pageview')) AS browser,
  argMinState(os, toUInt64(timestamp) * 2 + (name != 'pageview')) AS os,
  sumState(toUInt64(name = 'pageview')) AS pageviews,
  countState() AS events
FROM events
GROUP BY site_id, hour, visitor_id, session_id;
