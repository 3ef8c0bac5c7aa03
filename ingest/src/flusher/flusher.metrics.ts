import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export interface FlusherMetrics {
  rowsFlushed: Counter;
  batches: Counter;
  failures: Counter;
  reclaimed: Counter;
  duplicatesSkipped: Counter;
  deadLettered: Counter;
  flushSeconds: Histogram;
}

export function createFlusherMetrics(
  registry: Registry,
  streamBacklog: () => Promise<number>,
): FlusherMetrics {
  new Gauge({
    name: 'sightline_flusher_stream_backlog',
    help: 'Events in the Redis stream not yet stored in ClickHouse (undelivered + pending)',
    registers: [registry],
    async collect() {
      this.set(await streamBacklog());
    },
  });
  return {
    rowsFlushed: new Counter({
      name: 'sightline_flusher_rows_flushed_total',
      help: 'Rows inserted into ClickHouse',
      registers: [registry],
    }),
    batches: new Counter({
      name: 'sightline_flusher_batches_total',
      help: 'Batches inserted into ClickHouse',
      registers: [registry],
    }),
    failures: new Counter({
      name: 'sightline_flusher_flush_failures_total',
      help: 'Failed insert attempts',
      registers: [registry],
    }),
    reclaimed: new Counter({
      name: 'sightline_flusher_reclaimed_total',
      help: 'Entries taken over from consumers that stopped without acknowledging them',
      registers: [registry],
    }),
    duplicatesSkipped: new Counter({
      name: 'sightline_flusher_duplicates_skipped_total',
      help: 'Rows left out of a retried batch because ClickHouse already had them',
      registers: [registry],
    }),
    deadLettered: new Counter({
      name: 'sightline_flusher_dead_lettered_total',
      help: 'Rows ClickHouse rejected, moved to the dead-letter stream',
      registers: [registry],
    }),
    flushSeconds: new Histogram({
      name: 'sightline_flusher_flush_duration_seconds',
      help: 'Time to insert one batch into ClickHouse and acknowledge it',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
  };
}
