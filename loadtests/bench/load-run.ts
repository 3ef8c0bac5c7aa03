// One autocannon run against one target, reduced to the figures the report needs.
import autocannon, { type AutocannonRequest } from 'autocannon';

export interface LoadOptions {
  url: string;
  connections: number;
  durationS: number;
  requests: AutocannonRequest[];
}

export interface LoadResult {
  startedAt: number;
  endedAt: number;
  durationS: number;
  responses: number;
  accepted: number;
  byStatus: Record<string, number>;
  errors: number;
  timeouts: number;
  acceptedPerS: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number };
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

export async function runLoad(opts: LoadOptions): Promise<LoadResult> {
  if (new URL(opts.url).hostname !== '127.0.0.1')
    throw new Error(`refusing to load ${opts.url}: loopback only`);
  // Latencies are kept per response rather than read from autocannon's histogram, which records
  // whole milliseconds: at 1-3 ms that rounding would hide most of the difference between targets.
  const latencies: number[] = [];
  // Each connection cycles through its own share of the pool: connections do not replay the same
  // visitor in lockstep (which would trip the receiver's per-IP rate limit like no real traffic
  // does), and autocannon builds each request buffer once instead of once per connection.
  let nextConnection = 0;
  const shareOf = (connection: number) => {
    const share = opts.requests.filter((_, i) => i % opts.connections === connection);
    return share.length > 0 ? share : opts.requests.slice(0, 1);
  };
  const startedAt = Date.now();
  const instance = autocannon({
    url: opts.url,
    connections: opts.connections,
    duration: opts.durationS,
    pipelining: 1, // a browser sends one beacon per connection at a time
    timeout: 10,
    requests: opts.requests.slice(0, 1),
    setupClient: (client) => client.setRequests(shareOf(nextConnection++ % opts.connections)),
  });
  instance.on('response', (_client, _status, _bytes, ms) => {
    latencies.push(ms);
  });
  const result = await instance;
  const endedAt = Date.now();
  const sorted = Float64Array.from(latencies).sort();
  const byStatus = Object.fromEntries(
    Object.entries(result.statusCodeStats).map(([code, stat]) => [code, stat.count]),
  );
  return {
    startedAt,
    endedAt,
    durationS: result.duration,
    responses: latencies.length,
    accepted: result['2xx'],
    byStatus,
    errors: result.errors,
    timeouts: result.timeouts,
    acceptedPerS: result['2xx'] / result.duration,
    latencyMs: {
      p50: percentile(sorted, 50),
      p90: percentile(sorted, 90),
      p99: percentile(sorted, 99),
      max: sorted.at(-1) ?? Number.NaN,
    },
  };
}
