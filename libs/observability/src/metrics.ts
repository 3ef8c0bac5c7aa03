import { collectDefaultMetrics, Registry } from 'prom-client';

/** One registry per process, with Node's default metrics, prefixed by the app's name. */
export function createMetricsRegistry(app: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ app });
  collectDefaultMetrics({ register: registry, prefix: 'sightline_' });
  return registry;
}
