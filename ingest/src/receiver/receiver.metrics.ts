import { Counter, type Registry } from 'prom-client';

export interface ReceiverMetrics {
  received: Counter;
  accepted: Counter;
  dropped: Counter<'reason'>;
  rejected: Counter<'code'>;
  unavailable: Counter;
  spooled: Counter;
  staleSiteDecisions: Counter<'reason'>;
}

export function createReceiverMetrics(registry: Registry): ReceiverMetrics {
  return {
    staleSiteDecisions: new Counter({
      name: 'sightline_ingest_site_decisions_stale_total',
      help: 'Events answered from a stale site decision because Postgres failed or was slow (alert when it grows)',
      labelNames: ['reason'],
      registers: [registry],
    }),
    spooled: new Counter({
      name: 'sightline_ingest_events_spooled_total',
      help: 'Events written to the local disk spool because Redis was unavailable',
      registers: [registry],
    }),
    received: new Counter({
      name: 'sightline_ingest_events_received_total',
      help: 'Event requests received',
      registers: [registry],
    }),
    accepted: new Counter({
      name: 'sightline_ingest_events_accepted_total',
      help: 'Events appended to the stream',
      registers: [registry],
    }),
    dropped: new Counter({
      name: 'sightline_ingest_events_dropped_total',
      help: 'Events answered 202 but not stored (bots, spam, unknown sites)',
      labelNames: ['reason'],
      registers: [registry],
    }),
    rejected: new Counter({
      name: 'sightline_ingest_events_rejected_total',
      help: 'Event requests rejected with a 4xx',
      labelNames: ['code'],
      registers: [registry],
    }),
    unavailable: new Counter({
      name: 'sightline_ingest_events_unavailable_total',
      help: 'Event requests answered 503 because the buffer was unavailable',
      registers: [registry],
    }),
  };
}
