import { describe, expect, it } from 'vitest';
import { loadIngestConfig } from './ingest.config';

describe('loadIngestConfig', () => {
  it('fills documented defaults from an empty environment', () => {
    const config = loadIngestConfig({});
    expect(config.INGEST_PORT).toBe(4100);
    expect(config.FLUSH_BATCH_SIZE).toBe(5000);
    expect(config.FLUSH_INTERVAL_MS).toBe(1000);
    expect(config.TRUSTED_PROXY_HOPS).toBe(0);
    expect(config.CLICKHOUSE_DATABASE).toBe('sightline');
    expect(config.INGEST_WORKERS).toBe(1);
    expect(config.INGEST_WORKER_SLOT).toBeUndefined();
  });

  it('coerces numbers from strings', () => {
    expect(loadIngestConfig({ INGEST_PORT: '5100', FLUSH_BATCH_SIZE: '100' })).toMatchObject({
      INGEST_PORT: 5100,
      FLUSH_BATCH_SIZE: 100,
    });
  });

  it('lists every bad variable at once', () => {
    const bad = {
      INGEST_PORT: '70000',
      CLICKHOUSE_DATABASE: 'x; DROP',
      REDIS_URL: 'nope',
      FLUSH_BATCH_SIZE: '0',
    };
    let message = '';
    try {
      loadIngestConfig(bad);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/^Invalid configuration for ingest/);
    for (const name of Object.keys(bad)) expect(message).toContain(name);
  });
});
