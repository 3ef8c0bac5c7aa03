-- Sessions: what a visit metric needs of a session, aggregated at insert time so queries stop
-- regrouping raw events (issue 13). One row per (site, UTC hour, visitor, session) after merges:
-- the session's events within that hour, as -State aggregates that the query engine merges with
-- -Merge and GROUP BY session_id. Keying by the hour of each event (not by the session's start)
-- keeps the sort key stable whatever order events arrive in (an insert block of a session's later
-- events does not know its start), and a query over whole hours then merges exactly the events
-- the raw engine groups: sessions crossing the range boundary are cut the same way.
-- Attribute rule (the raw engine's, Plausible's): every session attribute, entry page and hostname
-- included, comes from the session's first event in (timestamp, pageview first, event_id) order
-- (SESSION_EVENT_ORDER in libs/query); exit page and hostname from the last pageview. Engagement
-- pings are not events and never reach this table. Duration (maxMerge(end) - minMerge(start)) and
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
  entry_page AggregateFunction(argMin, String, Tuple(DateTime('UTC'), UInt8, UInt64)),
  entry_hostname AggregateFunction(argMin, String, Tuple(DateTime('UTC'), UInt8, UInt64)),
  exit_page AggregateFunction(argMaxIf, String, Tuple(DateTime('UTC'), UInt8, UInt64), UInt8),
  exit_hostname AggregateFunction(argMaxIf, String, Tuple(DateTime('UTC'), UInt8, UInt64), UInt8),
  referrer_source AggregateFunction(argMin, String, Tuple(DateTime('UTC'), UInt8, UInt64)),
  referrer AggregateFunction(argMin, String, Tuple(DateTime('UTC'), UInt8, UInt64)),
  utm_source AggregateFunction(argMin, String, Tuple(DateTime('UTC'), UInt8, UInt64)),
  utm_medium AggregateFunction(argMin, String, Tuple(DateTime('UTC'), UInt8, UInt64)),
  utm_campaign AggregateFunction(argMin, String, Tuple(DateTime('UTC'), UInt8, UInt64)),
  utm_content AggregateFunction(argMin, String, Tuple(DateTime('UTC'), UInt8, UInt64)),
  utm_term AggregateFunction(argMin, String, Tuple(DateTime('UTC'), UInt8, UInt64)),
  country_code AggregateFunction(argMin, String, Tuple(DateTime('UTC'), UInt8, UInt64)),
  device AggregateFunction(argMin, String, Tuple(DateTime('UTC'), UInt8, UInt64)),
  browser AggregateFunction(argMin, String, Tuple(DateTime('UTC'), UInt8, UInt64)),
  os AggregateFunction(argMin, String, Tuple(DateTime('UTC'), UInt8, UInt64)),
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
  argMinState(pathname, (timestamp, name != 'pageview', event_id)) AS entry_page,
  argMinState(hostname, (timestamp, name != 'pageview', event_id)) AS entry_hostname,
  argMaxIfState(pathname, (timestamp, name != 'pageview', event_id), name = 'pageview') AS exit_page,
  argMaxIfState(hostname, (timestamp, name != 'pageview', event_id), name = 'pageview') AS exit_hostname,
  argMinState(referrer_source, (timestamp, name != 'pageview', event_id)) AS referrer_source,
  argMinState(referrer, (timestamp, name != 'pageview', event_id)) AS referrer,
  argMinState(utm_source, (timestamp, name != 'pageview', event_id)) AS utm_source,
  argMinState(utm_medium, (timestamp, name != 'pageview', event_id)) AS utm_medium,
  argMinState(utm_campaign, (timestamp, name != 'pageview', event_id)) AS utm_campaign,
  argMinState(utm_content, (timestamp, name != 'pageview', event_id)) AS utm_content,
  argMinState(utm_term, (timestamp, name != 'pageview', event_id)) AS utm_term,
  argMinState(country_code, (timestamp, name != 'pageview', event_id)) AS country_code,
  argMinState(device, (timestamp, name != 'pageview', event_id)) AS device,
  argMinState(browser, (timestamp, name != 'pageview', event_id)) AS browser,
  argMinState(os, (timestamp, name != 'pageview', event_id)) AS os,
  sumState(toUInt64(name = 'pageview')) AS pageviews,
  countState() AS events
FROM events
WHERE name != 'engagement'
GROUP BY site_id, hour, visitor_id, session_id;

INSERT INTO sessions
SELECT
  site_id,
  toStartOfHour(timestamp) AS hour,
  visitor_id,
  session_id,
  minState(timestamp) AS start,
  maxState(timestamp) AS end,
  argMinState(pathname, (timestamp, name != 'pageview', event_id)) AS entry_page,
  argMinState(hostname, (timestamp, name != 'pageview', event_id)) AS entry_hostname,
  argMaxIfState(pathname, (timestamp, name != 'pageview', event_id), name = 'pageview') AS exit_page,
  argMaxIfState(hostname, (timestamp, name != 'pageview', event_id), name = 'pageview') AS exit_hostname,
  argMinState(referrer_source, (timestamp, name != 'pageview', event_id)) AS referrer_source,
  argMinState(referrer, (timestamp, name != 'pageview', event_id)) AS referrer,
  argMinState(utm_source, (timestamp, name != 'pageview', event_id)) AS utm_source,
  argMinState(utm_medium, (timestamp, name != 'pageview', event_id)) AS utm_medium,
  argMinState(utm_campaign, (timestamp, name != 'pageview', event_id)) AS utm_campaign,
  argMinState(utm_content, (timestamp, name != 'pageview', event_id)) AS utm_content,
  argMinState(utm_term, (timestamp, name != 'pageview', event_id)) AS utm_term,
  argMinState(country_code, (timestamp, name != 'pageview', event_id)) AS country_code,
  argMinState(device, (timestamp, name != 'pageview', event_id)) AS device,
  argMinState(browser, (timestamp, name != 'pageview', event_id)) AS browser,
  argMinState(os, (timestamp, name != 'pageview', event_id)) AS os,
  sumState(toUInt64(name = 'pageview')) AS pageviews,
  countState() AS events
FROM events
WHERE name != 'engagement'
GROUP BY site_id, hour, visitor_id, session_id;
