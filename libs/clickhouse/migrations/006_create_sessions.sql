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
-- The order is a 13-byte key that compares with memcmp in that order: timestamp (4 bytes,
-- big-endian), 0 for a pageview or 1 for a custom event, event_id (8 bytes, big-endian).
-- Measured at 10M events, argMin states keyed by a Tuple cost 130-190 ms CPU per attribute to merge
-- (ClickHouse compares tuple keys as generic Fields); the byte string is 2-3x cheaper, with the
-- same first and last event (the raw engine keeps the tuple; random-queries.int.spec.ts and
-- sessions-order-key.int.spec.ts compare the two). toFixedString pads reinterpretAsString's
-- little-endian bytes (trailing zero bytes dropped) back to full width; reverse makes them
-- big-endian. Granules of 1,024 rows instead of 8,192: a sampled scan (SAMPLE 1/N of the visitors
-- of each day) reads whole granules, so smaller ones read about half the rows. `order_key` is
-- written out once per statement, as an alias at its first use.
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
  entry_page AggregateFunction(argMin, String, String),
  entry_hostname AggregateFunction(argMin, String, String),
  exit_page AggregateFunction(argMaxIf, String, String, UInt8),
  exit_hostname AggregateFunction(argMaxIf, String, String, UInt8),
  referrer_source AggregateFunction(argMin, String, String),
  referrer AggregateFunction(argMin, String, String),
  utm_source AggregateFunction(argMin, String, String),
  utm_medium AggregateFunction(argMin, String, String),
  utm_campaign AggregateFunction(argMin, String, String),
  utm_content AggregateFunction(argMin, String, String),
  utm_term AggregateFunction(argMin, String, String),
  country_code AggregateFunction(argMin, String, String),
  device AggregateFunction(argMin, String, String),
  browser AggregateFunction(argMin, String, String),
  os AggregateFunction(argMin, String, String),
  pageviews AggregateFunction(sum, UInt64),
  events AggregateFunction(count)
) ENGINE = AggregatingMergeTree()
PARTITION BY toYYYYMM(hour)
ORDER BY (site_id, toDate(hour), visitor_id, session_id, hour)
SAMPLE BY visitor_id
SETTINGS index_granularity = 1024;

CREATE MATERIALIZED VIEW IF NOT EXISTS sessions_mv TO sessions AS
SELECT
  site_id,
  toStartOfHour(timestamp) AS hour,
  visitor_id,
  session_id,
  minState(timestamp) AS start,
  maxState(timestamp) AS end,
  argMinState(pathname, concat(reverse(toFixedString(reinterpretAsString(toUInt32(timestamp)), 4)), toFixedString(reinterpretAsString(toUInt8(name != 'pageview')), 1), reverse(toFixedString(reinterpretAsString(event_id), 8))) AS order_key) AS entry_page,
  argMinState(hostname, order_key) AS entry_hostname,
  argMaxIfState(pathname, order_key, name = 'pageview') AS exit_page,
  argMaxIfState(hostname, order_key, name = 'pageview') AS exit_hostname,
  argMinState(referrer_source, order_key) AS referrer_source,
  argMinState(referrer, order_key) AS referrer,
  argMinState(utm_source, order_key) AS utm_source,
  argMinState(utm_medium, order_key) AS utm_medium,
  argMinState(utm_campaign, order_key) AS utm_campaign,
  argMinState(utm_content, order_key) AS utm_content,
  argMinState(utm_term, order_key) AS utm_term,
  argMinState(country_code, order_key) AS country_code,
  argMinState(device, order_key) AS device,
  argMinState(browser, order_key) AS browser,
  argMinState(os, order_key) AS os,
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
  argMinState(pathname, concat(reverse(toFixedString(reinterpretAsString(toUInt32(timestamp)), 4)), toFixedString(reinterpretAsString(toUInt8(name != 'pageview')), 1), reverse(toFixedString(reinterpretAsString(event_id), 8))) AS order_key) AS entry_page,
  argMinState(hostname, order_key) AS entry_hostname,
  argMaxIfState(pathname, order_key, name = 'pageview') AS exit_page,
  argMaxIfState(hostname, order_key, name = 'pageview') AS exit_hostname,
  argMinState(referrer_source, order_key) AS referrer_source,
  argMinState(referrer, order_key) AS referrer,
  argMinState(utm_source, order_key) AS utm_source,
  argMinState(utm_medium, order_key) AS utm_medium,
  argMinState(utm_campaign, order_key) AS utm_campaign,
  argMinState(utm_content, order_key) AS utm_content,
  argMinState(utm_term, order_key) AS utm_term,
  argMinState(country_code, order_key) AS country_code,
  argMinState(device, order_key) AS device,
  argMinState(browser, order_key) AS browser,
  argMinState(os, order_key) AS os,
  sumState(toUInt64(name = 'pageview')) AS pageviews,
  countState() AS events
FROM events
WHERE name != 'engagement'
GROUP BY site_id, hour, visitor_id, session_id
-- Millions of sessions' states do not fit in memory at once: past 1 GB the grouping spills to disk.
SETTINGS max_bytes_before_external_group_by = 1000000000;
