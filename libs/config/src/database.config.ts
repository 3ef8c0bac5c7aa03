import { z } from 'zod';
import { connectionEnv, logLevel, parseEnv } from './env-schema';

/** What migrations, seeds and other one-shot tools need: the three stores and nothing else. */
const storesEnv = z.object({ ...connectionEnv, LOG_LEVEL: logLevel });

export type StoresConfig = z.infer<typeof storesEnv>;

export function loadStoresConfig(env: NodeJS.ProcessEnv = process.env): StoresConfig {
  return parseEnv(storesEnv, env, 'stores');
}
