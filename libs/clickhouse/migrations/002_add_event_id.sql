-- A random 64-bit id per accepted event, assigned by the receiver. The flusher uses it to skip
-- rows that an interrupted earlier attempt already stored (idempotent retries on 18.16 and current).
ALTER TABLE events ADD COLUMN event_id UInt64 DEFAULT 0;
