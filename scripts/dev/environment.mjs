// The environment every Sightline process gets from the orchestrator. Variables already set in
// the caller's environment win; everything else gets the documented local default.
export const DEFAULT_PORTS = {
  DASHBOARD_PORT: 3000,
  API_PORT: 4000,
  INGEST_PORT: 4100,
  DEMO_PORT: 4200,
  INGEST_METRICS_PORT: 9101,
  FLUSHER_METRICS_PORT: 9102,
  API_METRICS_PORT: 9103,
  WORKERS_METRICS_PORT: 9104,
  CLICKHOUSE_HTTP_PORT: 8123,
  CLICKHOUSE_TCP_PORT: 19000,
  CLICKHOUSE_INTERSERVER_PORT: 19009,
};

export function portsFrom(env) {
  const ports = {};
  for (const [name, fallback] of Object.entries(DEFAULT_PORTS)) {
    const value = env[name] ? Number(env[name]) : fallback;
    if (!Number.isInteger(value) || value < 1 || value > 65535)
      throw new Error(`${name} must be a port number, got ${env[name]}`);
    ports[name] = value;
  }
  return ports;
}
