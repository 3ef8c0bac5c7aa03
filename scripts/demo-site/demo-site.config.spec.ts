import { describe, expect, it } from 'vitest';
import { loadDemoSiteConfig } from './demo-site.config';

describe('loadDemoSiteConfig', () => {
  it('defaults to loopback:4200 and the local ingest', () => {
    expect(loadDemoSiteConfig({})).toEqual({
      host: '127.0.0.1',
      port: 4200,
      ingestUrl: 'http://localhost:4100',
      logLevel: 'info',
    });
  });

  it('reads DEMO_HOST, DEMO_PORT and INGEST_PUBLIC_URL', () => {
    const config = loadDemoSiteConfig({
      DEMO_HOST: '0.0.0.0',
      DEMO_PORT: '8080',
      INGEST_PUBLIC_URL: 'https://ingest.example.com',
    });
    expect(config).toMatchObject({ host: '0.0.0.0', port: 8080, ingestUrl: 'https://ingest.example.com' });
  });

  it('rejects a bad port or a non-http ingest URL, naming the variable', () => {
    expect(() => loadDemoSiteConfig({ DEMO_PORT: '70000' })).toThrow(/DEMO_PORT/);
    expect(() => loadDemoSiteConfig({ DEMO_PORT: 'abc' })).toThrow(/DEMO_PORT/);
    expect(() => loadDemoSiteConfig({ INGEST_PUBLIC_URL: 'ftp://ingest.example.com' })).toThrow(
      /INGEST_PUBLIC_URL/,
    );
    expect(() => loadDemoSiteConfig({ INGEST_PUBLIC_URL: 'localhost:4100' })).toThrow(/INGEST_PUBLIC_URL/);
  });
});
