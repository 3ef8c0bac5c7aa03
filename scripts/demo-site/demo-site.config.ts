/** The demo site's configuration: the one place that reads process.env for it. */
import { logLevel, parseEnv, port } from '@sightline/config';
import { z } from 'zod';

const demoSiteEnv = z.object({
  /** Loopback by default: the demo is for the developer's browser, not the network. */
  DEMO_HOST: z.string().min(1).default('127.0.0.1'),
  DEMO_PORT: port(4200),
  /** Where browsers load the tracker from, so the public (not the in-cluster) ingest URL. */
  INGEST_PUBLIC_URL: z.url({ protocol: /^https?$/ }).default('http://localhost:4100'),
  LOG_LEVEL: logLevel,
});

export interface DemoSiteConfig {
  host: string;
  port: number;
  ingestUrl: string;
  logLevel: z.infer<typeof logLevel>;
}

export function loadDemoSiteConfig(env: NodeJS.ProcessEnv = process.env): DemoSiteConfig {
  const parsed = parseEnv(demoSiteEnv, env, 'demo-site');
  return {
    host: parsed.DEMO_HOST,
    port: parsed.DEMO_PORT,
    ingestUrl: parsed.INGEST_PUBLIC_URL,
    logLevel: parsed.LOG_LEVEL,
  };
}
