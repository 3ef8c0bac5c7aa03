import { z } from 'zod';
import { connectionEnv, logLevel, parseEnv, signingSecretEnv } from './env-schema';

/** What migrations, seeds and other one-shot tools need: the three stores and nothing else. */
const storesEnv = z.object({ ...connectionEnv, LOG_LEVEL: logLevel });

export type StoresConfig = z.infer<typeof storesEnv>;

export function loadStoresConfig(env: NodeJS.ProcessEnv = process.env): StoresConfig {
  return parseEnv(storesEnv, env, 'stores');
}

/** The demo account `npm start` creates; printed at start-up so a new developer can sign in at once. */
const demoEnv = z.object({
  DEMO_EMAIL: z.string().email().default('demo@sightline.test'),
  DEMO_PASSWORD: z.string().min(10).default('sightline-demo'),
  /** The demo's shared dashboard link is signed like the API signs it, and points at the dashboard. */
  ...signingSecretEnv,
  PUBLIC_APP_URL: z.string().url().default('http://localhost:3000'),
});

export type DemoConfig = z.infer<typeof demoEnv>;

export function loadDemoConfig(env: NodeJS.ProcessEnv = process.env): DemoConfig {
  return parseEnv(demoEnv, env, 'demo seed');
}
